// Fault 1: the service process is killed with SIGKILL in the middle of a booking load. After a
// restart, every booking a client saw succeed exists exactly once, nothing is half-written,
// every budget equals its ledger, and the requests cut off by the crash can be retried with
// their idempotency keys and take effect at most once.
//
// The kill is not left to chance: the server is frozen (SIGSTOP) and killed only at a frozen
// moment that holds requests in flight and at least one booking committed whose answer never
// left the server; otherwise it thaws and runs on briefly, and the check is tried again.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { fiscalYearNow, inDays } from '../support/money';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import {
  bookingFixture,
  checkBookingInvariants,
  checkReportsMatchLedger,
  countRows,
  postBooking,
  report,
  seededKey,
  sleep,
  withSeed,
  type BookingInput,
  type Outcome,
} from './support/fault-kit';

const SCENARIO = 'kill -9 during bookings';
/** How often the server may be frozen and thawed before the test gives up finding its moment. */
const FREEZES_MAX = 500;
let database: TestDatabase;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  await database.drop();
});

test('kill -9 mid-load loses nothing, doubles nothing, half-writes nothing', async () => {
  await withSeed(SCENARIO, async (seed, rng) => {
    const { users, accounts, service } = await bookingFixture(database.db, {
      accounts: 4,
      amount: '1500.00',
      price: '37.50',
    });

    // Roll-ups run constantly, so the kill may well land in the middle of one.
    const first = await startServerProcess({ databaseUrl: database.url, env: { ROLLUP_INTERVAL_MS: '50' } });
    servers.push(first);
    const attempts: { input: BookingInput; outcome: Outcome }[] = [];
    let killed = false;
    let sent = 0;
    const client = async () => {
      while (!killed) {
        const input = {
          accountId: rng.pick(accounts).id,
          serviceId: service.id,
          plannedDate: inDays(rng.int(1, 20)),
          idempotencyKey: seededKey(seed, sent++),
        };
        attempts.push({ input, outcome: await postBooking(first.baseUrl, users.csm.token, input) });
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, client));
    // Kill once a seeded number of bookings has been confirmed, at a seeded moment after that.
    const confirmedBeforeKill = rng.int(10, 60);
    const deadline = Date.now() + 60_000;
    while (attempts.filter((a) => a.outcome.kind === 'BOOKED').length < confirmedBeforeKill) {
      if (Date.now() > deadline)
        throw new Error(
          `no ${confirmedBeforeKill} bookings within 60 s: ${JSON.stringify(attempts.slice(-3))}`,
        );
      await sleep(5);
    }
    await sleep(rng.int(0, 50));
    const pid = first.child.pid!;
    const answered = () => new Set(attempts.map((a) => a.input.idempotencyKey));
    let unanswered: string[] = [];
    for (let tries = 0; ; tries += 1) {
      if (tries > FREEZES_MAX)
        throw new Error(`no frozen moment with a committed, unanswered booking in ${FREEZES_MAX} tries`);
      process.kill(pid, 'SIGSTOP');
      await sleep(20); // answers already on their way are read meanwhile
      const inFlight = sent - attempts.length;
      const stored: { key: string }[] = await database
        .db('idempotency_keys')
        .where({ outcome: 'RESULT', actor_user_id: users.csm.user.id })
        .select('key');
      const seen = answered();
      unanswered = stored.map((row) => row.key).filter((key) => !seen.has(key));
      if (inFlight > 0 && unanswered.length > 0) break;
      process.kill(pid, 'SIGCONT');
      await sleep(rng.int(1, 15));
    }
    killed = true;
    await first.stop('SIGKILL');
    await load;

    const unexpected = attempts.filter((a) => a.outcome.kind === 'OTHER' || a.outcome.kind === 'RETRYABLE');
    expect(unexpected).toEqual([]);
    const confirmed = attempts.filter((a) => a.outcome.kind === 'BOOKED');
    const cutOff = attempts.filter((a) => a.outcome.kind === 'NETWORK');
    // The point of this scenario: requests were cut off, and some of them had committed.
    expect(cutOff.length).toBeGreaterThan(0);
    const committedCutOff = cutOff.filter((a) => unanswered.includes(a.input.idempotencyKey));
    expect(committedCutOff.length).toBe(unanswered.length);
    expect(committedCutOff.length).toBeGreaterThan(0);

    // Nothing the crash could leave behind, before the restart touches anything.
    const beforeRestart = await checkBookingInvariants(database.db);
    const found = await database.db('bookings').whereIn(
      'id',
      confirmed.map((a) => (a.outcome as { bookingId: string }).bookingId),
    );
    expect(found).toHaveLength(confirmed.length);

    const queued = await countRows(database.db, 'ledger_rollup_queue');
    const second = await startServerProcess({ databaseUrl: database.url });
    servers.push(second);
    // The requests the crash cut off: retried with the same key, each takes effect at most once.
    const retried = [];
    for (const attempt of cutOff)
      retried.push(await postBooking(second.baseUrl, users.csm.token, attempt.input));
    expect(retried.filter((o) => o.kind !== 'BOOKED' && o.kind !== 'REFUSED')).toEqual([]);
    // Those that had committed come back as the booking they made, not a second one.
    for (const attempt of committedCutOff) {
      const stored = await database
        .db('idempotency_keys')
        .where({ key: attempt.input.idempotencyKey })
        .first('result_id');
      expect(retried[cutOff.indexOf(attempt)]).toEqual({ kind: 'BOOKED', bookingId: stored.result_id });
    }
    // A confirmed booking replayed gives back the same booking, not a second one.
    for (const attempt of confirmed.slice(0, 5))
      expect(await postBooking(second.baseUrl, users.csm.token, attempt.input)).toEqual(attempt.outcome);

    const booked = new Set([
      ...confirmed.map((a) => (a.outcome as { bookingId: string }).bookingId),
      ...retried.flatMap((o) => (o.kind === 'BOOKED' ? [o.bookingId] : [])),
    ]);
    const after = await checkBookingInvariants(database.db);
    expect(after.bookings).toBe(booked.size);
    const ledgerEntries = await checkReportsMatchLedger(
      second.baseUrl,
      users.finance.token,
      database.db,
      fiscalYearNow(),
    );
    report(SCENARIO, {
      seed,
      'requests sent': attempts.length,
      'bookings confirmed': confirmed.length,
      'bookings found': found.length,
      'cut off by the kill': cutOff.length,
      'cut off that had committed': committedCutOff.length,
      'cut off, retried, booked anew': after.bookings - beforeRestart.bookings,
      'bookings after retries': after.bookings,
      'budgets checked': after.budgets,
      'ledger entries reconciled with the reports': ledgerEntries,
      'entries still queued for roll-up at the kill': queued,
    });
  });
});
