import { isKeyAccount, suggestTier, tierChangeBlockers, type Tier } from '../../src/modules/customers/rules';
import { Decimal } from '../../src/shared/money';

const policy = {
  fiscalYear: 2026,
  contributionThreshold: new Decimal('2000000'),
  potentialThreshold: new Decimal('5000000'),
  currency: 'CNY',
};
const figures = (contribution: string, potential: string) => ({
  contribution: new Decimal(contribution),
  potential: new Decimal(potential),
  currency: 'CNY',
});

test.each([
  ['A', true],
  ['C', true],
  ['B', false],
  ['D', false],
  ['E', false],
] as [Tier, boolean][])('tier %s is a key account: %s', (tier, key) => expect(isKeyAccount(tier)).toBe(key));

describe('suggestTier', () => {
  test.each([
    ['3000000', '9000000', 'A'],
    ['2000000', '5000000', 'A'], // equal to the threshold counts as high
    ['3000000', '1000000', 'B'],
    ['500000', '9000000', 'C'],
    ['500000', '1000000', 'D'],
    ['1999999.99', '4999999.99', 'D'],
  ])('contribution %s, potential %s → %s', (contribution, potential, tier) => {
    const suggestion = suggestTier({
      channelManaged: false,
      policy,
      figures: figures(contribution, potential),
    });
    expect(suggestion?.tier).toBe(tier);
    expect(suggestion?.reasons).toHaveLength(2);
  });

  test('reasons state the numbers and the verdict', () => {
    const suggestion = suggestTier({ channelManaged: false, policy, figures: figures('600000', '12000000') });
    expect(suggestion?.reasons).toEqual([
      'contribution 600000.00 < threshold 2000000.00 CNY (low)',
      'potential 12000000.00 ≥ threshold 5000000.00 CNY (high)',
    ]);
  });

  test('channel-managed customers are E whatever their figures', () => {
    expect(suggestTier({ channelManaged: true, policy, figures: figures('9000000', '9000000') })?.tier).toBe(
      'E',
    );
  });

  test('no figures, or figures in another currency, give no suggestion', () => {
    expect(suggestTier({ channelManaged: false, policy, figures: null })).toBeNull();
    expect(
      suggestTier({ channelManaged: false, policy, figures: { ...figures('1', '1'), currency: 'USD' } }),
    ).toBeNull();
  });
});

describe('tierChangeBlockers', () => {
  const none = { csmPersonId: null, openBookings: 0, budgetsWithFunds: 0 };
  test.each([
    ['A', 'B', { ...none, csmPersonId: 'p' }, false, ['CSM']],
    ['A', 'B', { ...none, csmPersonId: 'p' }, true, []],
    ['C', 'D', { ...none, openBookings: 2 }, true, ['OPEN_BOOKINGS']],
    ['A', 'E', { ...none, budgetsWithFunds: 1, csmPersonId: 'p' }, false, ['CSM', 'BUDGET']],
    ['A', 'C', { ...none, csmPersonId: 'p', openBookings: 3 }, false, []], // stays a key account
    ['B', 'A', none, false, []],
    ['B', 'D', none, false, []],
  ] as [
    Tier,
    Tier,
    { csmPersonId: string | null; openBookings: number; budgetsWithFunds: number },
    boolean,
    string[],
  ][])('%s → %s holding %o, releaseCsm %s: blocked by %j', (from, to, holdings, releaseCsm, expected) => {
    expect(tierChangeBlockers(from, to, holdings, { releaseCsm }).map((b) => b.resource)).toEqual(expected);
  });
});
