// FINANCE adjusts a budget up or down with a reason: one signed ADJUSTMENT entry, never below
// what is already reserved and spent.
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { BudgetExceededError, NotFoundError, ValidationError } from '../../shared/errors';
import { idempotentTransaction } from '../../shared/idempotency';
import { requireId } from '../../shared/ids';
import { type Decimal, validateMoney } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import * as repository from './repository';
import { budgetReplay } from './access';
import type { Budget } from './repository';
import { validateReasonText } from './validate';

export async function adjustBudget(
  context: UseCaseContext,
  input: { budgetId: string; amount: Decimal; reason: string; idempotencyKey: string },
): Promise<Budget> {
  const actor = requireAnyRole(context.actor, ['FINANCE'], 'only FINANCE may adjust budgets');
  const budgetId = requireId(input.budgetId, 'input.budgetId');
  if (input.amount.isZero())
    throw new ValidationError('input.amount', 'an adjustment moves a non-zero amount (negative to reduce)');
  validateMoney(input.amount, 'input.amount', { sign: 'ANY', amountMax: null });
  const reason = validateReasonText(input.reason, 'input.reason');
  return idempotentTransaction(
    context,
    { operation: 'adjustBudget', input },
    budgetReplay(context),
    async (trx) => {
      const before = await repository.findBudgetById(trx, budgetId, { locked: true });
      if (!before) throw new NotFoundError('Budget', budgetId, 'input.budgetId');
      if (before.closedAt) throw new ValidationError('input.budgetId', 'the budget is closed');
      if (before.totals.remaining.plus(input.amount).isNegative()) {
        throw new BudgetExceededError(
          before.totals.remaining,
          input.amount.negated(),
          before.currency,
          'input.amount',
        );
      }
      const after = await repository.postEntries(
        trx,
        before,
        [{ kind: 'ADJUSTMENT', amount: input.amount, reason }],
        actor.userId,
      );
      await recordAudit(trx, context, {
        action: 'budget.adjust',
        entityType: 'Budget',
        entityId: budgetId,
        accountId: before.accountId,
        before,
        after,
      });
      return after;
    },
  );
}
