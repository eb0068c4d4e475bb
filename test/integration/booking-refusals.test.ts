// Every way booking, delivering, cancelling and deciding can refuse, with the words a CSM reads:
// the error class, the field it names and the message, exactly. A refusal that says the wrong
// thing, or names the wrong field, or is not made at all, fails here.
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
  createPaidService,
  createServicePricedNextYear,
  inDays,
  key,
  keyAccountWithBudget,
} from '../support/money';
import { retireExpertService } from '../../src/modules/catalog/service';
import {
  BOOKING_PEOPLE_MAX,
  NOTES_LENGTH_MAX,
  PLANNED_DAYS_AHEAD_MAX,
  bookFreeService,
  cancelBooking,
  decideBookingException,
  deliverBooking,
  type BookInput,
} from '../../src/modules/budgets/service';

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
const finance = () => actorOf(users.finance);
const admin = () => actorOf(users.admin);
const today = () => DateTime.now().setZone(config.fiscal.timeZone).toISODate()!;

async function setUp(amount = '100.00') {
  const { account, budget } = await keyAccountWithBudget(database.db, org, finance(), { amount });
  const service = await createFreeService(database.db, admin(), '60.00');
  const name = (await database.db('customers').where({ id: account.id }).first('name')).name as string;
  const input = (changes: Partial<BookInput> = {}): BookInput => ({
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
    ...changes,
  });
  return { account, budget, service, name, input };
}

test('booking: each refusal says what is wrong and names the field', async () => {
  const { budget, service, name, input } = await setUp();
  const earliest = DateTime.fromISO(today()).minus({ days: config.reservationLapseDays }).toISODate();
  const latest = DateTime.fromISO(today()).plus({ days: PLANNED_DAYS_AHEAD_MAX }).toISODate();
  const paid = await createPaidService(database.db, admin(), 'Paid implementation');
  const retired = await createFreeService(database.db, admin(), '5.00');
  await retireExpertService(contextFor(database.db, admin()), retired.id);
  const unpriced = await createServicePricedNextYear(database.db, admin(), 'Priced from next year');
  const ordinary = await org.customer('B');
  const ordinaryName = (await database.db('customers').where({ id: ordinary.id }).first('name')).name;
  const sales = org.salesRep.id;
  const cases: [string, Partial<BookInput>, unknown][] = [
    [
      'notes too long',
      { notes: 'x'.repeat(NOTES_LENGTH_MAX + 1) },
      {
        error: 'ValidationError',
        field: 'input.notes',
        message: `notes are longer than ${NOTES_LENGTH_MAX} characters`,
      },
    ],
    [
      'planned too early',
      { plannedDate: DateTime.fromISO(earliest!).minus({ days: 1 }).toISODate()! },
      {
        error: 'ValidationError',
        field: 'input.plannedDate',
        message: `plannedDate must be between ${earliest} and ${latest}`,
      },
    ],
    [
      'planned too late',
      { plannedDate: DateTime.fromISO(latest!).plus({ days: 1 }).toISODate()! },
      {
        error: 'ValidationError',
        field: 'input.plannedDate',
        message: `plannedDate must be between ${earliest} and ${latest}`,
      },
    ],
    [
      'an exception without a reason',
      { requestException: true },
      {
        error: 'ValidationError',
        field: 'input.exceptionReason',
        message: 'a reason of 1–1000 characters is required',
      },
    ],
    [
      'a paid service',
      { serviceId: paid.id },
      {
        error: 'ValidationError',
        field: 'input.serviceId',
        message: 'Paid implementation is a paid service: order it instead',
      },
    ],
    [
      'a retired service',
      { serviceId: retired.id },
      { error: 'ValidationError', field: 'input.serviceId', message: 'Service 5.00 is retired' },
    ],
    [
      'a service with no price yet',
      { serviceId: unpriced.id },
      {
        error: 'ValidationError',
        field: 'input.serviceId',
        message: `Priced from next year has no settlement price in force on ${today()}`,
      },
    ],
    [
      'a person of a department that does not deliver free services',
      { personIds: [sales] },
      {
        error: 'ValidationError',
        field: 'input.personIds.0',
        message: `free services are delivered by service, solutions or pre-sales people; ${org.salesRep.name} is in SALES`,
      },
    ],
    [
      'too many people',
      { personIds: Array.from({ length: BOOKING_PEOPLE_MAX + 1 }, () => crypto.randomUUID()) },
      {
        error: 'ValidationError',
        field: 'input.personIds',
        message: `at most ${BOOKING_PEOPLE_MAX} people per booking`,
      },
    ],
  ];
  const answers = [];
  for (const [label, changes] of cases)
    answers.push([label, await refusal(() => bookFreeService(csm(), input(changes)))]);
  expect(answers).toEqual(cases.map(([label, , expected]) => [label, expected]));

  // An ordinary account (an ADMIN may try; a CSM cannot even see one, which has no CSM).
  expect(
    await refusal(() => bookFreeService(contextFor(database.db, admin()), input({ accountId: ordinary.id }))),
  ).toEqual({
    error: 'ValidationError',
    field: 'input.accountId',
    message: `free expert services are for key accounts (A, C); ${ordinaryName} is tier B`,
  });
  // Over the budget: what remains, and what did not fit.
  await bookFreeService(csm(), input());
  expect(await refusal(() => bookFreeService(csm(), input()))).toEqual({
    error: 'BudgetExceededError',
    field: null,
    message: 'the budget has 40.00 CNY remaining; 60.00 CNY does not fit',
  });
  // FINANCE reads the account but does not book on it.
  expect(await refusal(() => bookFreeService(contextFor(database.db, finance()), input()))).toEqual({
    error: 'ForbiddenActionError',
    field: null,
    message: `only the CSM of ${name} (or an ADMIN) may book and manage its free services`,
  });
  // A closed budget, and a price in another currency.
  await database.db('budgets').where({ id: budget.id }).update({ closed_at: database.db.fn.now() });
  expect(await refusal(() => bookFreeService(csm(), input({ serviceId: service.id })))).toEqual({
    error: 'ValidationError',
    field: 'input.plannedDate',
    message: `the FY${budget.fiscalYear} budget of ${name} is closed`,
  });
  await database.db('budgets').where({ id: budget.id }).update({ closed_at: null });
  await database.db('expert_service_prices').where({ service_id: service.id }).update({ currency: 'USD' });
  expect(await refusal(() => bookFreeService(csm(), input()))).toEqual({
    error: 'ValidationError',
    field: 'input.serviceId',
    message: 'the price is in USD but the budget is in CNY',
  });
  await database.db('expert_service_prices').where({ service_id: service.id }).update({ currency: 'CNY' });
  // No budget for the year the planned date falls in (next June is always within the 730 days).
  const nextYear = DateTime.fromISO(today()).plus({ years: 1 }).set({ month: 6, day: 1 }).toISODate()!;
  expect(nextYear <= latest!).toBe(true);
  expect(await refusal(() => bookFreeService(csm(), input({ plannedDate: nextYear })))).toEqual({
    error: 'ValidationError',
    field: 'input.plannedDate',
    message: `${name} has no operating budget for FY${budget.fiscalYear + 1}`,
  });
});

