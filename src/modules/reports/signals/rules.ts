// Pure rules of the read side: when an account is flagged as over- or under-served, how a
// budget's burn is projected to the year end, and when outcomes suggest a tier review.
import { Decimal } from '../../../shared/money';
import type { Tier } from '../../customers/rules';

export type ReportSettings = {
  overShareFactor: Decimal;
  underPotentialShareMin: Decimal;
  underSpendFactor: Decimal;
  underuseRatio: Decimal;
  promotionUpliftMin: number;
  heavyUtilisation: Decimal;
};

export type Shares = { spendShare: Decimal; targetShare: Decimal | null; potentialShare: Decimal | null };
export type FairnessFlag = { kind: 'OVER_SERVED' | 'UNDER_SERVED'; reason: string };

const pct = (share: Decimal) => `${share.times(100).toDecimalPlaces(2).toFixed()}%`;

/**
 * OVER_SERVED: the account's share of free spend exceeds `overShareFactor` × the larger of its
 * shares of revenue target and potential (far above both). UNDER_SERVED: a key account holding at
 * least `underPotentialShareMin` of all potential whose spend share is below `underSpendFactor` ×
 * its potential share.
 */
export function fairnessFlag(tier: Tier, shares: Shares, settings: ReportSettings): FairnessFlag | null {
  const reference = Decimal.max(shares.targetShare ?? 0, shares.potentialShare ?? 0);
  if (
    shares.spendShare.greaterThan(0) &&
    shares.spendShare.greaterThan(reference.times(settings.overShareFactor))
  ) {
    return {
      kind: 'OVER_SERVED',
      reason: `spend share ${pct(shares.spendShare)} > ${settings.overShareFactor.toFixed()} × max(target share ${shares.targetShare ? pct(shares.targetShare) : 'n/a'}, potential share ${shares.potentialShare ? pct(shares.potentialShare) : 'n/a'})`,
    };
  }
  if (
    (tier === 'A' || tier === 'C') &&
    shares.potentialShare &&
    shares.potentialShare.greaterThanOrEqualTo(settings.underPotentialShareMin) &&
    shares.spendShare.lessThan(shares.potentialShare.times(settings.underSpendFactor))
  ) {
    return {
      kind: 'UNDER_SERVED',
      reason: `potential share ${pct(shares.potentialShare)} ≥ ${pct(settings.underPotentialShareMin)} but spend share ${pct(shares.spendShare)} < ${settings.underSpendFactor.toFixed()} × potential share`,
    };
  }
  return null;
}

export type BurnInput = {
  allocated: Decimal;
  opening: Decimal;
  delivered: Decimal;
  reserved: Decimal;
  elapsedFraction: number;
};
export type BurnForecast = {
  projected: Decimal;
  status: 'RUNS_OUT_EARLY' | 'LARGELY_UNUSED' | 'ON_TRACK';
  runOutFraction: number | null;
  explanation: string;
};

/** The pace of delivered spend is measured over at least one twelfth of the year, so a single early delivery does not explode the projection. */
export const PACE_FRACTION_MIN = 1 / 12;

/**
 * Projected spend by the year end = opening use + planned (reserved) bookings + delivered spend
 * extrapolated at its pace so far. RUNS_OUT_EARLY when that exceeds the allocation (with the
 * fraction of the year at which it would run out); LARGELY_UNUSED below `underuseRatio` of it.
 */
export function burnForecast(input: BurnInput, underuseRatio: Decimal): BurnForecast {
  const elapsed = Math.min(Math.max(input.elapsedFraction, 0), 1);
  const paceFraction = Math.max(elapsed, PACE_FRACTION_MIN);
  const yearlyPace = input.delivered.dividedBy(paceFraction);
  const remainingFraction = 1 - elapsed;
  const projected = input.opening
    .plus(input.reserved)
    .plus(input.delivered)
    .plus(yearlyPace.times(remainingFraction))
    .toDecimalPlaces(2);
  let status: BurnForecast['status'] = 'ON_TRACK';
  let runOutFraction: number | null = null;
  if (projected.greaterThan(input.allocated)) {
    status = 'RUNS_OUT_EARLY';
    const committed = input.opening.plus(input.reserved).plus(input.delivered);
    runOutFraction =
      committed.greaterThanOrEqualTo(input.allocated) || yearlyPace.isZero()
        ? elapsed
        : Math.min(1, elapsed + input.allocated.minus(committed).dividedBy(yearlyPace).toNumber());
  } else if (projected.lessThan(input.allocated.times(underuseRatio))) {
    status = 'LARGELY_UNUSED';
  }
  const explanation = `projected ${projected.toFixed(2)} = opening ${input.opening.toFixed(2)} + reserved ${input.reserved.toFixed(2)} + delivered ${input.delivered.toFixed(2)} + pace ${yearlyPace.toFixed(2)}/year × ${(remainingFraction * 100).toFixed(1)}% of the year left; allocated ${input.allocated.toFixed(2)}`;
  return { projected, status, runOutFraction, explanation };
}

export type ProposalInput = {
  tier: Tier;
  totalUplift: number | null;
  won: Decimal;
  pipeline: Decimal;
  utilisation: Decimal | null;
  contributionHigh: boolean | null;
};
export type TierProposal = { to: Tier; reasons: string[] };

/** C with strong uplift and won deals → A; a key account with heavy spend and no output → B (high contribution) or D. */
export function proposeTier(input: ProposalInput, settings: ReportSettings): TierProposal | null {
  if (
    input.tier === 'C' &&
    input.totalUplift !== null &&
    input.totalUplift >= settings.promotionUpliftMin &&
    input.won.greaterThan(0)
  ) {
    return {
      to: 'A',
      reasons: [
        `relationship uplift ${input.totalUplift} ≥ ${settings.promotionUpliftMin}`,
        `won ${input.won.toFixed(2)} in the period`,
      ],
    };
  }
  // An unmeasured uplift counts as none (no number, no output).
  const noOutput = input.won.isZero() && input.pipeline.isZero() && (input.totalUplift ?? 0) <= 0;
  if (
    (input.tier === 'A' || input.tier === 'C') &&
    input.utilisation &&
    input.utilisation.greaterThanOrEqualTo(settings.heavyUtilisation) &&
    noOutput
  ) {
    const to: Tier = input.contributionHigh ? 'B' : 'D';
    return {
      to,
      reasons: [
        `budget utilisation ${input.utilisation.times(100).toDecimalPlaces(1).toFixed()}% ≥ ${settings.heavyUtilisation.times(100).toFixed()}%`,
        `no output: nothing won, no open pipeline, uplift ${input.totalUplift ?? 'not measured'}`,
        input.contributionHigh === null
          ? 'contribution unknown (no tiering figures or policy): D proposed'
          : `contribution ${input.contributionHigh ? 'high: B' : 'low: D'}`,
      ],
    };
  }
  return null;
}
