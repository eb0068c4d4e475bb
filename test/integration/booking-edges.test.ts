// Bookings at their edges, in-process so that mutation testing sees them: what a booking keeps
// (people once each, trimmed notes, no stray exception reason), the first and last planned day
// accepted, each bad person, a zero price that moves no money, a delivery that costs exactly what
// is left against one cent more, an exception approved when it fits against one that does not,
// and the expiry sweep at its cut-off and across more than one batch.
import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { refusal } from '../support/refusal';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import {
  actorOf,
  config,
  contextFor,
  createFreeService,
  fiscalYearNow,
  fiscalYearOfDay,
  inDays,
  key,
  keyAccountWithBudget,
  ledgerMismatches,
} from '../support/money';
import {
  BOOKING_PEOPLE_MAX,
  NOTES_LENGTH_MAX,
  PLANNED_DAYS_AHEAD_MAX,
  bookFreeService,
  cancelBooking,
  decideBookingException,
  deliverBooking,
  expireLapsedBookings,
  type BookInput,
} from '../../src/modules/budgets/service';
import { adjustBudget, readBudget } from '../../src/modules/budgets/service';
import * as repository from '../../src/modules/budgets/repository';
import * as teams from '../../src/modules/teams/repository';
import { Decimal } from '../../src/shared/money';

let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;

beforeAll(async () => {
  database = await createTestDatabase();
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
});
afterAll(async () => database.drop());

const csm = () => contextFor(database.db, actorOf(users.csm, org.csm.id));
const finance = () => contextFor(database.db, actorOf(users.finance));
const sales = () => contextFor(database.db, actorOf(users.salesLeader));
const admin = () => actorOf(users.admin);
const today = () => DateTime.now().setZone(config.fiscal.timeZone).toISODate()!;
const shift = (day: string, days: number) => DateTime.fromISO(day).plus({ days }).toISODate()!;
const d = (value: string) => new Decimal(value);

async function setUp(amount = '100.00', price = '60.00') {
  const { account, budget } = await keyAccountWithBudget(database.db, org, finance().actor!, { amount });
  const service = await createFreeService(database.db, admin(), price);
  const input = (changes: Partial<BookInput> = {}): BookInput => ({
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
    ...changes,
  });
  return { account, budget, service, input };
}

const remaining = async (budgetId: string) =>
  (await readBudget(finance(), budgetId)).totals.remaining.toFixed(2);
const ledgerOf = async (bookingId: string) =>
  (
    await database
      .db('ledger_entries')
      .where({ booking_id: bookingId })
      .orderBy('id')
      .select('kind', 'amount', 'reason', 'actor_user_id')
  ).map((row: { kind: string; amount: string; reason: string | null; actor_user_id: string | null }) => [
    row.kind,
    row.amount,
    row.reason,
    row.actor_user_id,
  ]);

test('a booking keeps each person once, trimmed notes, and no exception reason unless one is requested', async () => {
  const { account, budget, service, input } = await setUp();
  const notes = `  ${'n'.repeat(NOTES_LENGTH_MAX)}  `;
  const people = [org.expertPerson.id, org.supportEngineer.id, org.expertPerson.id];
  const booking = await bookFreeService(
    csm(),
    input({ personIds: people, notes, exceptionReason: 'kept only for an exception' }),
  );
  expect({ ...booking, createdAt: undefined, settlementPrice: booking.settlementPrice.toFixed(2) }).toEqual({
    id: booking.id,
    accountId: account.id,
    budgetId: budget.id,
    serviceId: service.id,
    requestedBy: users.csm.user.id,
    csmPersonId: org.csm.id,
    plannedDate: inDays(3),
    state: 'BOOKED',
    settlementPrice: '60.00',
    actualCost: null,
    currency: 'CNY',
    notes: 'n'.repeat(NOTES_LENGTH_MAX),
    exceptionReason: null,
    exceptionDecidedBy: null,
    exceptionDecisionReason: null,
    overrun: false,
    createdAt: undefined,
    deliveredAt: null,
    closedAt: null,
  });
  const stored = await repository.findBookingPeople(database.db, [booking.id]);
  expect(stored.map((p) => p.personId).sort()).toEqual([org.expertPerson.id, org.supportEngineer.id].sort());
  expect(await ledgerOf(booking.id)).toEqual([['RESERVE', '60.00', null, users.csm.user.id]]);
  // A reason given without asking for an exception is still checked.
  expect(await refusal(() => bookFreeService(csm(), input({ exceptionReason: 'x'.repeat(1001) })))).toEqual({
    error: 'ValidationError',
    field: 'input.exceptionReason',
    message: 'a reason of 1–1000 characters is required',
  });
});

