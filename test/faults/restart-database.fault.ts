// Fault 3: PostgreSQL restarts while the service runs. /readyz turns unready, requests fail
// fast with a retryable error (never hang, never a masked internal error, never a dead process),
// and once the database is back the same process serves again; retries of the requests that
// failed take effect exactly once.
import { createDatabase, type Database } from '../../src/db/knex';
import { migrateToLatest } from '../../src/db/migrate';
import { inDays } from '../support/money';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { startControlledPostgres, type ControlledPostgres } from './support/controlled-postgres';
import {
  bookingFixture,
  checkBookingInvariants,
  postBooking,
  report,
  seededKey,
  sleep,
  withSeed,
  type BookingInput,
  type Outcome,
} from './support/fault-kit';

const SCENARIO = 'database restarted under the service';
/** A request made while the database is down must be answered within this. */
const FAIL_FAST_MS = 12_000;
/** Once the database is back, the service must be ready again within this. */
const RECOVERY_MS = 20_000;

let postgres: ControlledPostgres;
let db: Database;
let server: ServerProcess | null = null;

beforeAll(async () => {
  postgres = await startControlledPostgres();
  db = createDatabase({
    url: postgres.url,
    poolMax: 2,
    statementTimeoutMs: 30_000,
    applicationName: 'fault-test',
  });
  await migrateToLatest(db);
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await db.destroy();
  await postgres.close();
});

async function readiness(baseUrl: string): Promise<number> {
  const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return response.status;
}

async function waitFor(what: string, limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`${what} did not happen within ${limitMs} ms`);
    await sleep(100);
  }
  return Date.now() - started;
}

test('the service survives a database restart and recovers on its own', async () => {
  await withSeed(SCENARIO, async (seed, rng) => {
    const { users, accounts, service } = await bookingFixture(db, {
      accounts: 3,
      amount: '2000.00',
      price: '25.00',
    });
    server = await startServerProcess({
      databaseUrl: postgres.url,
      // the background jobs run as in production, so their failures are part of the test
      env: { ROLLUP_INTERVAL_MS: '500', EXPIRY_SWEEP_INTERVAL_MS: '500' },
    });
    const live = server;
    expect(await readiness(live.baseUrl)).toBe(200);

    let counter = 0;
    const nextInput = (): BookingInput => ({
      accountId: rng.pick(accounts).id,
      serviceId: service.id,
      plannedDate: inDays(rng.int(1, 20)),
      idempotencyKey: seededKey(seed, counter++),
    });
    const attempts: { input: BookingInput; outcome: Outcome; ms: number }[] = [];
    const book = async (input: BookingInput) => {
      const started = Date.now();
      const outcome = await postBooking(live.baseUrl, users.csm.token, input, FAIL_FAST_MS + 5_000);
      attempts.push({ input, outcome, ms: Date.now() - started });
      return outcome;
    };
    expect((await book(nextInput())).kind).toBe('BOOKED');

    // A steady trickle of bookings across the whole restart.
    let loadDone = false;
    const load = Promise.all(
      Array.from({ length: 2 }, async () => {
        while (!loadDone) {
          await book(nextInput());
          await sleep(rng.int(10, 60));
        }
      }),
    );
    await sleep(rng.int(100, 600));
    await postgres.stop();
    const downAt = Date.now();

    const unreadyAfterMs = await waitFor(
      '/readyz unready',
      5_000,
      async () => (await readiness(live.baseUrl)) === 503,
    );
    const whileDown = await book(nextInput());
    expect(whileDown).toMatchObject({ kind: 'RETRYABLE', status: 503 });
    const health = await fetch(`${live.baseUrl}/healthz`);
    expect(health.status).toBe(200); // the process is alive; only the database is not
    await sleep(rng.int(500, 2_500));
    const downMs = Date.now() - downAt;

    await postgres.start();
    const readyAfterMs = await waitFor(
      '/readyz ready',
      RECOVERY_MS,
      async () => (await readiness(live.baseUrl)) === 200,
    );
    loadDone = true;
    await load;
    expect(live.child.exitCode).toBeNull(); // recovered without a restart of its own

    // Every request got an answer, fast, of an expected kind.
    expect(attempts.filter((a) => a.outcome.kind === 'OTHER' || a.outcome.kind === 'NETWORK')).toEqual([]);
    expect(attempts.filter((a) => a.ms > FAIL_FAST_MS)).toEqual([]);
    const failed = attempts.filter((a) => a.outcome.kind === 'RETRYABLE');
    expect(failed.length).toBeGreaterThan(0);

    // Retries of what failed (the same keys) take effect at most once; new work succeeds.
    const retried: Outcome[] = [];
    for (const attempt of failed)
      retried.push(await postBooking(live.baseUrl, users.csm.token, attempt.input));
    expect(retried.filter((o) => o.kind !== 'BOOKED' && o.kind !== 'REFUSED')).toEqual([]);
    expect((await book(nextInput())).kind).toBe('BOOKED');

    const byKey = new Map<string, string>();
    for (const { input, outcome } of attempts)
      if (outcome.kind === 'BOOKED') byKey.set(input.idempotencyKey, outcome.bookingId);
    // Every key booked on retry is recorded under that key, and asking once more names the
    // same booking: the retried keys are all different, so this replay is what checks it.
    let replayed = 0;
    for (const [index, outcome] of retried.entries()) {
      if (outcome.kind !== 'BOOKED') continue;
      const input = failed[index]!.input;
      const stored = await db('idempotency_keys').where({ key: input.idempotencyKey }).first('result_id');
      expect(stored?.result_id).toBe(outcome.bookingId);
      const again = await postBooking(live.baseUrl, users.csm.token, input);
      expect(again).toEqual(outcome);
      replayed += 1;
      byKey.set(input.idempotencyKey, outcome.bookingId);
    }
    expect(replayed).toBeGreaterThan(0);
    const invariants = await checkBookingInvariants(db);
    expect(invariants.bookings).toBe(new Set(byKey.values()).size);

    report(SCENARIO, {
      seed,
      'requests sent': attempts.length,
      'retryable errors': failed.length,
      'unready after (ms)': unreadyAfterMs,
      'database down (ms)': downMs,
      'ready again after (ms)': readyAfterMs,
      'slowest answer (ms)': Math.max(...attempts.map((a) => a.ms)),
      'bookings confirmed': byKey.size,
      'bookings found': invariants.bookings,
      'budgets checked': invariants.budgets,
    });
  });
});
