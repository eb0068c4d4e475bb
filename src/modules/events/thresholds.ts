// The percentages of allocated at which a key-account tier's budgets alert: FINANCE sets them
// (default 75, 90, 100); every signed-in role reads them. The budgets trigger applies them.
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ValidationError } from '../../shared/errors';
import type { Decimal } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { isKeyAccount, type Tier } from '../customers/rules';
import * as repository from './repository';

export const THRESHOLDS_MAX = 10;

function requireKeyTier(tier: Tier, field: string): Tier {
  if (!isKeyAccount(tier))
    throw new ValidationError(field, 'only key-account tiers (A, C) have budgets to alert on');
  return tier;
}

/** Distinct, ascending, each above 0 and at most 200 (past 100: overspent), two decimals at most. */
export function validateThresholds(percents: readonly Decimal[], field: string): Decimal[] {
  if (percents.length > THRESHOLDS_MAX)
    throw new ValidationError(field, `at most ${THRESHOLDS_MAX} thresholds`);
  for (const percent of percents) {
    if (!percent.greaterThan(0) || percent.greaterThan(200))
      throw new ValidationError(field, 'a threshold is above 0 and at most 200 (percent of allocated)');
    if (percent.decimalPlaces() > 2)
      throw new ValidationError(field, 'a threshold has at most 2 decimal places');
  }
  const sorted = [...percents].sort((a, b) => a.comparedTo(b));
  if (sorted.some((percent, i) => i > 0 && percent.equals(sorted[i - 1]!)))
    throw new ValidationError(field, 'each threshold once');
  return sorted;
}

export async function setAlertThresholds(
  context: UseCaseContext,
  input: { tier: Tier; percents: readonly Decimal[] },
): Promise<{ tier: Tier; percents: Decimal[] }> {
  const actor = requireAnyRole(context.actor, ['FINANCE'], 'only FINANCE may set alert thresholds');
  const tier = requireKeyTier(input.tier, 'tier');
  const percents = validateThresholds(input.percents, 'percents');
  return inTransaction(context.db, async (trx) => {
    const before = await repository.findThresholds(trx, tier);
    await repository.upsertThresholds(trx, tier, percents, actor.userId);
    await recordAudit(trx, context, {
      action: 'alertThresholds.set',
      entityType: 'AlertThresholds',
      entityId: tier,
      before: { percents: before },
      after: { percents },
    });
    return { tier, percents };
  });
}

export async function alertThresholdsOf(context: UseCaseContext, tier: Tier): Promise<Decimal[]> {
  return repository.findThresholds(context.db, requireKeyTier(tier, 'tier'));
}