test('the first and the last planned day are accepted (or meet the budget year, not the date rule)', async () => {
  const { account, input } = await setUp('1000.00', '1.00');
  const name = (await database.db('customers').where({ id: account.id }).first('name')).name as string;
  const earliest = shift(today(), -config.reservationLapseDays);
  const latest = shift(today(), PLANNED_DAYS_AHEAD_MAX);
  // The last day is two years out: no budget for it, which is the next check after the date rule.
  expect(await refusal(() => bookFreeService(csm(), input({ plannedDate: latest })))).toEqual({
    error: 'ValidationError',
    field: 'input.plannedDate',
    message: `${name} has no operating budget for FY${fiscalYearOfDay(latest)}`,
  });
  const first = await refusal(() => bookFreeService(csm(), input({ plannedDate: earliest })));
  expect(first).toEqual(
    fiscalYearOfDay(earliest) === fiscalYearNow()
      ? 'done'
      : {
          error: 'ValidationError',
          field: 'input.plannedDate',
          message: `${name} has no operating budget for FY${fiscalYearOfDay(earliest)}`,
        },
  );
});

test('each bad person or service names its place in the input', async () => {
  const { input, budget } = await setUp();
  const unknown = crypto.randomUUID();
  const inactive = await database
    .db('people')
    .insert({ name: `Inactive ${org.tag}`, department: 'SOLUTIONS', skills: [], active: false })
    .returning(['id', 'name'])
    .then((rows: { id: string; name: string }[]) => rows[0]!);
  const cases: [string, Partial<BookInput>, unknown][] = [
    [
      'a malformed person id',
      { personIds: [org.expertPerson.id, 'nope'] },
      {
        error: 'ValidationError',
        field: 'input.personIds.1',
        message: 'input.personIds.1 must be an id (UUID), got "nope"',
      },
    ],
    [
      'an unknown person',
      { personIds: [org.expertPerson.id, unknown] },
      {
        error: 'NotFoundError',
        field: 'input.personIds.1',
        message: `Person ${unknown} does not exist or is not visible to you`,
      },
    ],
    [
      'an inactive person',
      { personIds: [inactive.id] },
      { error: 'ValidationError', field: 'input.personIds.0', message: `${inactive.name} is inactive` },
    ],
    [
      'a malformed service id',
      { serviceId: 'nope' },
      {
        error: 'ValidationError',
        field: 'input.serviceId',
        message: 'input.serviceId must be an id (UUID), got "nope"',
      },
    ],
    [
      'an unknown service',
      { serviceId: unknown },
      {
        error: 'NotFoundError',
        field: 'input.serviceId',
        message: `ExpertService ${unknown} does not exist or is not visible to you`,
      },
    ],
  ];
  for (const [name, changes, expected] of cases)
    expect([name, await refusal(() => bookFreeService(csm(), input(changes)))]).toEqual([name, expected]);
  expect(await remaining(budget.id)).toBe('100.00');
  const ids = (field: 'bookingId') =>
    refusal(() => deliverBooking(csm(), { [field]: 'nope', idempotencyKey: key() } as never));
  expect(await ids('bookingId')).toEqual({
    error: 'ValidationError',
    field: 'input.bookingId',
    message: 'input.bookingId must be an id (UUID), got "nope"',
  });
  expect(
    await refusal(() => cancelBooking(csm(), { bookingId: 'nope', reason: 'r', idempotencyKey: key() })),
  ).toEqual({
    error: 'ValidationError',
    field: 'input.bookingId',
    message: 'input.bookingId must be an id (UUID), got "nope"',
  });
  expect(
    await refusal(() =>
      decideBookingException(sales(), { bookingId: 'nope', approve: true, idempotencyKey: key() }),
    ),
  ).toEqual({
    error: 'ValidationError',
    field: 'input.bookingId',
    message: 'input.bookingId must be an id (UUID), got "nope"',
  });
  expect(
    await refusal(() =>
      deliverBooking(csm(), {
        bookingId: crypto.randomUUID(),
        actualCost: d('-1'),
        idempotencyKey: key(),
      }),
    ),
  ).toEqual({
    error: 'ValidationError',
    field: 'input.actualCost',
    message: 'actualCost cannot be negative',
  });
});

