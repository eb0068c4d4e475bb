// Deterministic benchmark data: N accounts across all tiers, budgets for the key accounts over
// two fiscal years, and M ledger entries (with the bookings they belong to) spread over those
// years. A fixed seed makes every run generate the same rows. Rows go in with multi-row inserts
// in batches; budget totals are then set from the ledger sums, so totals equal the ledger.
import crypto from 'node:crypto';
import cliProgress from 'cli-progress';
import type { Knex } from 'knex';
import { fiscalYearRange, type FiscalCalendar } from '../src/shared/fiscal';
import { hashToken } from '../src/modules/users/tokens';

export type GenerateOptions = {
  accounts: number;
  entries: number;
  seed: number;
  calendar: FiscalCalendar;
  firstFiscalYear: number;
  tokenHashKey: string;
  quiet: boolean;
};

export const BENCH_ADMIN_TOKEN = 'bench_admin_token';
export const BENCH_FINANCE_TOKEN = 'bench_finance_token';
const BATCH_ROWS = 2_000;
const TIER_WEIGHTS: [string, number][] = [
  ['A', 10],
  ['C', 15],
  ['B', 30],
  ['D', 35],
  ['E', 10],
];
const EFFECT_SETS = [
  ['OPPORTUNITY'],
  ['OPPORTUNITY', 'SOLUTION_ACCEPTANCE'],
  ['PRICE_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS'],
  ['SOLUTION_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS'],
  ['OPPORTUNITY', 'RELATIONSHIP_CLOSENESS'],
  [],
  ['PRICE_ACCEPTANCE', 'SOLUTION_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS'],
  ['OPPORTUNITY', 'SOLUTION_ACCEPTANCE'],
  ['SOLUTION_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS'],
];

