// The tiering policy of a fiscal year and the tier suggestions it gives (rules.ts suggestTier).
import { DateTime } from 'luxon';
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ValidationError } from '../../shared/errors';
import { validateFiscalYear } from '../../shared/fiscal';
import { type Decimal, validateMoney } from '../../shared/money';
import { fiscalYearOf } from '../../shared/fiscal';
import { recordAudit } from '../audit/repository';
import { csmScope } from './access';
import * as repository from './repository';
import type { Customer } from './repository';
import { suggestTier, type Tier, type TieringPolicy } from './rules';

export async function setTieringPolicy(
  context: UseCaseContext,
  input: {
    fiscalYear: number;
    contributionThreshold: Decimal;
    potentialThreshold: Decimal;
    currency: string;
  },
): Promise<TieringPolicy> {
  requireAnyRole(context.actor, ['ADMIN', 'FINANCE'], 'only ADMIN or FINANCE may set the tiering policy');
  const fiscalYear = validateFiscalYear(input.fiscalYear, 'input.fiscalYear');
  for (const [field, value] of [
    ['input.contributionThreshold', input.contributionThreshold],
    ['input.potentialThreshold', input.potentialThreshold],
  ] as const) {
    validateMoney(value, field, { amountMax: null });
    if (value.isZero()) throw new ValidationError(field, 'a threshold must be greater than zero');
  }
  return inTransaction(context.db, async (trx) => {
    const before = await repository.findPolicy(trx, fiscalYear);
    const after = await repository.upsertPolicy(trx, { ...input, fiscalYear }, context.actor?.userId ?? null);
    await recordAudit(trx, context, {
      action: 'tieringPolicy.set',
      entityType: 'TieringPolicy',
      entityId: String(fiscalYear),
      before,
      after,
    });
    return after;
  });
}

export type TierSuggestionView = {
  customer: Customer;
  suggestedTier: Tier;
  reasons: string[];
  policy: TieringPolicy;
};

export const SUGGESTIONS_SCANNED_MAX = 20_000;

/** Accounts whose suggested tier differs from their current one. Changes nothing. */
export async function tierSuggestions(
  context: UseCaseContext,
  fiscalYearInput: number | null,
): Promise<{ policy: TieringPolicy | null; suggestions: TierSuggestionView[] }> {
  const fiscalYear = validateFiscalYear(
    fiscalYearInput ?? fiscalYearOf(context.fiscalCalendar, DateTime.now()),
    'fiscalYear',
  );
  const scope = csmScope(context.actor);
  const policy = await repository.findPolicy(context.db, fiscalYear);
  if (!policy) return { policy: null, suggestions: [] };
  const inputs = await repository.findSuggestionInputs(context.db, fiscalYear, {
    visibleToCsmPersonId: scope,
    limit: SUGGESTIONS_SCANNED_MAX,
  });
  const suggestions: TierSuggestionView[] = [];
  for (const { customer, figures } of inputs) {
    const suggestion = suggestTier({ channelManaged: customer.channelPartnerId !== null, policy, figures });
    if (suggestion && suggestion.tier !== customer.tier) {
      suggestions.push({ customer, suggestedTier: suggestion.tier, reasons: suggestion.reasons, policy });
    }
  }
  return { policy, suggestions };
}

/** The tiering policy of a fiscal year, if set: every signed-in role reads it. */
export function tieringPolicy(context: UseCaseContext, fiscalYear: number): Promise<TieringPolicy | null> {
  return repository.findPolicy(context.db, validateFiscalYear(fiscalYear, 'fiscalYear'));
}
