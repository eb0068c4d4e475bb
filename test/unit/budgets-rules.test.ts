import {
  applyDeltas,
  BOOKING_STATES,
  budgetAmount,
  canTransition,
  closingSplit,
  deltasFor,
  emptyTotals,
  fundsDecision,
  type BookingState,
} from '../../src/modules/budgets/rules';
import { Decimal } from '../../src/shared/money';

const d = (value: string) => new Decimal(value);

describe('what each ledger entry does', () => {
  test.each([
    ['ALLOCATION', '100', ['100', '0', '0']],
    ['OPENING', '100', ['0', '0', '100']],
    ['RESERVE', '100', ['0', '100', '0']],
    ['RELEASE', '100', ['0', '-100', '0']],
    ['SPEND', '100', ['0', '0', '100']],
    ['ADJUSTMENT', '-40', ['-40', '0', '0']],
    ['TRANSFER_IN', '100', ['100', '0', '0']],
    ['TRANSFER_OUT', '100', ['-100', '0', '0']],
    ['LAPSE', '100', ['-100', '0', '0']],
    ['CARRY_OUT', '100', ['-100', '0', '0']],
    ['CARRY_IN', '100', ['100', '0', '0']],
  ] as const)('%s %s moves allocated/reserved/spent by %j', (kind, amount, expected) => {
    const deltas = deltasFor(kind, d(amount));
    expect([deltas.allocated, deltas.reserved, deltas.spent].map((x) => x.toFixed())).toEqual(expected);
  });

  test('only adjustments are signed, and nothing moves zero', () => {
    expect(() => deltasFor('RESERVE', d('-1'))).toThrow('positive');
    expect(() => deltasFor('ADJUSTMENT', d('0'))).toThrow('non-zero');
  });

  test('remaining = allocated − reserved − spent; a release cannot exceed the reservation', () => {
    let totals = emptyTotals();
    totals = applyDeltas(totals, deltasFor('ALLOCATION', d('200000')));
    totals = applyDeltas(totals, deltasFor('OPENING', d('50000')));
    totals = applyDeltas(totals, deltasFor('RESERVE', d('100000')));
    expect(totals.remaining.toFixed(2)).toBe('50000.00');
    expect(() => applyDeltas(totals, deltasFor('RELEASE', d('100000.01')))).toThrow(
      'larger than the reservation',
    );
  });
});

test.each([
  ['10000000', '0.02', '200000.00'],
  ['333333.33', '0.015', '5000.00'], // 4999.999995 rounds half up to the cent
  ['1000', '0.000001', '0.00'],
  ['1234.56', '0.125', '154.32'],
])('budget of target %s × ratio %s = %s', (target, ratio, expected) => {
  expect(budgetAmount(d(target), d(ratio)).toFixed(2)).toBe(expected);
});

test.each([
  ['100', '100', 'STOP', 'FITS'],
  ['100', '100.01', 'STOP', 'NEEDS_EXCEPTION'],
  ['100', '100.01', 'WARN', 'OVERRUN_FLAGGED'],
  ['-5', '0.01', 'STOP', 'NEEDS_EXCEPTION'],
  ['0', '0', 'STOP', 'FITS'],
  ['-5', '0', 'STOP', 'FITS'],
  ['-5', '0', 'WARN', 'FITS'],
] as const)('remaining %s, amount %s, policy %s → %s', (remaining, amount, policy, expected) => {
  expect(fundsDecision(d(remaining), d(amount), policy)).toBe(expected);
});

describe('the booking state machine, every pair', () => {
  const allowed = new Set([
    'PENDING_APPROVAL→BOOKED',
    'PENDING_APPROVAL→REJECTED',
    'PENDING_APPROVAL→CANCELLED',
    'BOOKED→DELIVERED',
    'BOOKED→CANCELLED',
    'BOOKED→EXPIRED',
  ]);
  const pairs = BOOKING_STATES.flatMap((from) =>
    BOOKING_STATES.map((to) => [from, to] as [BookingState, BookingState]),
  );
  test.each(pairs)('%s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}→${to}`));
  });
});

describe('what a closing budget carries over and lapses', () => {
  const totals = (allocated: string, spent: string) => ({
    allocated: d(allocated),
    reserved: d('0'),
    spent: d(spent),
    remaining: d(allocated).minus(d(spent)),
  });
  test.each([
    // allocated, spent, max %, carried, lapsed
    ['200000.00', '150000.00', '10', '20000.00', '30000.00'], // the README's example
    ['200000.00', '195000.00', '10', '5000.00', '0.00'], // less unused than the cap: all of it carries
    ['200000.00', '150000.00', '0', '0.00', '50000.00'], // no policy: all lapses
    ['200000.00', '150000.00', '100', '50000.00', '0.00'],
    ['100.00', '130.00', '50', '0.00', '0.00'], // overspent: nothing unused
    ['100.00', '100.00', '50', '0.00', '0.00'],
    ['333.33', '0.00', '12.5', '41.66', '291.67'], // 41.66625 rounds down: never more than the policy
    ['0.01', '0.00', '99.99', '0.00', '0.01'],
  ])(
    'allocated %s, spent %s, up to %s%%: %s carried, %s lapsed',
    (allocated, spent, percent, carried, lapsed) => {
      const split = closingSplit(totals(allocated, spent), d(percent));
      expect([split.carried.toFixed(2), split.lapsed.toFixed(2)]).toEqual([carried, lapsed]);
    },
  );
});
