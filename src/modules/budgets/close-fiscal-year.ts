// FINANCE closes every open budget of a fiscal year at once, all or nothing: if any budget is
// blocked (close-budget.ts says by what), none is closed and every blocker is listed. The
// budgets and their next-year budgets are locked in id order in one statement.
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError } from '../../shared/errors';
import { validateFiscalYear } from '../../shared/fiscal';
import { idempotentTransaction } from '../../shared/idempotency';
import * as repository from './repository';
import { applyClose, BudgetCloseBlockedError, planClose } from './close-budget';

/** A fiscal year's close: the year and its budgets closed now (a replay shows them as they are). */
export type FiscalYearClosing = { fiscalYear: number; closedBudgetIds: string[] };

export async function closeFiscalYear(
  context: UseCaseContext,
  input: { fiscalYear: number; idempotencyKey: string },
): Promise<FiscalYearClosing> {
  const actor = requireAnyRole(context.actor, ['FINANCE'], 'only FINANCE may close budgets');
  const fiscalYear = validateFiscalYear(input.fiscalYear, 'input.fiscalYear');
  return idempotentTransaction(
    context,
    { operation: 'closeFiscalYear', input },
    {
      type: 'FiscalYearClosing',
      idOf: (closing) => String(closing.fiscalYear),
      load: async (id) => ({
        fiscalYear: Number(id),
        closedBudgetIds: await repository.findClosedBudgetIdsOfYear(context.db, Number(id)),
      }),
      // Only FINANCE reaches a replay, and FINANCE reads every account.
      authorize: async () => undefined,
    },
    async (trx) => {
      const { open, nextOf } = await repository.lockYearWithNext(trx, fiscalYear);
      if (open.length === 0)
        throw new ConflictError(`FY${fiscalYear} has no open budget to close`, 'input.fiscalYear');
      const plans = [];
      for (const budget of open)
        plans.push(await planClose(trx, budget, nextOf.get(budget.accountId) ?? null));
      // Named by account: the list spans the year.
      const blockers = plans.flatMap((plan) =>
        plan.blockers.map((blocker) => ({
          ...blocker,
          message: `${blocker.accountName}: ${blocker.message}`,
        })),
      );
      if (blockers.length > 0) throw new BudgetCloseBlockedError(blockers, 'input.fiscalYear');
      for (const plan of plans) await applyClose(trx, context, plan, actor.userId);
      return { fiscalYear, closedBudgetIds: await repository.findClosedBudgetIdsOfYear(trx, fiscalYear) };
    },
  );
}
