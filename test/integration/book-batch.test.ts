// Group commit of bookings (budgets/book-in-one-call.ts, migrations/20261207000100): bookings
// that wait on one budget go together as one call and one transaction. The property: a group
// books what the same requests one after another book, and writes the same rows (bookings, budget
// totals, ledger entries, audit records, stored idempotency keys), for random requests that run
// the budget out, file exceptions, repeat or reuse keys and fail checks. Groups are forced, not
// timed: the budget row is held by another transaction while the requests arrive, so the first
// waits on it alone and every later one waits in the group behind it.
import crypto from 'node:crypto';
import fc from 'fast-check';
import type { Database } from '../../src/db/knex';
import { lockWaiters } from '../support/locks';
import { moneyWorld } from '../support/money-world';
import { mostly } from '../support/one-call';
import {
  actorOf,
  contextFor,
  createFreeService,
  inDays,
  key,
  keyAccountWithBudget,
  ledgerMismatches,
} from '../support/money';
import { bookFreeService, type BookInput } from '../../src/modules/budgets/book';
import { DomainError, IdempotencyInProgressError } from '../../src/shared/errors';
import type { Actor } from '../../src/shared/auth';
import { Decimal } from '../../src/shared/money';

const SEED = Number(process.env.PROPERTY_SEED ?? 20261207);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

const world = moneyWorld({ poolMax: 10 });
let services: Record<'zero' | 'cent' | 'mid' | 'large', string>;

beforeAll(async () => {
  const admin = actorOf(world.users.admin);
  const db = world.database.db;
  services = {
    zero: (await createFreeService(db, admin, '0.00')).id,
    cent: (await createFreeService(db, admin, '0.01')).id,
    mid: (await createFreeService(db, admin, '250.00')).id,
    large: (await createFreeService(db, admin, '1000.00')).id,
  };
});

const finance = () => actorOf(world.users.finance);
const csmOfTheAccounts = () => actorOf(world.users.csm, world.org.csm.id);

/** Holds the budget row (as a booking would) until `release`; answers once it is held. */
async function holdBudget(db: Database, budgetId: string) {
  const trx = await db.transaction();
  await trx.raw('select id from budgets where id = ? for no key update', [budgetId]);
  return { release: () => trx.commit() };
}

/** Holds the budget while `book` submits its requests, then lets them through: their answers. */
async function asOneGroup<T>(db: Database, budgetId: string, book: () => Promise<T>[]): Promise<T[]> {
  const hold = await holdBudget(db, budgetId);
  let pending: Promise<T>[] = [];
  try {
    pending = book();
    // The first call of the group waits behind the hold, unless every request was refused before
    // the budget's lock (then none waits, and all have settled).
    await lockWaiters(db, 1, Promise.allSettled(pending));
  } finally {
    await hold.release();
  }
  return Promise.all(pending);
}

/** How many transactions wrote the account's bookings (a group writes all of its own in one). */
async function transactionsOf(db: Database, accountId: string): Promise<number> {
  const { rows } = await db.raw(
    `select count(distinct xmin::text)::int as n from bookings where account_id = ?`,
    [accountId],
  );
  return rows[0].n;
}

