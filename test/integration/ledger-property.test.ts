// Property-based: random sequences of book, deliver, cancel and adjust on one budget (fast-check,
// fixed seed so a failure replays). After every step the database agrees with a simple model and
// with itself: totals = ledger sums, reserved = open bookings, and under STOP never below zero.
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import {
  actorOf,
  contextFor,
  createFreeService,
  inDays,
  key,
  keyAccountWithBudget,
  ledgerMismatches,
} from '../support/money';
import { bookFreeService, cancelBooking, deliverBooking } from '../../src/modules/budgets/bookings';
import { adjustBudget } from '../../src/modules/budgets/service';
import { BudgetExceededError, InvalidTransitionError } from '../../src/shared/errors';
import { Decimal } from '../../src/shared/money';

let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;
let services: { id: string; price: Decimal }[];

const PRICES = ['0.01', '99.99', '250.00', '333.33', '1000.00'];

beforeAll(async () => {
  database = await createTestDatabase();
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
  services = [];
  for (const price of PRICES)
    services.push({
      id: (await createFreeService(database.db, actorOf(users.admin), price)).id,
      price: new Decimal(price),
    });
});
afterAll(async () => database.drop());

type Op =
  | { kind: 'book'; service: number }
  | { kind: 'deliver'; booking: number; cents: number | null }
  | { kind: 'cancel'; booking: number }
  | { kind: 'adjust'; cents: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('book' as const), service: fc.nat({ max: PRICES.length - 1 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      booking: fc.nat({ max: 20 }),
      cents: fc.option(fc.nat({ max: 60_000 }), { nil: null }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), booking: fc.nat({ max: 20 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('adjust' as const),
      cents: fc.integer({ min: -100_000, max: 100_000 }).filter((c) => c !== 0),
    }),
  },
);

test('ledger invariants hold after every step of random sequences', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
      const { account, budget } = await keyAccountWithBudget(database.db, org, actorOf(users.finance), {
        amount: '1500.00',
      });
      const csm = contextFor(database.db, actorOf(users.csm, org.csm.id));
      const finance = contextFor(database.db, actorOf(users.finance));
      // The model: what the budget must hold.
      let allocated = new Decimal('1500.00');
      let spent = new Decimal(0);
      const bookings: { id: string; price: Decimal; state: 'BOOKED' | 'DELIVERED' | 'CANCELLED' }[] = [];
      const reserved = () =>
        bookings.filter((b) => b.state === 'BOOKED').reduce((sum, b) => sum.plus(b.price), new Decimal(0));
      const remaining = () => allocated.minus(reserved()).minus(spent);

      for (const step of ops) {
        const remainingBefore = remaining();
        if (step.kind === 'book') {
          const service = services[step.service]!;
          try {
            const booking = await bookFreeService(csm, {
              accountId: account.id,
              serviceId: service.id,
              plannedDate: inDays(5),
              idempotencyKey: key(),
            });
            expect(service.price.lessThanOrEqualTo(remaining())).toBe(true);
            bookings.push({ id: booking.id, price: service.price, state: 'BOOKED' });
          } catch (error) {
            if (!(error instanceof BudgetExceededError)) throw error;
            expect(service.price.greaterThan(remaining())).toBe(true);
          }
        } else if (step.kind === 'deliver' || step.kind === 'cancel') {
          const target = bookings[step.booking % Math.max(bookings.length, 1)];
          if (!target) continue;
          const cost =
            step.kind === 'deliver' && step.cents !== null ? new Decimal(step.cents).dividedBy(100) : null;
          try {
            if (step.kind === 'deliver')
              await deliverBooking(csm, { bookingId: target.id, actualCost: cost, idempotencyKey: key() });
            else
              await cancelBooking(csm, {
                bookingId: target.id,
                reason: 'property test',
                idempotencyKey: key(),
              });
            expect(target.state).toBe('BOOKED');
            if (step.kind === 'deliver') spent = spent.plus(cost ?? target.price);
            target.state = step.kind === 'deliver' ? 'DELIVERED' : 'CANCELLED';
          } catch (error) {
            if (!(error instanceof InvalidTransitionError)) throw error;
            expect(target.state).not.toBe('BOOKED');
          }
        } else {
          const amount = new Decimal(step.cents).dividedBy(100);
          try {
            await adjustBudget(finance, {
              budgetId: budget.id,
              amount,
              reason: 'property test',
              idempotencyKey: key(),
            });
            allocated = allocated.plus(amount);
          } catch (error) {
            if (!(error instanceof BudgetExceededError)) throw error;
            expect(remaining().plus(amount).isNegative()).toBe(true);
          }
        }
        const row = await database.db('budgets').where({ id: budget.id }).first();
        expect({
          allocated: row.allocated_amount,
          reserved: row.reserved_amount,
          spent: row.spent_amount,
          remaining: row.remaining_amount,
        }).toEqual({
          allocated: allocated.toFixed(2),
          reserved: reserved().toFixed(2),
          spent: spent.toFixed(2),
          remaining: remaining().toFixed(2),
        });
        expect(await ledgerMismatches(database.db, budget.id)).toEqual([]);
        // Bookings and adjustments never take the budget below zero or deeper into it; only a
        // delivery that cost more than was reserved may (and is flagged as an overrun).
        if (step.kind !== 'deliver' && remaining().isNegative()) {
          expect(remaining().greaterThanOrEqualTo(remainingBefore)).toBe(true);
        }
      }
    }),
    { numRuns: 30, seed: 20261122, endOnFailure: true },
  );
  // The runs really reached the database (a guard against a property that never ran).
  const written = await database
    .db('ledger_entries')
    .whereIn('kind', ['RESERVE', 'SPEND', 'RELEASE'])
    .count<{ n: string }[]>('* as n');
  expect(Number(written[0]!.n)).toBeGreaterThan(100);
});
