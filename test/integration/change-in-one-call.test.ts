// Delivering, cancelling and deciding an exception in one database call
// (migrations/20261203000200_change_booking_in_one_call.ts) against each use case's general way,
// on random requests: each runs on two identical accounts (a budget and one booking in a chosen
// state), one through the use case (the one call first, the general way when it writes nothing)
// and one through the general way alone. The property: the one call changes exactly the bookings
// the general way changes, and both leave the same outcome, bookings, totals, entries, audit
// records and stored key. The seed is fixed (PROPERTY_SEED).
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { mostly, observeAttempt } from '../support/one-call';
import {
  actorOf,
  contextFor,
  createFreeService,
  inDays,
  key,
  keyAccountWithBudget,
  ledgerMismatches,
} from '../support/money';
import { bookFreeService, cancelBooking, deliverBooking } from '../../src/modules/budgets/service';
import { deliverTheGeneralWay } from '../../src/modules/budgets/deliver';
import { cancelTheGeneralWay } from '../../src/modules/budgets/cancel';
import { decideBookingException, decideTheGeneralWay } from '../../src/modules/budgets/decide-exception';
import { changeInOneCall } from '../../src/modules/budgets/change-in-one-call';
import { bookingManager } from '../../src/modules/budgets/access';
import { readsAllAccounts } from '../../src/modules/customers/access';
import { Decimal } from '../../src/shared/money';
import type { Actor } from '../../src/shared/auth';
import type { UseCaseContext } from '../../src/shared/context';

const SEED = Number(process.env.PROPERTY_SEED ?? 20261203);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 100);

let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;
let services: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
  const admin = actorOf(users.admin);
  services = {
    zero: (await createFreeService(database.db, admin, '0.00')).id,
    cent: (await createFreeService(database.db, admin, '0.01')).id,
    mid: (await createFreeService(database.db, admin, '250.00')).id,
    large: (await createFreeService(database.db, admin, '1000.00')).id,
  };
});
afterAll(async () => database.drop());

const decisions = ['approve', 'reject'];
const scenario = fc.constantFrom('deliver', 'cancel', 'approve', 'reject').chain((operation) =>
  fc.record({
    operation: fc.constant(operation),
    // The booking as it stands: booked, pending an exception (a price over the budget), or closed.
    start: decisions.includes(operation)
      ? mostly(['pending'], ['booked', 'delivered', 'cancelled'])
      : mostly(['booked', 'pending'], ['delivered', 'cancelled']),
    service: mostly(['cent', 'mid', 'large'], ['zero']),
    allocated: fc.constantFrom('1000.00', '1250.00', '5000.00'),
    // Only a SALES_LEADER reaches either way of a decision (decideBookingException checks first).
    caller: decisions.includes(operation)
      ? fc.constant('salesLeader')
      : mostly(['admin', 'itsCsm', 'salesLeader'], ['otherCsm', 'finance']),
    actualCost: fc.constantFrom(null, '0.00', '99.99', '1000.00', '9000.00'),
    decisionReason: fc.constantFrom(null, 'strategic renewal'),
    badId: mostly([false], [true]),
    badKey: mostly([false], [true]),
  }),
);
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

const admin = () => actorOf(users.admin);
function callerOf(s: Scenario): Actor {
  return {
    admin: actorOf(users.admin),
    itsCsm: actorOf(users.csm, org.csm.id),
    otherCsm: actorOf(users.otherCsm, org.otherCsm.id),
    finance: actorOf(users.finance),
    salesLeader: actorOf(users.salesLeader),
  }[s.caller]!;
}

/** An account whose budget holds one booking in the scenario's starting state. */
async function world(s: Scenario): Promise<{ accountId: string; bookingId: string }> {
  const db = database.db;
  // A pending booking needs a price over what remains: the budget then holds a single cent.
  const pending = s.start === 'pending' && s.service !== 'zero';
  const { account } = await keyAccountWithBudget(db, org, actorOf(users.finance), {
    amount: pending ? '0.01' : s.allocated,
  });
  const booked = await bookFreeService(contextFor(db, admin()), {
    accountId: account.id,
    serviceId: services[s.service]!,
    plannedDate: inDays(3),
    requestException: true,
    exceptionReason: 'pilot for the renewal',
    idempotencyKey: key(),
  });
  if (s.start === 'delivered')
    await deliverBooking(contextFor(db, admin()), { bookingId: booked.id, idempotencyKey: key() });
  if (s.start === 'cancelled')
    await cancelBooking(contextFor(db, admin()), {
      bookingId: booked.id,
      reason: 'set up',
      idempotencyKey: key(),
    });
  return { accountId: account.id, bookingId: booked.id };
}

type Run = {
  operation: string;
  input: { bookingId: string; idempotencyKey: string } & Record<string, unknown>;
};

