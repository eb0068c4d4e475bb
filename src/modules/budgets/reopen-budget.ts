// FINANCE reopens a closed budget, with a reason: money may move on it again. What the close
// lapsed and carried over stays where the close put it (an adjustment moves it back if wanted).
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { idempotentTransaction } from '../../shared/idempotency';
import { requireId } from '../../shared/ids';
import { recordAudit } from '../audit/repository';
import { budgetReplay } from './access';
import * as repository from './repository';
import type { Budget } from './repository';
import { validateReasonText } from './validate';

export async function reopenBudget(
  context: UseCaseContext,
  input: { budgetId: string; reason: string; idempotencyKey: string },
): Promise<Budget> {
  requireAnyRole(context.actor, ['FINANCE'], 'only FINANCE may reopen budgets');
  const budgetId = requireId(input.budgetId, 'input.budgetId');
  const reason = validateReasonText(input.reason, 'input.reason');
  return idempotentTransaction(
    context,
    { operation: 'reopenBudget', input },
    budgetReplay(context),
    async (trx) => {
      const before = await repository.findBudgetById(trx, budgetId, { locked: true });
      if (!before) throw new NotFoundError('Budget', budgetId, 'input.budgetId');
      if (!before.closedAt) throw new ConflictError('the budget is not closed', 'input.budgetId');
      const after = await repository.markReopened(trx, budgetId);
      await recordAudit(trx, context, {
        action: 'budget.reopen',
        entityType: 'Budget',
        entityId: budgetId,
        accountId: before.accountId,
        before,
        after: { ...after, reason },
      });
      return after;
    },
  );
}
