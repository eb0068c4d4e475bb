// Requesting a transfer between two key accounts' budgets of one fiscal year: by FINANCE or the
// giving account's CSM. Nothing moves until a SALES_LEADER approves (decide-transfer.ts).
import type { UseCaseContext } from '../../shared/context';
import { hasRole } from '../../shared/auth';
import {
  BudgetExceededError,
  ForbiddenActionError,
  NotFoundError,
  ValidationError,
} from '../../shared/errors';
import { idempotentTransaction } from '../../shared/idempotency';
import { requireId } from '../../shared/ids';
import { type Decimal, validateMoney } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { isCsmOf, loadReadableAccount } from '../customers/access';
import { findCustomerById, type Customer } from '../customers/repository';
import { isKeyAccount } from '../customers/rules';
import * as repository from './repository';
import type { Budget, Transfer } from './repository';
import type { Transaction } from '../../db/transaction';
import { validateReasonText } from './validate';
import { loadTransfer } from './access';

function requireTransferRequester(context: UseCaseContext, giver: Customer): void {
  if (!hasRole(context.actor, 'FINANCE') && !isCsmOf(context.actor, giver)) {
    throw new ForbiddenActionError(
      `only FINANCE or the CSM of ${giver.name} may request a transfer from its budget`,
    );
  }
}

export async function requestBudgetTransfer(
  context: UseCaseContext,
  input: {
    fromBudgetId: string;
    toBudgetId: string;
    amount: Decimal;
    reason: string;
    idempotencyKey: string;
  },
): Promise<Transfer> {
  const fromBudgetId = requireId(input.fromBudgetId, 'input.fromBudgetId');
  const toBudgetId = requireId(input.toBudgetId, 'input.toBudgetId');
  if (fromBudgetId === toBudgetId)
    throw new ValidationError('input.toBudgetId', 'a transfer goes between two different budgets');
  const amount = validateMoney(input.amount, 'input.amount', { sign: 'POSITIVE' });
  const reason = validateReasonText(input.reason, 'input.reason');
  return idempotentTransaction(
    context,
    { operation: 'requestBudgetTransfer', input },
    {
      type: 'BudgetTransfer',
      idOf: (transfer) => transfer.id,
      load: loadTransfer(context),
      authorize: async (transfer, trx) => {
        const giver = await loadReadableAccount(context, trx, transfer.accountId, 'input.fromBudgetId', {
          owned: { type: 'Budget', id: transfer.fromBudgetId },
        });
        requireTransferRequester(context, giver);
      },
    },
    async (trx) => {
      const { from } = await checkTransferBudgets(context, trx, fromBudgetId, toBudgetId);
      if (amount.greaterThan(from.totals.remaining))
        throw new BudgetExceededError(from.totals.remaining, amount, from.currency, 'input.amount');
      const transfer = await repository.insertTransfer(trx, {
        fromBudgetId,
        toBudgetId,
        accountId: from.accountId,
        amount,
        currency: from.currency,
        reason,
        requestedBy: context.actor!.userId,
      });
      await recordAudit(trx, context, {
        action: 'budgetTransfer.request',
        entityType: 'BudgetTransfer',
        entityId: transfer.id,
        accountId: from.accountId,
        after: transfer,
      });
      return transfer;
    },
  );
}

/** Both budgets exist, the caller may give from the first, and the pair can trade (year, currency, tier). */
async function checkTransferBudgets(
  context: UseCaseContext,
  trx: Transaction,
  fromBudgetId: string,
  toBudgetId: string,
): Promise<{ from: Budget }> {
  const from = await repository.findBudgetById(trx, fromBudgetId);
  if (!from) throw new NotFoundError('Budget', fromBudgetId, 'input.fromBudgetId');
  const to = await repository.findBudgetById(trx, toBudgetId);
  if (!to) throw new NotFoundError('Budget', toBudgetId, 'input.toBudgetId');
  const giver = await loadReadableAccount(context, trx, from.accountId, 'input.fromBudgetId', {
    owned: { type: 'Budget', id: fromBudgetId },
  });
  requireTransferRequester(context, giver);
  if (from.closedAt) throw new ValidationError('input.fromBudgetId', 'the budget is closed');
  if (to.closedAt) throw new ValidationError('input.toBudgetId', 'the budget is closed');
  if (from.fiscalYear !== to.fiscalYear)
    throw new ValidationError('input.toBudgetId', 'transfers stay within one fiscal year');
  if (from.currency !== to.currency)
    throw new ValidationError('input.toBudgetId', `the budgets are in ${from.currency} and ${to.currency}`);
  const receiver = await findCustomerById(trx, to.accountId);
  if (!receiver || !isKeyAccount(receiver.tier))
    throw new ValidationError('input.toBudgetId', 'the receiving account is not a key account');
  return { from };
}
