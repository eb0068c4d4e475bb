// What every fault scenario shares: a replayable seed, a booking client that tells apart "booked",
// "refused", "retryable" and everything else, and the checks that nothing was lost, doubled or
// half-written.
import crypto from 'node:crypto';
import type { Database } from '../../../src/db/knex';
import { prng } from '../../../bench/generate';
import type { Customer } from '../../../src/modules/customers/repository';
import { createStandardUsers } from '../../support/factories';
import { createOrg } from '../../support/org';
import { actorOf, createFreeService, keyAccountWithBudget, ledgerMismatches } from '../../support/money';

export type Random = {
  next: () => number;
  int: (min: number, max: number) => number;
  pick: <T>(items: T[]) => T;
};

/** FAULT_SEED replays a run; otherwise a fresh seed, printed with every result and failure. */
export function scenarioSeed(): number {
  const given = process.env.FAULT_SEED;
  return given ? Number(given) : crypto.randomInt(1, 2 ** 31 - 1);
}

export function random(seed: number): Random {
  const next = prng(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

/** A UUID derived from the seed, so a replay sends the same idempotency keys. */
export function seededKey(seed: number, index: number): string {
  const hex = crypto.createHash('sha1').update(`fault:${seed}:${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Runs a scenario with a seed (FAULT_SEED, else a fresh one) and a generator drawn from it; the
 * seed is printed first, and a failure names it with the command that replays it.
 */
export async function withSeed<T>(
  scenario: string,
  run: (seed: number, rng: Random) => Promise<T>,
): Promise<T> {
  const seed = scenarioSeed();
  process.stdout.write(`\n[fault] ${scenario}: seed ${seed}\n`);
  try {
    return await run(seed, random(seed));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const replay = new Error(
      `[fault] ${scenario} failed with seed ${seed}; replay with: FAULT_SEED=${seed} npm run test:faults\n${message}`,
    );
    replay.stack = `${replay.message}\n${error instanceof Error ? error.stack : ''}`;
    throw replay;
  }
}

export function report(scenario: string, counts: Record<string, number | string>): void {
  const line = Object.entries(counts)
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ');
  process.stdout.write(`[fault] ${scenario}: ${line}\n`);
}

export const BOOK = `mutation($input: BookFreeServiceInput!) {
  bookFreeService(input: $input) { __typename ... on Booking { id } ... on Error { message } }
}`;

export type Outcome =
  | { kind: 'BOOKED'; bookingId: string }
  | { kind: 'REFUSED'; typename: string }
  | { kind: 'RETRYABLE'; status: number; message: string }
  | { kind: 'NETWORK'; message: string }
  | { kind: 'OTHER'; detail: string };

type Body = {
  data?: { bookFreeService?: { __typename: string; id?: string } | null } | null;
  errors?: { message: string; extensions?: { code?: string; retryable?: boolean } }[];
};

export function classify(status: number, body: Body): Outcome {
  const answer = body.data?.bookFreeService;
  if (answer?.__typename === 'Booking' && answer.id) return { kind: 'BOOKED', bookingId: answer.id };
  if (answer?.__typename === 'BudgetExceededError') return { kind: 'REFUSED', typename: answer.__typename };
  const error = body.errors?.[0];
  if (error?.extensions?.code === 'SERVICE_UNAVAILABLE' && error.extensions.retryable === true)
    return { kind: 'RETRYABLE', status, message: error.message };
  return { kind: 'OTHER', detail: `HTTP ${status}: ${JSON.stringify(body).slice(0, 500)}` };
}

export type BookingInput = {
  accountId: string;
  serviceId: string;
  plannedDate: string;
  idempotencyKey: string;
};

export async function postBooking(
  baseUrl: string,
  token: string,
  input: BookingInput,
  timeoutMs = 20_000,
): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: BOOK, variables: { input } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'NETWORK', message: `${(error as Error).message} ${cause?.code ?? cause?.message ?? ''}` };
  }
  let body: Body;
  try {
    body = (await response.json()) as Body;
  } catch (error) {
    return { kind: 'NETWORK', message: `response cut off: ${(error as Error).message}` };
  }
  return classify(response.status, body);
}

export async function countRows(db: Database, table: string): Promise<number> {
  const [{ n }] = (await db(table).count('* as n')) as [{ n: string }];
  return Number(n);
}

/**
 * Everything a crash, a dropped connection or a restart must not break: each booking has exactly
 * one RESERVE entry for its price, its audit row and the idempotency key that created it; each
 * key names at most one booking; every budget's totals equal its ledger and its open bookings.
 */
export async function checkBookingInvariants(db: Database): Promise<{ bookings: number; budgets: number }> {
  const halfWritten = await db.raw(`
    select b.id,
           (select count(*) from ledger_entries l where l.booking_id = b.id and l.kind = 'RESERVE' and l.amount = b.settlement_price) reserves,
           (select count(*) from ledger_entries l where l.booking_id = b.id) entries,
           (select count(*) from audit_log a where a.entity_type = 'Booking' and a.entity_id = b.id::text and a.action = 'booking.book') audits,
           (select count(*) from idempotency_keys k where k.result_id = b.id::text) idempotency_keys
      from bookings b`);
  const broken = (
    halfWritten.rows as { reserves: string; entries: string; audits: string; idempotency_keys: string }[]
  ).filter(
    (row) =>
      row.reserves !== '1' || row.entries !== '1' || row.audits !== '1' || row.idempotency_keys !== '1',
  );
  if (broken.length > 0)
    throw new Error(`half-written or doubled bookings: ${JSON.stringify(broken.slice(0, 5))}`);
  // A key whose outcome is a result names its booking; a key that kept a refusal names none.
  const orphanKeys = await db.raw(`
    select k.key from idempotency_keys k
     where k.operation = 'bookFreeService' and k.outcome = 'RESULT'
       and not exists (select 1 from bookings b where b.id::text = k.result_id)`);
  if (orphanKeys.rows.length > 0)
    throw new Error(`idempotency keys naming no booking: ${JSON.stringify(orphanKeys.rows.slice(0, 5))}`);
  const mismatches = await ledgerMismatches(db);
  if (mismatches.length > 0)
    throw new Error(`budgets differ from their ledger: ${JSON.stringify(mismatches)}`);
  return { bookings: await countRows(db, 'bookings'), budgets: await countRows(db, 'budgets') };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Standard users, an organisation, `count` key accounts with a budget of `amount` each, and a free service. */
export async function bookingFixture(
  db: Database,
  options: { accounts: number; amount: string; price: string },
) {
  const users = await createStandardUsers(db);
  const org = await createOrg(db, users);
  const accounts: Customer[] = [];
  for (let i = 0; i < options.accounts; i++)
    accounts.push(
      (await keyAccountWithBudget(db, org, actorOf(users.finance), { amount: options.amount })).account,
    );
  const service = await createFreeService(db, actorOf(users.admin), options.price);
  return { users, org, accounts, service };
}

/**
 * The reports read the roll-up tables plus the queue of entries not yet rolled up; a crash in the
 * middle of a roll-up must leave them adding up to the ledger, entry for entry and cent for cent.
 */
export async function checkReportsMatchLedger(
  baseUrl: string,
  token: string,
  db: Database,
  fiscalYear: number,
): Promise<number> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `query($y: Int!) { costAllocation(period: { fiscalYear: $y }, groupBy: [TIER, ENTRY_KIND, MONTH]) {
        grandTotal { allocatedAmount reservedAmount spentAmount entryCount } } }`,
      variables: { y: fiscalYear },
    }),
  });
  const body = (await response.json()) as {
    data?: { costAllocation: { grandTotal: Record<string, string | number> } };
    errors?: unknown;
  };
  if (!body.data) throw new Error(`costAllocation failed: ${JSON.stringify(body)}`);
  const { rows } = await db.raw(`
    select coalesce(sum(allocated_delta), 0)::numeric(20, 2)::text "allocatedAmount",
           coalesce(sum(reserved_delta), 0)::numeric(20, 2)::text "reservedAmount",
           coalesce(sum(spent_delta), 0)::numeric(20, 2)::text "spentAmount",
           count(*)::int "entryCount"
      from ledger_entries`);
  const ledger = rows[0] as Record<string, string | number>;
  const report = body.data.costAllocation.grandTotal;
  if (JSON.stringify(report) !== JSON.stringify(ledger))
    throw new Error(`reports ${JSON.stringify(report)} differ from the ledger ${JSON.stringify(ledger)}`);
  return Number(ledger.entryCount);
}
