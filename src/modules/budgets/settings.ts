// FINANCE's settings for budgets: the default operating ratio of a fiscal year and the overrun
// policy of a key-account tier. Each is audited with its value before and after.
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ValidationError } from '../../shared/errors';
import { validateFiscalYear } from '../../shared/fiscal';
import { type Decimal } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { isKeyAccount, type Tier } from '../customers/rules';
import * as repository from './repository';
import { type OverrunPolicy } from './rules';
import { validatePercent, validateRatio } from './validate';

export async function setOperatingRatio(
  context: UseCaseContext,
  input: { fiscalYear: number; ratio: Decimal },
): Promise<{ fiscalYear: number; ratio: Decimal }> {
  const actor = requireAnyRole(context.actor, ['FINANCE'], 'only FINANCE may set operating ratios');
  const fiscalYear = validateFiscalYear(input.fiscalYear, 'input.fiscalYear');
  const ratio = validateRatio(input.ratio, 'input.ratio');
  return inTransaction(context.db, async (trx) => {
    const before = await repository.findRatio(trx, fiscalYear);
    await repository.upsertRatio(trx, fiscalYear, ratio, actor.userId);
    await recordAudit(trx, context, {
      action: 'operatingRatio.set',
      entityType: 'OperatingRatio',
      entityId: String(fiscalYear),
      before: before && { ratio: before },
      after: { ratio },
    });
    return { fiscalYear, ratio };
  });
}

export async function setOverrunPolicy(
  context: UseCaseContext,
  input: { tier: Tier; policy: OverrunPolicy },
): Promise<{ tier: Tier; policy: OverrunPolicy }> {
  const actor = requireAnyRole(context.actor, ['FINANCE'], 'only FINANCE may set overrun policies');
  if (!isKeyAccount(input.tier))
    throw new ValidationError(
      'input.tier',
      'only key-account tiers (A, C) have budgets and an overrun policy',
    );
  return inTransaction(context.db, async (trx) => {
    const before = await repository.findOverrunPolicy(trx, input.tier);
    await repository.upsertOverrunPolicy(trx, input.tier, input.policy, actor.userId);
    await recordAudit(trx, context, {
      action: 'overrunPolicy.set',
      entityType: 'OverrunPolicy',
      entityId: input.tier,
      before: { policy: before },
      after: { policy: input.policy },
    });
    return input;
  });
}

/** Up to what percentage of its allocation a closing budget of a key-account tier carries over. */
export async function setCarryOverPolicy(
  context: UseCaseContext,
  input: { tier: Tier; maxPercent: Decimal },
): Promise<{ tier: Tier; maxPercent: Decimal }> {
  const actor = requireAnyRole(context.actor, ['FINANCE'], 'only FINANCE may set carry-over policies');
  if (!isKeyAccount(input.tier))
    throw new ValidationError('input.tier', 'only key-account tiers (A, C) have budgets to carry over');
  const maxPercent = validatePercent(input.maxPercent, 'input.maxPercent');
  return inTransaction(context.db, async (trx) => {
    const before = await repository.findCarryOverPercent(trx, input.tier);
    await repository.upsertCarryOverPercent(trx, input.tier, maxPercent, actor.userId);
    await recordAudit(trx, context, {
      action: 'carryOverPolicy.set',
      entityType: 'CarryOverPolicy',
      entityId: input.tier,
      before: { maxPercent: before },
      after: { maxPercent },
    });
    return { tier: input.tier, maxPercent };
  });
}

/** The carry-over policy of a key-account tier (0%, nothing carried, unless set): every signed-in role reads it. */
export async function carryOverPolicyOf(context: UseCaseContext, tier: Tier): Promise<Decimal> {
  if (!isKeyAccount(tier))
    throw new ValidationError('tier', 'only key-account tiers (A, C) have budgets to carry over');
  return repository.findCarryOverPercent(context.db, tier);
}

/** The default operating ratio of a fiscal year, if set: every signed-in role reads it. */
export function operatingRatioOf(context: UseCaseContext, fiscalYear: number): Promise<Decimal | null> {
  return repository.findRatio(context.db, validateFiscalYear(fiscalYear, 'fiscalYear'));
}

/** The overrun policy of a key-account tier (STOP unless set): every signed-in role reads it. */
export function overrunPolicyOf(context: UseCaseContext, tier: Tier): Promise<OverrunPolicy> {
  return repository.findOverrunPolicy(context.db, tier);
}