/** mulberry32: a small, fast, seedable PRNG (deterministic across runs and machines). */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID derived from the seed and a counter, so ids are stable across runs. */
function stableUuid(seed: number, kind: string, index: number): string {
  const hex = crypto.createHash('sha1').update(`${seed}:${kind}:${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function insertBatched(db: Knex, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_ROWS)
    await db(table).insert(rows.slice(start, start + BATCH_ROWS));
}

export async function generate(
  db: Knex,
  options: GenerateOptions,
): Promise<{ keyAccountIds: string[]; hotAccountId: string; serviceIds: string[] }> {
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const bar = options.quiet
    ? null
    : new cliProgress.SingleBar(
        { format: 'generating [{bar}] {percentage}% {value}/{total} {stage}' },
        cliProgress.Presets.shades_classic,
      );
  bar?.start(options.accounts + options.entries, 0, { stage: 'accounts' });

  const [admin] = await db('users')
    .insert({
      name: 'Bench admin',
      email: 'bench.admin@bench.example',
      roles: db.raw(`'{ADMIN,CSM}'::text[]`),
    })
    .returning('id');
  const [finance] = await db('users')
    .insert({
      name: 'Bench finance',
      email: 'bench.finance@bench.example',
      roles: db.raw(`'{FINANCE,SALES_LEADER}'::text[]`),
    })
    .returning('id');
  await db('api_tokens').insert([
    { user_id: admin.id, label: 'bench', token_hash: hashToken(options.tokenHashKey, BENCH_ADMIN_TOKEN) },
    { user_id: finance.id, label: 'bench', token_hash: hashToken(options.tokenHashKey, BENCH_FINANCE_TOKEN) },
  ]);
  const [expertTeam] = await db('teams').insert({ kind: 'EXPERT', name: 'Bench experts' }).returning('id');
  const [csmTeam] = await db('teams').insert({ kind: 'CSM', name: 'Bench CSMs' }).returning('id');
  const csms = await db('people')
    .insert(Array.from({ length: 50 }, (_, i) => ({ name: `Bench CSM ${i}`, department: 'SERVICE' })))
    .returning('id');
  await db('team_members').insert(
    csms.map((c: { id: string }) => ({ team_id: csmTeam.id, person_id: c.id })),
  );
  const [partner] = await db('channel_partners')
    .insert({ name: 'Bench partner', implementer_name: 'Bench implementer' })
    .returning('id');
  const services = await db('expert_services')
    .insert(
      EFFECT_SETS.map((_, i) => ({
        code: `BENCH_${i}`,
        name: `Bench service ${i}`,
        kind: 'FREE',
        providing_department: pick(['SERVICE', 'SOLUTIONS', 'PRESALES']),
      })),
    )
    .returning('id');
  const serviceIds = services.map((s: { id: string }) => s.id);
  await db('expert_service_effects').insert(
    EFFECT_SETS.flatMap((effects, i) => effects.map((effect) => ({ service_id: serviceIds[i], effect }))),
  );
  await db('expert_service_prices').insert(
    serviceIds.map((id: string) => ({
      service_id: id,
      effective_from: '2000-01-01',
      settlement_price: '1.00',
      currency: 'CNY',
    })),
  );

  const totalWeight = TIER_WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  const customers: Record<string, unknown>[] = [];
  const keyAccountIds: string[] = [];
  for (let index = 0; index < options.accounts; index += 1) {
    let roll = random() * totalWeight;
    const tier = TIER_WEIGHTS.find(([, w]) => (roll -= w) < 0)?.[0] ?? 'D';
    const id = stableUuid(options.seed, 'account', index);
    const key = tier === 'A' || tier === 'C';
    if (key) keyAccountIds.push(id);
    customers.push({
      id,
      name: `Bench account ${String(index).padStart(6, '0')}`,
      tier,
      region: pick(['East', 'South', 'North', 'West']),
      industry: pick(['Manufacturing', 'Retail', 'Energy', 'Healthcare', 'Logistics']),
      channel_partner_id: tier === 'E' ? partner.id : null,
      csm_person_id: key ? pick(csms as { id: string }[]).id : null,
      expert_team_id: expertTeam.id,
    });
  }
  await insertBatched(db, 'customers', customers);
  await insertBatched(
    db,
    'customer_tier_history',
    customers.map((c) => ({
      account_id: c.id,
      to_tier: c.tier,
      effective_from: '2020-01-01T00:00:00Z',
      reason: 'bench',
    })),
  );
  bar?.update(options.accounts, { stage: 'budgets' });

  const years = [options.firstFiscalYear, options.firstFiscalYear + 1];
  const budgets: { id: string; accountId: string; year: number }[] = [];
  const budgetRows: Record<string, unknown>[] = [];
  for (const accountId of keyAccountIds) {
    for (const year of years) {
      const id = stableUuid(options.seed, `budget-${year}`, budgets.length);
      budgets.push({ id, accountId, year });
      budgetRows.push({
        id,
        account_id: accountId,
        fiscal_year: year,
        currency: 'CNY',
        revenue_target: '100000000.00',
        operating_ratio: '0.02',
      });
    }
  }
  await insertBatched(db, 'budgets', budgetRows);
  // Every budget gets an allocation; the rest of the entries come in threes (reserve, release, spend) per booking.
  const allocations = budgets.map((b) => ({
    budget_id: b.id,
    account_id: b.accountId,
    kind: 'ALLOCATION',
    amount: '2000000.00',
    allocated_delta: '2000000.00',
    currency: 'CNY',
    reason: 'bench',
    created_at: fiscalYearRange(options.calendar, b.year).start.toJSDate(),
  }));
  await insertBatched(db, 'ledger_entries', allocations);
  let written = allocations.length;
  bar?.update(options.accounts + written, { stage: 'ledger' });

  const ranges = new Map(years.map((y) => [y, fiscalYearRange(options.calendar, y)]));
  let bookingIndex = 0;
  while (written < options.entries) {
    const bookingRows: Record<string, unknown>[] = [];
    const entryRows: Record<string, unknown>[] = [];
    while (entryRows.length < BATCH_ROWS && written + entryRows.length < options.entries) {
      const budget = pick(budgets);
      const range = ranges.get(budget.year)!;
      const at = new Date(
        range.start.toMillis() +
          Math.floor(random() * (range.end.toMillis() - range.start.toMillis() - 86_400_000)),
      );
      const price = (100 + Math.floor(random() * 4900)).toFixed(2);
      const cost = (Number(price) * (0.8 + random() * 0.4)).toFixed(2);
      const id = stableUuid(options.seed, 'booking', bookingIndex++);
      bookingRows.push({
        id,
        account_id: budget.accountId,
        budget_id: budget.id,
        service_id: pick(serviceIds),
        requested_by: admin.id,
        planned_date: at.toISOString().slice(0, 10),
        state: 'DELIVERED',
        settlement_price: price,
        actual_cost: cost,
        currency: 'CNY',
        created_at: at,
        booked_at: at,
        delivered_at: at,
        closed_at: at,
      });
      const base = {
        budget_id: budget.id,
        account_id: budget.accountId,
        currency: 'CNY',
        booking_id: id,
        actor_user_id: admin.id,
      };
      entryRows.push({ ...base, kind: 'RESERVE', amount: price, reserved_delta: price, created_at: at });
      entryRows.push({
        ...base,
        kind: 'RELEASE',
        amount: price,
        reserved_delta: `-${price}`,
        created_at: new Date(at.getTime() + 3_600_000),
      });
      entryRows.push({
        ...base,
        kind: 'SPEND',
        amount: cost,
        spent_delta: cost,
        created_at: new Date(at.getTime() + 3_600_000),
      });
    }
    const entries = entryRows.slice(0, options.entries - written);
    await db('bookings').insert(bookingRows);
    await db('ledger_entries').insert(entries);
    written += entries.length;
    bar?.update(options.accounts + written, { stage: 'ledger' });
  }
  bar?.update(options.accounts + written, { stage: 'totals' });
  await db.raw(`
    update budgets b set allocated_amount = l.a, reserved_amount = l.r, spent_amount = l.s, remaining_amount = l.a - l.r - l.s
      from (select budget_id, sum(allocated_delta) a, sum(reserved_delta) r, sum(spent_delta) s from ledger_entries group by budget_id) l
     where l.budget_id = b.id`);
  await db.raw('analyze');
  bar?.stop();
  // The hot account: the first key account, whose budget every hot-path booking hits.
  return { keyAccountIds, hotAccountId: keyAccountIds[0]!, serviceIds };
}
