import {
  burnForecast,
  fairnessFlag,
  proposeTier,
  type ReportSettings,
} from '../../src/modules/reports/signals/rules';
import { Decimal } from '../../src/shared/money';

const d = (value: string) => new Decimal(value);
const settings: ReportSettings = {
  overShareFactor: d('2'),
  underPotentialShareMin: d('0.05'),
  underSpendFactor: d('0.5'),
  underuseRatio: d('0.5'),
  promotionUpliftMin: 2,
  heavyUtilisation: d('0.8'),
};

describe('fairness', () => {
  test.each([
    ['A', '0.30', '0.10', '0.05', 'OVER_SERVED'], // 0.30 > 2 × 0.10
    ['A', '0.20', '0.10', '0.05', null], // exactly 2 × is not far above
    ['B', '0.30', null, '0.20', null], // 0.30 < 2 × 0.20
    ['C', '0.01', '0.10', '0.20', 'UNDER_SERVED'], // 0.01 < 0.5 × 0.20
    ['C', '0.10', '0.10', '0.20', null],
    ['D', '0.00', '0.10', '0.20', null], // not a key account
    ['A', '0.00', '0.10', '0.04', null], // too little potential to matter
  ] as const)(
    'tier %s, spend %s, target %s, potential %s → %s',
    (tier, spend, target, potential, expected) => {
      const flag = fairnessFlag(
        tier,
        {
          spendShare: d(spend),
          targetShare: target ? d(target) : null,
          potentialShare: potential ? d(potential) : null,
        },
        settings,
      );
      expect(flag?.kind ?? null).toBe(expected);
      expect(flag?.reason ?? null).toEqual(expected === null ? null : expect.stringMatching(/\d+(\.\d+)?%/));
    },
  );
});

describe('burn forecast', () => {
  const input = {
    allocated: d('10000'),
    opening: d('0'),
    delivered: d('5000'),
    reserved: d('0'),
    elapsedFraction: 0.25,
  };
  test('delivered 5,000 in a quarter of the year: pace 20,000/year, runs out at half-year', () => {
    const forecast = burnForecast(input, d('0.5'));
    expect(forecast).toMatchObject({ status: 'RUNS_OUT_EARLY', runOutFraction: 0.5 });
    expect(forecast.projected.toFixed(2)).toBe('20000.00');
  });
  test('opening use and reservations count in full', () => {
    const forecast = burnForecast(
      { ...input, delivered: d('0'), opening: d('3000'), reserved: d('1000') },
      d('0.5'),
    );
    expect(forecast).toMatchObject({ status: 'LARGELY_UNUSED' });
    expect(forecast.projected.toFixed(2)).toBe('4000.00');
  });
  test('on track, and the pace is measured over at least a month', () => {
    // 3,000 delivered by half-year: 3,000 + 6,000/year × 0.5 = 6,000, between half and all of 10,000
    expect(burnForecast({ ...input, delivered: d('3000'), elapsedFraction: 0.5 }, d('0.5')).status).toBe(
      'ON_TRACK',
    );
    // one day into the year: 100 delivered extrapolates over a month, not a day
    expect(
      burnForecast(
        { ...input, delivered: d('100'), elapsedFraction: 1 / 365 },
        d('0.01'),
      ).projected.toNumber(),
    ).toBeLessThan(1300);
  });
  test('already over: runs out now', () => {
    expect(burnForecast({ ...input, delivered: d('11000'), elapsedFraction: 0.9 }, d('0.5'))).toMatchObject({
      status: 'RUNS_OUT_EARLY',
      runOutFraction: 0.9,
    });
  });
});

describe('tier review proposals', () => {
  const base = {
    totalUplift: null,
    won: d('0'),
    pipeline: d('0'),
    utilisation: null,
    contributionHigh: null,
  };
  test.each([
    [{ ...base, tier: 'C', totalUplift: 3, won: d('1') }, 'A'],
    [{ ...base, tier: 'C', totalUplift: 1, won: d('1') }, null],
    [{ ...base, tier: 'C', totalUplift: 3, won: d('0') }, null],
    [{ ...base, tier: 'A', utilisation: d('0.9'), contributionHigh: true }, 'B'],
    [{ ...base, tier: 'A', utilisation: d('0.9'), contributionHigh: false }, 'D'],
    [{ ...base, tier: 'C', utilisation: d('0.9') }, 'D'],
    [{ ...base, tier: 'A', utilisation: d('0.9'), pipeline: d('5') }, null],
    [{ ...base, tier: 'A', utilisation: d('0.5') }, null],
    [{ ...base, tier: 'B', utilisation: d('0.9') }, null],
  ] as const)('%o → %s', (input, expected) => {
    expect(proposeTier(input as never, settings)?.to ?? null).toBe(expected);
  });
});

