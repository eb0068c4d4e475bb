// Fault 2: the database connection is dropped in the middle of booking transactions: another
// session calls pg_terminate_backend on the service's backends while they hold a transaction
// open. The client gets a retryable error; retrying with the same idempotency key completes
// exactly once, whether or not the interrupted attempt had committed.
import { createDatabase, type Database } from '../../src/db/knex';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { actorOf, inDays, keyAccountWithBudget } from '../support/money';
import { startTestServer, type TestServer } from '../support/server';
import {
  bookingFixture,
  checkBookingInvariants,
  postBooking,
  report,
  seededKey,
  sleep,
  withSeed,
  type Outcome,
} from './support/fault-kit';

const SCENARIO = 'connections terminated mid-transaction';
const BOOKINGS = 60;
const ATTEMPTS_MAX = 40;
let database: TestDatabase;
let killer: Database;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase({ poolMax: 6 });
  killer = createDatabase({
    url: database.url,
    poolMax: 1,
    statementTimeoutMs: 10_000,
    applicationName: 'fault-killer',
  });
  server = await startTestServer(database.db);
});
afterAll(async () => {
  await server.close();
  await killer.destroy();
  await database.drop();
});

test('a terminated backend answers a retryable error and the retry books exactly once', async () => {
  await withSeed(SCENARIO, async (seed, rng) => {
    const { users, org, accounts, service } = await bookingFixture(database.db, {
      // Room for 40 of the 60 bookings: refusals happen, some of them to retried requests.
      accounts: 4,
      amount: '200.00',
      price: '20.00',
    });

    // Hold each booking transaction open for a moment after it wrote the booking and after it
    // wrote the ledger entry, so the killer finds transactions with half their rows written.
    await database.db.raw(`
      create function fault_pause() returns trigger language plpgsql as $$
      begin perform pg_sleep(0.03); return new; end $$;
      create trigger fault_pause_booking after insert on bookings for each row execute function fault_pause();
      create trigger fault_pause_ledger after insert on ledger_entries for each row execute function fault_pause();`);

    let loadDone = false;
    let kills = 0;
    const killing = (async () => {
      while (!loadDone) {
        const { rows } = await killer.raw(
          `select pid from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()
              and application_name = 'service-ledger'
              and (wait_event = 'PgSleep' or state = 'idle in transaction')`,
        );
        for (const { pid } of rows as { pid: number }[]) {
          if (rng.next() < 0.2) {
            const result = await killer.raw('select pg_terminate_backend(?) as done', [pid]);
            if (result.rows[0].done) kills += 1;
          }
        }
        await sleep(rng.int(5, 30));
      }
    })();

    const inputs = Array.from({ length: BOOKINGS }, (_, index) => ({
      accountId: accounts[index % accounts.length]!.id,
      serviceId: service.id,
      plannedDate: inDays(rng.int(1, 20)),
      idempotencyKey: seededKey(seed, index),
    }));
    const results: { attempts: Outcome[] }[] = inputs.map(() => ({ attempts: [] }));
    let nextIndex = 0;
    const client = async () => {
      while (nextIndex < inputs.length) {
        const index = nextIndex++;
        const input = inputs[index]!;
        for (let attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
          const outcome = await postBooking(server.baseUrl, users.csm.token, input);
          results[index]!.attempts.push(outcome);
          if (outcome.kind !== 'RETRYABLE') break;
          await sleep(rng.int(0, 20));
        }
      }
    };
    let forced: Outcome[] = [];
    try {
      await Promise.all(Array.from({ length: 4 }, client));
      loadDone = true;
      await killing;
      forced = await retryableThenRefused();
    } finally {
      loadDone = true;
      await killing;
      await database.db.raw(
        'drop trigger fault_pause_booking on bookings; drop trigger fault_pause_ledger on ledger_entries; drop function fault_pause();',
      );
    }
    // The path this scenario exists for, made to happen once for certain: a request cut off by a
    // terminated backend, retried after the budget ran out, is refused (the first try left nothing).
    expect(forced.map((o) => o.kind)).toEqual(['RETRYABLE', 'REFUSED']);

    /** One booking whose backend is terminated while it holds its transaction open, then retried
     *  once another booking has used the last of its account's budget. */
    async function retryableThenRefused(): Promise<Outcome[]> {
      const lone = await keyAccountWithBudget(database.db, org, actorOf(users.finance), { amount: '20.00' });
      const input = {
        accountId: lone.account.id,
        serviceId: service.id,
        plannedDate: inDays(3),
        idempotencyKey: seededKey(seed, 10_000),
      };
      const first = postBooking(server.baseUrl, users.csm.token, input);
      for (let tries = 0; ; tries += 1) {
        const { rows } = await killer.raw(
          `select pid from pg_stat_activity where datname = current_database() and application_name = 'service-ledger' and wait_event = 'PgSleep'`,
        );
        if (rows.length > 0) {
          await killer.raw('select pg_terminate_backend(?)', [rows[0].pid]);
          break;
        }
        if (tries > 1_000) throw new Error('the lone booking never paused in its transaction');
        await sleep(2);
      }
      const outcomes = [await first];
      const other = { ...input, idempotencyKey: seededKey(seed, 10_001) };
      expect((await postBooking(server.baseUrl, users.csm.token, other)).kind).toBe('BOOKED');
      outcomes.push(await postBooking(server.baseUrl, users.csm.token, input));
      return outcomes;
    }
    const finals = results.map((r) => r.attempts[r.attempts.length - 1]!);
    expect(finals.filter((o) => o.kind === 'REFUSED').length).toBeGreaterThan(0);
    // Only two answers are acceptable in the end: booked, or refused for lack of budget.
    expect(finals.filter((o) => o.kind !== 'BOOKED' && o.kind !== 'REFUSED')).toEqual([]);
    // Every failure on the way was the retryable kind, never a masked internal error.
    const allAttempts = results.flatMap((r) => r.attempts);
    expect(allAttempts.filter((o) => o.kind === 'OTHER' || o.kind === 'NETWORK')).toEqual([]);
    const retryable = allAttempts.filter((o) => o.kind === 'RETRYABLE').length;
    expect(kills).toBeGreaterThan(0);
    expect(retryable).toBeGreaterThan(0);

    // Exactly once: one booking per key that ended booked, none for the refused ones.
    const bookedIds = finals.flatMap((o) => (o.kind === 'BOOKED' ? [o.bookingId] : []));
    expect(new Set(bookedIds).size).toBe(bookedIds.length);
    const invariants = await checkBookingInvariants(database.db);
    expect(invariants.bookings).toBe(bookedIds.length + 1); // and the lone account's other booking
    // Retrying once more after the fault returns the same booking.
    for (const [index, input] of inputs.entries())
      expect(await postBooking(server.baseUrl, users.csm.token, input)).toEqual(finals[index]);

    report(SCENARIO, {
      seed,
      'backends terminated': kills,
      'retryable errors': retryable,
      'bookings confirmed': bookedIds.length,
      'bookings found': invariants.bookings,
      refused: finals.filter((o) => o.kind === 'REFUSED').length,
      'budgets checked': invariants.budgets,
    });
  });
});