/** The request, and the two ways to answer it: the use case's one call, then its general way. */
function requestOf(s: Scenario, bookingId: string, context: UseCaseContext) {
  const id = s.badId ? '00000000-0000-4000-8000-000000000000' : bookingId;
  const requestKey = () => (s.badKey ? 'short' : key());
  if (s.operation === 'deliver') {
    const actualCost = s.actualCost === null ? null : new Decimal(s.actualCost);
    const input = { bookingId: id, actualCost, idempotencyKey: requestKey() };
    return {
      run: { operation: 'deliverBooking', input } as Run,
      oneCall: () =>
        changeInOneCall(context, {
          operation: 'deliverBooking',
          input,
          to: 'DELIVERED',
          manager: bookingManager(context.actor),
          actualCost,
        }),
      general: () => deliverTheGeneralWay(context, input, actualCost),
    };
  }
  if (s.operation === 'cancel') {
    const input = { bookingId: id, reason: 'customer postponed', idempotencyKey: requestKey() };
    return {
      run: { operation: 'cancelBooking', input } as Run,
      oneCall: () =>
        changeInOneCall(context, {
          operation: 'cancelBooking',
          input,
          to: 'CANCELLED',
          manager: bookingManager(context.actor),
          reason: input.reason,
        }),
      general: () => cancelTheGeneralWay(context, input, input.reason),
    };
  }
  const approve = s.operation === 'approve';
  const input = { bookingId: id, approve, reason: s.decisionReason, idempotencyKey: requestKey() };
  return {
    run: { operation: 'decideBookingException', input } as Run,
    oneCall: () =>
      changeInOneCall(context, {
        operation: 'decideBookingException',
        input,
        to: approve ? 'BOOKED' : 'REJECTED',
        manager: { anyAccount: readsAllAccounts(context.actor), csmPersonId: null },
        reason: s.decisionReason,
        approve,
      }),
    // The role check comes before either way (decideBookingException); both get past it here.
    general: () => decideTheGeneralWay(context, input, s.decisionReason),
  };
}

test('the one call changes exactly what the general way changes, and writes the same rows', async () => {
  let byOneCall = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      const run = async (oneCallFirst: boolean) => {
        const { accountId, bookingId } = await world(s);
        const context = { ...contextFor(database.db, callerOf(s)), requestId: 'request-under-test' };
        const request = requestOf(s, bookingId, context);
        let answeredByOneCall = false;
        const observed = await observeAttempt(database.db, accountId, request.run, async () => {
          if (oneCallFirst) {
            const changed = await request.oneCall();
            if (changed) {
              answeredByOneCall = true;
              return changed;
            }
          }
          return request.general();
        });
        return { ...observed, answeredByOneCall };
      };
      const fast = await run(true);
      const general = await run(false);
      expect(fast.seen).toEqual(general.seen);
      expect(fast.answeredByOneCall).toBe(general.done);
      if (fast.answeredByOneCall) byOneCall += 1;
    }),
    { seed: SEED, numRuns: RUNS },
  );
  expect(byOneCall).toBeGreaterThanOrEqual(RUNS / 10);
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

test('a delivery, an approved exception and a cancellation through the use cases, end to end', async () => {
  const db = database.db;
  const { account } = await keyAccountWithBudget(db, org, actorOf(users.finance), { amount: '300.00' });
  const csm = contextFor(db, actorOf(users.csm, org.csm.id));
  const book = (exceptionReason?: string) =>
    bookFreeService(csm, {
      accountId: account.id,
      serviceId: services.mid!,
      plannedDate: inDays(3),
      requestException: !!exceptionReason,
      exceptionReason,
      idempotencyKey: key(),
    });
  const first = await book();
  const delivered = await deliverBooking(csm, { bookingId: first.id, idempotencyKey: key() });
  const second = await book('over budget, for the renewal');
  const decided = await decideBookingException(contextFor(db, actorOf(users.salesLeader)), {
    bookingId: second.id,
    approve: true,
    reason: 'worth it',
    idempotencyKey: key(),
  });
  const cancelled = await cancelBooking(csm, {
    bookingId: second.id,
    reason: 'postponed',
    idempotencyKey: key(),
  });
  expect([delivered.state, decided.state, decided.overrun, cancelled.state]).toEqual([
    'DELIVERED',
    'BOOKED',
    true,
    'CANCELLED',
  ]);
  const actions = await db('audit_log')
    .where({ account_id: account.id, entity_type: 'Booking' })
    .orderBy('id')
    .pluck('action');
  expect(actions).toEqual([
    'booking.book',
    'booking.deliver',
    'booking.requestException',
    'booking.approveException',
    'booking.cancel',
  ]);
  const budget = await db('budgets').where({ account_id: account.id }).first();
  expect(budget).toMatchObject({
    reserved_amount: '0.00',
    spent_amount: '250.00',
    remaining_amount: '50.00',
  });
  expect(await ledgerMismatches(db)).toEqual([]);
});