describe('the words beside each figure', () => {
  test('an over-served account says which shares it was compared with, n/a for those unknown', () => {
    expect(
      fairnessFlag('A', { spendShare: d('0.3'), targetShare: d('0.1'), potentialShare: null }, settings),
    ).toEqual({
      kind: 'OVER_SERVED',
      reason: 'spend share 30% > 2 × max(target share 10%, potential share n/a)',
    });
    expect(
      fairnessFlag('A', { spendShare: d('0.3'), targetShare: null, potentialShare: d('0.1') }, settings),
    ).toEqual({
      kind: 'OVER_SERVED',
      reason: 'spend share 30% > 2 × max(target share n/a, potential share 10%)',
    });
  });

  test.each(['A', 'C'] as const)('an under-served tier-%s account says why', (tier) => {
    expect(
      fairnessFlag(
        tier,
        { spendShare: d('0.01'), targetShare: d('0.1'), potentialShare: d('0.2') },
        settings,
      ),
    ).toEqual({
      kind: 'UNDER_SERVED',
      reason: 'potential share 20% ≥ 5% but spend share 1% < 0.5 × potential share',
    });
  });

  test('a burn forecast shows its arithmetic', () => {
    expect(
      burnForecast(
        {
          allocated: d('10000'),
          opening: d('1000'),
          delivered: d('2000'),
          reserved: d('500'),
          elapsedFraction: 0.25,
        },
        d('0.5'),
      ).explanation,
    ).toBe(
      'projected 9500.00 = opening 1000.00 + reserved 500.00 + delivered 2000.00 + pace 8000.00/year × 75.0% of the year left; allocated 10000.00',
    );
  });
});

describe('tier review proposals: each boundary and each reason', () => {
  const base = {
    totalUplift: null,
    won: d('0'),
    pipeline: d('0'),
    utilisation: null,
    contributionHigh: null,
  };
  test.each([
    // promotion C → A needs tier C, a measured uplift at least the minimum, and something won
    [{ ...base, tier: 'C', totalUplift: 2, won: d('0.01') }, 'A'],
    [{ ...base, tier: 'A', totalUplift: 5, won: d('100') }, null],
    [{ ...base, tier: 'C', totalUplift: null, won: d('100') }, null],
    // demotion needs no output: nothing won, no pipeline, and no positive uplift
    [{ ...base, tier: 'A', utilisation: d('0.8'), totalUplift: 0 }, 'D'],
    [{ ...base, tier: 'A', utilisation: d('0.8'), totalUplift: -1 }, 'D'],
    [{ ...base, tier: 'A', utilisation: d('0.8'), totalUplift: 1 }, null],
    [{ ...base, tier: 'A', utilisation: d('0.8'), won: d('1') }, null],
    [{ ...base, tier: 'A', utilisation: d('0.79') }, null],
  ] as const)('%o → %s', (input, expected) => {
    expect(proposeTier(input as never, settings)?.to ?? null).toBe(expected);
  });

  test('an unmeasured uplift never promotes, even when the minimum is 0', () => {
    const lenient = { ...settings, promotionUpliftMin: 0 };
    expect(proposeTier({ ...base, tier: 'C', totalUplift: null, won: d('100') }, lenient)).toBeNull();
    expect(proposeTier({ ...base, tier: 'C', totalUplift: 0, won: d('100') }, lenient)?.to).toBe('A');
  });

  test('each proposal says why, in words and numbers', () => {
    expect(proposeTier({ ...base, tier: 'C', totalUplift: 3, won: d('1200.5') }, settings)).toEqual({
      to: 'A',
      reasons: ['relationship uplift 3 ≥ 2', 'won 1200.50 in the period'],
    });
    expect(
      proposeTier({ ...base, tier: 'A', utilisation: d('0.9123'), contributionHigh: true }, settings),
    ).toEqual({
      to: 'B',
      reasons: [
        'budget utilisation 91.2% ≥ 80%',
        'no output: nothing won, no open pipeline, uplift not measured',
        'contribution high: B',
      ],
    });
    expect(
      proposeTier(
        { ...base, tier: 'C', utilisation: d('0.8'), totalUplift: 0, contributionHigh: false },
        settings,
      ),
    ).toEqual({
      to: 'D',
      reasons: [
        'budget utilisation 80% ≥ 80%',
        'no output: nothing won, no open pipeline, uplift 0',
        'contribution low: D',
      ],
    });
    expect(proposeTier({ ...base, tier: 'A', utilisation: d('1') }, settings)?.reasons[2]).toBe(
      'contribution unknown (no tiering figures or policy): D proposed',
    );
  });
});