test('deliver, cancel and decide: illegal steps and wrong roles are refused with their words', async () => {
  const { input, name } = await setUp('1000.00');
  const booked = await bookFreeService(csm(), input());
  await cancelBooking(csm(), { bookingId: booked.id, reason: 'changed plans', idempotencyKey: key() });
  expect(await refusal(() => deliverBooking(csm(), { bookingId: booked.id, idempotencyKey: key() }))).toEqual(
    {
      error: 'InvalidTransitionError',
      field: null,
      message: 'Booking cannot go from CANCELLED to DELIVERED',
    },
  );
  expect(
    await refusal(() =>
      cancelBooking(csm(), { bookingId: booked.id, reason: 'again', idempotencyKey: key() }),
    ),
  ).toEqual({
    error: 'InvalidTransitionError',
    field: null,
    message: 'Booking cannot go from CANCELLED to CANCELLED',
  });
  expect(
    await refusal(() =>
      decideBookingException(contextFor(database.db, actorOf(users.salesLeader)), {
        bookingId: booked.id,
        approve: true,
        idempotencyKey: key(),
      }),
    ),
  ).toEqual({
    error: 'InvalidTransitionError',
    field: null,
    message: 'Booking cannot go from CANCELLED to BOOKED',
  });
  expect(
    await refusal(() =>
      decideBookingException(csm(), { bookingId: booked.id, approve: true, idempotencyKey: key() }),
    ),
  ).toEqual({
    error: 'ForbiddenActionError',
    field: null,
    message: 'only a SALES_LEADER may decide budget exceptions',
  });
  const open = await bookFreeService(csm(), input());
  expect(
    await refusal(() => cancelBooking(csm(), { bookingId: open.id, reason: ' ', idempotencyKey: key() })),
  ).toEqual({
    error: 'ValidationError',
    field: 'input.reason',
    message: 'a reason of 1–1000 characters is required',
  });
  expect(
    await refusal(() =>
      deliverBooking(contextFor(database.db, finance()), { bookingId: open.id, idempotencyKey: key() }),
    ),
  ).toEqual({
    error: 'ForbiddenActionError',
    field: null,
    message: `only the CSM of ${name} (or an ADMIN) may book and manage its free services`,
  });
  const unknown = crypto.randomUUID();
  expect(await refusal(() => deliverBooking(csm(), { bookingId: unknown, idempotencyKey: key() }))).toEqual({
    error: 'NotFoundError',
    field: 'input.bookingId',
    message: `Booking ${unknown} does not exist or is not visible to you`,
  });
});
