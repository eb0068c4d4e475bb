// Pure rules for customers: what each tier means, which are key accounts, how a tiering policy
// suggests a tier (with its reasons), and what must be resolved before an account leaves A/C.
import { ValidationError } from '../../shared/errors';
import { formatMoney, type Decimal } from '../../shared/money';

export const TIERS = ['A', 'B', 'C', 'D', 'E'] as const;
export type Tier = (typeof TIERS)[number];

export const TIER_MEANINGS: Record<Tier, { meaning: string; group: 'KEY_ACCOUNT' | 'ORDINARY' | 'CHANNEL' }> =
  {
    A: { meaning: 'Strategic customer', group: 'KEY_ACCOUNT' },
    B: { meaning: 'Contributes, but limited room to grow', group: 'ORDINARY' },
    C: { meaning: 'Customer with major growth potential', group: 'KEY_ACCOUNT' },
    D: { meaning: 'Low contribution and low potential', group: 'ORDINARY' },
    E: {
      meaning: 'Channel customer: the partner owns the relationship and project; we provide product service',
      group: 'CHANNEL',
    },
  };

/** Key accounts (A and C) get a CSM, free expert services and an operating budget. */
export function isKeyAccount(tier: Tier): boolean {
  return TIER_MEANINGS[tier].group === 'KEY_ACCOUNT';
}

/** The key account tiers as a list (the booking call in the database is given them). */
export const KEY_ACCOUNT_TIERS: readonly Tier[] = TIERS.filter(isKeyAccount);

export const REASON_LENGTH_MAX = 1000;

export function validateReason(reason: string, field: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0) throw new ValidationError(field, 'a tier change needs a reason');
  if (trimmed.length > REASON_LENGTH_MAX)
    throw new ValidationError(field, `reason is longer than ${REASON_LENGTH_MAX} characters`);
  return trimmed;
}

export type TieringPolicy = {
  fiscalYear: number;
  contributionThreshold: Decimal;
  potentialThreshold: Decimal;
  currency: string;
};
export type TieringFigures = { contribution: Decimal; potential: Decimal; currency: string };
export type TierSuggestion = { tier: Tier; reasons: string[] };

/**
 * Contribution (revenue) and potential (estimated reachable revenue) against the policy's
 * thresholds: high/high → A, low/high → C, high/low → B, low/low → D; channel-managed → E.
 * A figure equal to its threshold counts as high.
 */
export function suggestTier(input: {
  channelManaged: boolean;
  policy: TieringPolicy;
  figures: TieringFigures | null;
}): TierSuggestion | null {
  if (input.channelManaged) {
    return {
      tier: 'E',
      reasons: ['served through a channel partner, who owns the relationship and the project'],
    };
  }
  if (!input.figures) return null;
  if (input.figures.currency !== input.policy.currency) return null;
  const { contribution, potential } = input.figures;
  const highContribution = contribution.greaterThanOrEqualTo(input.policy.contributionThreshold);
  const highPotential = potential.greaterThanOrEqualTo(input.policy.potentialThreshold);
  const reasons = [
    `contribution ${formatMoney(contribution)} ${highContribution ? '≥' : '<'} threshold ${formatMoney(input.policy.contributionThreshold)} ${input.policy.currency} (${highContribution ? 'high' : 'low'})`,
    `potential ${formatMoney(potential)} ${highPotential ? '≥' : '<'} threshold ${formatMoney(input.policy.potentialThreshold)} ${input.policy.currency} (${highPotential ? 'high' : 'low'})`,
  ];
  const tier: Tier = highContribution ? (highPotential ? 'A' : 'B') : highPotential ? 'C' : 'D';
  return { tier, reasons };
}

/** Key-account resources an account holds; each must be released before it leaves A/C. */
export type KeyAccountHoldings = {
  csmPersonId: string | null;
  openBookings: number;
  budgetsWithFunds: number;
};

export type TierChangeChoices = { releaseCsm: boolean };

export type TierChangeBlocker = { resource: 'CSM' | 'OPEN_BOOKINGS' | 'BUDGET'; message: string };

/** What still blocks a move from `from` to `to`, given what the caller chose to release with it. */
export function tierChangeBlockers(
  from: Tier,
  to: Tier,
  holdings: KeyAccountHoldings,
  choices: TierChangeChoices,
): TierChangeBlocker[] {
  if (!isKeyAccount(from) || isKeyAccount(to)) return [];
  const blockers: TierChangeBlocker[] = [];
  if (holdings.csmPersonId && !choices.releaseCsm) {
    blockers.push({
      resource: 'CSM',
      message: 'the account still has a CSM: pass releaseCsm: true to release the CSM with the change',
    });
  }
  if (holdings.openBookings > 0) {
    blockers.push({
      resource: 'OPEN_BOOKINGS',
      message: `the account has ${holdings.openBookings} open free-service booking(s): deliver or cancel them first`,
    });
  }
  if (holdings.budgetsWithFunds > 0) {
    blockers.push({
      resource: 'BUDGET',
      message: `the account has ${holdings.budgetsWithFunds} operating budget(s) with funds left: transfer the rest to another key account (requestBudgetTransfer) or adjust the budget down to what is used (adjustBudget) first`,
    });
  }
  return blockers;
}