const request = fc.record({
  service: fc.constantFrom('zero', 'cent', 'mid', 'mid', 'large', 'large') as fc.Arbitrary<
    keyof typeof services
  >,
  exception: mostly([false], [true]),
  caller: mostly(['admin', 'itsCsm'] as const, ['otherCsm'] as const),
  people: mostly(['none', 'expert'] as const, ['sales'] as const),
  // The key of the request before, with the same input: a replay. (A key reused with another input
  // is a race between two requests whichever way they go, so it has a test of its own below.)
  reuse: mostly(['fresh'] as const, ['sameInput'] as const),
  notes: fc.constantFrom('', 'on site'),
});
type Request = typeof request extends fc.Arbitrary<infer R> ? R : never;
const scenario = fc.record({
  tier: fc.constantFrom('A' as const, 'C' as const),
  policy: fc.constantFrom('STOP', 'WARN'),
  allocated: fc.constantFrom('0.01', '250.00', '600.00', '1000.00', '2500.00'),
  requests: fc.array(request, { minLength: 2, maxLength: 12 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

function callerOf(r: Request): Actor {
  if (r.caller === 'admin') return actorOf(world.users.admin);
  if (r.caller === 'itsCsm') return csmOfTheAccounts();
  return actorOf(world.users.otherCsm, world.org.otherCsm.id);
}

/** The scenario's inputs for one account: keys are drawn once per account, reused as drawn. */
function inputsOf(s: Scenario, accountId: string): BookInput[] {
  const inputs: BookInput[] = [];
  for (const [index, r] of s.requests.entries()) {
    const earlier = index > 0 ? inputs[index - 1]! : null;
    const input: BookInput = {
      accountId,
      serviceId: services[r.service],
      plannedDate: inDays(3),
      personIds: { none: [], expert: [world.org.expertPerson.id], sales: [world.org.salesRep.id] }[r.people],
      notes: r.notes,
      requestException: r.exception,
      exceptionReason: r.exception ? 'strategic renewal' : null,
      idempotencyKey: key(),
    };
    inputs.push(earlier && r.reuse === 'sameInput' ? { ...earlier } : input);
  }
  return inputs;
}

/** Replays and conflicts take the key's caller: a reused key is the earlier request's user's. */
function callersOf(s: Scenario): Actor[] {
  const callers: Actor[] = [];
  for (const [index, r] of s.requests.entries())
    callers.push(index > 0 && r.reuse === 'sameInput' ? callers[index - 1]! : callerOf(r));
  return callers;
}

/**
 * The request's settled answer, retried while its key is in progress, as a client does: a group
 * holds each of its items' keys until it commits, so a request with the same key beside it may
 * be told to retry (a lone call does the same while it runs).
 */
async function outcomeOf(attempt: () => Promise<{ id: string }>) {
  for (let tries = 0; ; tries += 1) {
    try {
      return { booked: (await attempt()).id };
    } catch (error) {
      if (error instanceof IdempotencyInProgressError && tries < 200) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        continue;
      }
      if (!(error instanceof DomainError)) throw error;
      return { error: error.name, field: error.field, message: error.message };
    }
  }
}

/**
 * A refusal for lack of funds states what remained when it was decided. A request the one call
 * declines is answered by the general way after its group, so under concurrency that figure may
 * be the budget after later requests (as it may without groups): the figure is checked to be
 * short of the price, then left out of the comparison.
 */
function withoutRemaining(json: string): string {
  for (const [, remaining, price] of json.matchAll(/the budget has ([\d.]+) CNY remaining; ([\d.]+) CNY/g))
    expect(new Decimal(remaining!).lessThan(new Decimal(price!))).toBe(true);
  return json
    .replace(/the budget has [\d.]+ CNY remaining/g, 'the budget has <remaining> CNY remaining')
    .replace(/"remainingAmount":"[\d.]+"/g, '"remainingAmount":"<remaining>"');
}

/** What the requests left on the account, ids named by the request that made them. */
async function seen(db: Database, accountId: string, budgetId: string, outcomes: unknown[], keys: string[]) {
  const name = (await db('customers').where({ id: accountId }).first('name')).name as string;
  const bookings = await db('bookings')
    .where({ account_id: accountId })
    .select(
      'id',
      'state',
      'settlement_price',
      'notes',
      'exception_reason',
      'overrun',
      'requested_by',
      db.raw('booked_at is not null as booked'),
    );
  const entries = await db('ledger_entries')
    .where({ budget_id: budgetId })
    .whereNot({ kind: 'ALLOCATION' })
    .select('kind', 'amount', 'reserved_delta', 'booking_id', 'actor_user_id');
  const audit = await db('audit_log')
    .where({ account_id: accountId, entity_type: 'Booking' })
    .select('action', 'actor_user_id', 'entity_id', 'after', 'request_id');
  const budget = await db('budgets')
    .where({ id: budgetId })
    .first('allocated_amount', 'reserved_amount', 'spent_amount', 'remaining_amount');
  const stored = await db('idempotency_keys')
    .whereIn('key', keys)
    .select('key', 'outcome', 'result_type', 'result_id', 'refusal');
  const byRequest = new Map<string, string>();
  for (const [index, outcome] of outcomes.entries()) {
    const booked = (outcome as { booked?: string }).booked;
    if (booked && !byRequest.has(booked)) byRequest.set(booked, `<booking of request ${index}>`);
  }
  const named = (value: unknown) => {
    let json = withoutRemaining(JSON.stringify(value))
      .replaceAll(accountId, '<account>')
      .replaceAll(budgetId, '<budget>')
      .replaceAll(name, '<name>')
      .replace(/"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"/g, '"<instant>"');
    for (const [id, label] of byRequest) json = json.replaceAll(id, label);
    for (const [index, k] of keys.entries()) json = json.replaceAll(k, `<key ${index}>`);
    return JSON.parse(json);
  };
  // Rows of one group share their instants, so rows are compared as sorted sets, by their text.
  const sorted = (rows: unknown[]) => rows.map((row) => JSON.stringify(named(row))).sort();
  return {
    outcomes: named(outcomes),
    budget: named(budget),
    bookings: sorted(bookings),
    entries: sorted(entries),
    audit: sorted(audit),
    stored: sorted(stored),
  };
}

test('a group books what the same requests one after another book, and writes the same rows', async () => {
  let groupedBookings = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      await world.database.db('overrun_policies').where({ tier: s.tier }).delete();
      await world.database.db('overrun_policies').insert({ tier: s.tier, policy: s.policy });
      const callers = callersOf(s);
      const run = async (grouped: boolean) => {
        const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance(), {
          amount: s.allocated,
          tier: s.tier,
        });
        const inputs = inputsOf(s, account.id);
        const book = (index: number) =>
          outcomeOf(() =>
            bookFreeService(
              { ...contextFor(world.database.db, callers[index]!), requestId: `request-${index}` },
              inputs[index]!,
            ),
          );
        let outcomes: unknown[];
        if (grouped) {
          outcomes = await asOneGroup(world.database.db, budget.id, () =>
            inputs.map((_, index) => book(index)),
          );
        } else {
          outcomes = [];
          for (let index = 0; index < inputs.length; index += 1) outcomes.push(await book(index));
        }
        const keys = inputs.map((input) => input.idempotencyKey);
        return { account, seen: await seen(world.database.db, account.id, budget.id, outcomes, keys) };
      };
      const oneByOne = await run(false);
      const grouped = await run(true);
      expect(grouped.seen).toEqual(oneByOne.seen);
      const written = grouped.seen.bookings.length;
      if (written > 1)
        groupedBookings += written - ((await transactionsOf(world.database.db, grouped.account.id)) - 1);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  // The groups really formed: many bookings were written by a transaction that wrote others too.
  expect(groupedBookings).toBeGreaterThanOrEqual(RUNS);
  expect(await ledgerMismatches(world.database.db)).toEqual([]);
});

test('200 concurrent bookings on one budget go in groups, and exactly as many as fit are booked', async () => {
  const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance(), {
    amount: '10000.00',
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), '70.00');
  const csm = csmOfTheAccounts();
  const outcomes = await Promise.all(
    Array.from({ length: 200 }, () =>
      outcomeOf(() =>
        bookFreeService(contextFor(world.database.db, csm), {
          accountId: account.id,
          serviceId: service.id,
          plannedDate: inDays(3),
          idempotencyKey: key(),
        }),
      ),
    ),
  );
  expect(outcomes.filter((o) => 'booked' in o)).toHaveLength(142); // floor(10000 / 70)
  expect((await world.database.db('budgets').where({ id: budget.id }).first()).remaining_amount).toBe(
    '60.00',
  );
  // 142 bookings in far fewer transactions: at most 32 a group, so at least 5.
  const transactions = await transactionsOf(world.database.db, account.id);
  expect(transactions).toBeLessThan(142 / 4);
  expect(transactions).toBeGreaterThanOrEqual(5);
  // One RESERVE entry and one audit row per booking, none for the refused.
  const count = async (query: Promise<{ n: string }[]>) => Number((await query)[0]!.n);
  expect(
    await count(
      world.database.db('ledger_entries').where({ budget_id: budget.id, kind: 'RESERVE' }).count('* as n'),
    ),
  ).toBe(142);
  expect(
    await count(
      world.database
        .db('audit_log')
        .where({ account_id: account.id, action: 'booking.book' })
        .count('* as n'),
    ),
  ).toBe(142);
  expect(await ledgerMismatches(world.database.db, budget.id)).toEqual([]);
});

test('a request that fails inside a group fails alone: the group is made again item by item', async () => {
  const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance(), {
    amount: '1000.00',
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), '10.00');
  const csm = csmOfTheAccounts();
  const tag = crypto.randomBytes(4).toString('hex');
  // Fault injection: the booking noted as poisoned fails as its RESERVE entry is written.
  await world.database.db.raw(`
    create function poison_${tag}() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from bookings where id = new.booking_id and notes = 'poison') then
        raise exception 'injected failure for one booking';
      end if;
      return new;
    end $$;
    create trigger poison_${tag} before insert on ledger_entries for each row execute function poison_${tag}();`);
  try {
    const notes = ['first', 'a', 'b', 'poison', 'c', 'd'];
    const answers = await asOneGroup(world.database.db, budget.id, () =>
      notes.map((note) =>
        bookFreeService(contextFor(world.database.db, csm), {
          accountId: account.id,
          serviceId: service.id,
          plannedDate: inDays(3),
          notes: note,
          idempotencyKey: key(),
        }).then(
          () => 'booked',
          (error: Error) => error.message,
        ),
      ),
    );
    expect(answers).toEqual([
      'booked',
      'booked',
      'booked',
      'injected failure for one booking',
      'booked',
      'booked',
    ]);
    const rows = await world.database.db('bookings').where({ account_id: account.id }).pluck('notes');
    expect(rows.sort()).toEqual(['a', 'b', 'c', 'd', 'first']);
    // The failed group left nothing: each of its four was written again by a transaction of its own.
    expect(await transactionsOf(world.database.db, account.id)).toBe(5);
    expect((await world.database.db('budgets').where({ id: budget.id }).first()).remaining_amount).toBe(
      '950.00',
    );
    expect(await ledgerMismatches(world.database.db, budget.id)).toEqual([]);
  } finally {
    await world.database.db.raw(
      `drop trigger poison_${tag} on ledger_entries; drop function poison_${tag}();`,
    );
  }
});

test('one key twice in a group: the same input replays the booking, another input is a conflict', async () => {
  const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance(), {
    amount: '1000.00',
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), '10.00');
  const csm = csmOfTheAccounts();
  const shared = key();
  const input = (notes: string, idempotencyKey: string): BookInput => ({
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(3),
    notes,
    idempotencyKey,
  });
  const [first, booked, replayed, conflict] = await asOneGroup(world.database.db, budget.id, () =>
    [input('first', key()), input('a', shared), input('a', shared), input('b', shared)].map((what) =>
      outcomeOf(() => bookFreeService(contextFor(world.database.db, csm), what)),
    ),
  );
  expect(first).toHaveProperty('booked');
  expect(booked).toHaveProperty('booked');
  expect(replayed).toEqual(booked);
  expect(conflict).toMatchObject({ error: 'IdempotencyConflictError', field: 'input.idempotencyKey' });
  expect(await world.database.db('bookings').where({ account_id: account.id }).pluck('notes')).toHaveLength(
    2,
  );
  expect((await world.database.db('budgets').where({ id: budget.id }).first()).remaining_amount).toBe(
    '980.00',
  );
  expect(await transactionsOf(world.database.db, account.id)).toBe(2);
});