test('a zero price reserves, releases and spends nothing; a zero actual cost spends nothing', async () => {
  const { budget, input } = await setUp('100.00', '0.00');
  const delivered = await bookFreeService(csm(), input());
  const cancelled = await bookFreeService(csm(), input());
  expect(await ledgerOf(delivered.id)).toEqual([]);
  await deliverBooking(csm(), { bookingId: delivered.id, idempotencyKey: key() });
  await cancelBooking(csm(), { bookingId: cancelled.id, reason: 'not needed', idempotencyKey: key() });
  expect([await ledgerOf(delivered.id), await ledgerOf(cancelled.id)]).toEqual([[], []]);
  expect(await remaining(budget.id)).toBe('100.00');

  const paid = await setUp('100.00', '30.00');
  const free = await bookFreeService(csm(), paid.input());
  const after = await deliverBooking(csm(), {
    bookingId: free.id,
    actualCost: d('0'),
    idempotencyKey: key(),
  });
  expect([after.state, after.actualCost?.toFixed(2), after.overrun]).toEqual(['DELIVERED', '0.00', false]);
  expect(await ledgerOf(free.id)).toEqual([
    ['RESERVE', '30.00', null, users.csm.user.id],
    ['RELEASE', '30.00', null, users.csm.user.id],
  ]);
  expect(await remaining(paid.budget.id)).toBe('100.00');

  // A budget past zero under STOP still takes a zero-price booking, with no exception.
  const spent = await bookFreeService(csm(), paid.input());
  await deliverBooking(csm(), { bookingId: spent.id, actualCost: d('100.01'), idempotencyKey: key() });
  expect(await remaining(paid.budget.id)).toBe('-0.01');
  const costless = await createFreeService(database.db, admin(), '0.00');
  const onOverspent = await bookFreeService(csm(), paid.input({ serviceId: costless.id }));
  expect([onOverspent.state, onOverspent.overrun, await ledgerOf(onOverspent.id)]).toEqual([
    'BOOKED',
    false,
    [],
  ]);
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

test('a delivery costing exactly what is left is no overrun; one cent more is', async () => {
  // 100 allocated, 60 reserved by this booking: 100 is left for it once released.
  const exact = await setUp('100.00', '60.00');
  const fits = await bookFreeService(csm(), exact.input());
  const atEdge = await deliverBooking(csm(), {
    bookingId: fits.id,
    actualCost: d('100.00'),
    idempotencyKey: key(),
  });
  expect([atEdge.actualCost?.toFixed(2), atEdge.overrun, await remaining(exact.budget.id)]).toEqual([
    '100.00',
    false,
    '0.00',
  ]);
  expect(await ledgerOf(fits.id)).toEqual([
    ['RESERVE', '60.00', null, users.csm.user.id],
    ['RELEASE', '60.00', null, users.csm.user.id],
    ['SPEND', '100.00', null, users.csm.user.id],
  ]);
  const over = await setUp('100.00', '60.00');
  const past = await bookFreeService(csm(), over.input());
  const beyond = await deliverBooking(csm(), {
    bookingId: past.id,
    actualCost: d('100.01'),
    idempotencyKey: key(),
  });
  expect([beyond.overrun, await remaining(over.budget.id)]).toEqual([true, '-0.01']);
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

test('an approved exception that fits by then is no overrun; one that does not is flagged; a rejection moves nothing', async () => {
  const { budget, input } = await setUp('50.00', '60.00');
  const later = await bookFreeService(csm(), input({ requestException: true, exceptionReason: ' launch ' }));
  const short = await bookFreeService(csm(), input({ requestException: true, exceptionReason: 'urgent' }));
  const rejected = await bookFreeService(csm(), input({ requestException: true, exceptionReason: 'maybe' }));
  expect([later.state, later.exceptionReason, await remaining(budget.id)]).toEqual([
    'PENDING_APPROVAL',
    'launch',
    '50.00',
  ]);
  await adjustBudget(finance(), {
    budgetId: budget.id,
    amount: d('10.00'),
    reason: 'top up',
    idempotencyKey: key(),
  });
  const fits = await decideBookingException(sales(), {
    bookingId: later.id,
    approve: true,
    idempotencyKey: key(),
  });
  expect([fits.state, fits.overrun, fits.exceptionDecidedBy, await remaining(budget.id)]).toEqual([
    'BOOKED',
    false,
    users.salesLeader.user.id,
    '0.00',
  ]);
  expect(await ledgerOf(later.id)).toEqual([
    ['RESERVE', '60.00', 'exception approved: launch', users.salesLeader.user.id],
  ]);
  const flagged = await decideBookingException(sales(), {
    bookingId: short.id,
    approve: true,
    idempotencyKey: key(),
  });
  expect([flagged.state, flagged.overrun, await remaining(budget.id)]).toEqual(['BOOKED', true, '-60.00']);
  const no = await decideBookingException(sales(), {
    bookingId: rejected.id,
    approve: false,
    idempotencyKey: key(),
  });
  expect([no.state, no.overrun, no.exceptionDecidedBy, await ledgerOf(rejected.id)]).toEqual([
    'REJECTED',
    false,
    users.salesLeader.user.id,
    [],
  ]);
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

test('the sweep expires a booking planned before its cut-off, not one planned on it', async () => {
  const { budget, input } = await setUp('100.00', '10.00');
  const onCutoff = await bookFreeService(csm(), input());
  const before = await bookFreeService(csm(), input());
  const lapseDays = 5;
  const cutoff = shift(today(), -lapseDays);
  // Planned dates moved into the past directly: the booking rules would not take them today.
  await database.db('bookings').where({ id: onCutoff.id }).update({ planned_date: cutoff });
  await database
    .db('bookings')
    .where({ id: before.id })
    .update({ planned_date: shift(cutoff, -1) });
  const sweep = { ...contextFor(database.db, null), config: { ...config, reservationLapseDays: lapseDays } };
  const lapsed = await database
    .db('bookings')
    .where({ state: 'BOOKED' })
    .where('planned_date', '<', cutoff)
    .count('* as n');
  expect(await expireLapsedBookings(sweep)).toBe(Number(lapsed[0]!.n));
  const states = await database.db('bookings').whereIn('id', [onCutoff.id, before.id]).select('id', 'state');
  expect(Object.fromEntries(states.map((s: { id: string; state: string }) => [s.id, s.state]))).toEqual({
    [onCutoff.id]: 'BOOKED',
    [before.id]: 'EXPIRED',
  });
  expect(await ledgerOf(before.id)).toEqual([
    ['RESERVE', '10.00', null, users.csm.user.id],
    ['RELEASE', '10.00', `lapsed: planned ${shift(cutoff, -1)}, not delivered by ${cutoff}`, null],
  ]);
  expect(await remaining(budget.id)).toBe('90.00');
  expect(await expireLapsedBookings(sweep)).toBe(0);
});

test('the sweep goes on past one batch', async () => {
  const { account, budget, service } = await setUp('100.00', '0.00');
  const day = shift(today(), -40);
  // More lapsed zero-price bookings than one batch takes (a batch of 4 here, as the default of
  // EXPIRY_BATCH_MAX behaves alike), written directly (nothing to reserve).
  const batch = 4;
  const count = 2 * batch + 1;
  await database.db.transaction(async (trx) => {
    for (let i = 0; i < count; i += 1)
      await repository.insertBooking(trx, {
        id: crypto.randomUUID(),
        accountId: account.id,
        budgetId: budget.id,
        serviceId: service.id,
        requestedBy: users.csm.user.id,
        csmPersonId: org.csm.id,
        plannedDate: day,
        state: 'BOOKED',
        settlementPrice: d('0'),
        currency: 'CNY',
        notes: '',
        exceptionReason: null,
        overrun: false,
      });
  });
  const sweep = { ...contextFor(database.db, null), config: { ...config, reservationLapseDays: 30 } };
  expect(await expireLapsedBookings(sweep, batch)).toBe(count);
  expect(
    await database
      .db('bookings')
      .where({ budget_id: budget.id })
      .groupBy('state')
      .select('state')
      .count('* as n'),
  ).toEqual([{ state: 'EXPIRED', n: String(count) }]);
  expect(await remaining(budget.id)).toBe('100.00');
});

test('a booking takes up to BOOKING_PEOPLE_MAX people, and one without notes keeps empty notes', async () => {
  const { input } = await setUp('100000.00', '1.00');
  const people: string[] = [];
  for (let i = 0; i <= BOOKING_PEOPLE_MAX; i += 1)
    people.push(
      (
        await teams.insertPerson(database.db, {
          name: `Expert ${i} ${crypto.randomBytes(3).toString('hex')}`,
          department: 'SOLUTIONS',
          skills: [],
          active: true,
          userId: null,
        })
      ).id,
    );
  const most = await bookFreeService(csm(), input({ personIds: people.slice(0, BOOKING_PEOPLE_MAX) }));
  expect((await repository.findBookingPeople(database.db, [most.id])).length).toBe(BOOKING_PEOPLE_MAX);
  expect(most.notes).toBe('');
  expect(await refusal(() => bookFreeService(csm(), input({ personIds: people })))).toEqual({
    error: 'ValidationError',
    field: 'input.personIds',
    message: `at most ${BOOKING_PEOPLE_MAX} people per booking`,
  });
});

test('each money step keeps its idempotency key under its own operation, with the booking as its result', async () => {
  const { input } = await setUp('130.00', '60.00');
  const stored = async (k: string) =>
    database.db('idempotency_keys').where({ key: k }).first('operation', 'result_type', 'result_id');
  const bookKey = key();
  const booked = await bookFreeService(csm(), input({ idempotencyKey: bookKey }));
  const deliverKey = key();
  await deliverBooking(csm(), { bookingId: booked.id, idempotencyKey: deliverKey });
  const second = await bookFreeService(csm(), input()); // 10.00 left: the next one needs an exception
  const pending = await bookFreeService(csm(), input({ requestException: true, exceptionReason: 'renewal' }));
  const cancelKey = key();
  await cancelBooking(csm(), { bookingId: second.id, reason: 'not needed', idempotencyKey: cancelKey });
  const decideKey = key();
  await decideBookingException(sales(), { bookingId: pending.id, approve: false, idempotencyKey: decideKey });
  expect([
    await stored(bookKey),
    await stored(deliverKey),
    await stored(cancelKey),
    await stored(decideKey),
  ]).toEqual([
    { operation: 'bookFreeService', result_type: 'Booking', result_id: booked.id },
    { operation: 'deliverBooking', result_type: 'Booking', result_id: booked.id },
    { operation: 'cancelBooking', result_type: 'Booking', result_id: second.id },
    { operation: 'decideBookingException', result_type: 'Booking', result_id: pending.id },
  ]);
  const audit = await database
    .db('audit_log')
    .where({ entity_id: pending.id })
    .orderBy('id')
    .select('action', 'entity_type');
  expect(audit).toEqual([
    { action: 'booking.requestException', entity_type: 'Booking' },
    { action: 'booking.rejectException', entity_type: 'Booking' },
  ]);
});

test('another CSM acting on a booking is told the booking does not exist, not whose account it is', async () => {
  const { input } = await setUp('100.00', '60.00');
  const booked = await bookFreeService(csm(), input());
  const other = contextFor(database.db, actorOf(users.otherCsm, org.otherCsm.id));
  const notFound = {
    error: 'NotFoundError',
    field: 'input.bookingId',
    message: `Booking ${booked.id} does not exist or is not visible to you`,
  };
  expect(await refusal(() => deliverBooking(other, { bookingId: booked.id, idempotencyKey: key() }))).toEqual(
    notFound,
  );
  expect(
    await refusal(() => cancelBooking(other, { bookingId: booked.id, reason: 'x', idempotencyKey: key() })),
  ).toEqual(notFound);
});

test('cancelling a booking still waiting for its exception releases nothing: nothing was reserved', async () => {
  const { budget, input } = await setUp('10.00', '60.00');
  const pending = await bookFreeService(csm(), input({ requestException: true, exceptionReason: 'renewal' }));
  expect(pending.state).toBe('PENDING_APPROVAL');
  const cancelled = await cancelBooking(csm(), {
    bookingId: pending.id,
    reason: 'withdrawn',
    idempotencyKey: key(),
  });
  expect(cancelled.state).toBe('CANCELLED');
  expect(await ledgerOf(pending.id)).toEqual([]);
  expect(await remaining(budget.id)).toBe('10.00');
  expect(await ledgerMismatches(database.db, budget.id)).toEqual([]);
});

test('the sweep skips a lapsed booking another transaction holds, returns, and expires it once it is free', async () => {
  const { budget, input } = await setUp('100.00', '10.00');
  const sweep = { ...contextFor(database.db, null), config: { ...config, reservationLapseDays: 0 } };
  await expireLapsedBookings(sweep); // the earlier tests' lapsed bookings: this one is then the only candidate
  const lapsed = await bookFreeService(csm(), input({ plannedDate: inDays(-config.reservationLapseDays) }));
  const holder = await database.db.transaction();
  try {
    await holder.raw('select id from bookings where id = ? for update', [lapsed.id]);
    // One candidate, held: a batch of one that made no progress ends the sweep at once.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve('still waiting after 5 s'), 5000);
    });
    try {
      expect(await Promise.race([expireLapsedBookings(sweep, 1), timeout])).toBe(0);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await holder.rollback();
  }
  expect((await repository.findBookingById(database.db, lapsed.id))!.state).toBe('BOOKED');
  expect(await expireLapsedBookings(sweep, 1)).toBe(1);
  expect((await repository.findBookingById(database.db, lapsed.id))!.state).toBe('EXPIRED');
  expect(await ledgerMismatches(database.db, budget.id)).toEqual([]);
});
