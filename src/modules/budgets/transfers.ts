// Transfers between two key accounts' budgets of the same fiscal year: requested by a CSM (of
// the giving account) or FINANCE, approved by a SALES_LEADER. Approval posts TRANSFER_OUT and
// TRANSFER_IN in one transaction, locking both budgets in id order so transfers cannot deadlock.

import type { UseCaseContext } from '../../shared/context';
import { hasRole, requireAnyRole } from '../../shared/auth';
import {
  BudgetExceededError,
  ForbiddenActionError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../../shared/errors';
import { idempotentTransaction } from '../../shared/idempotency';
import { requireId } from '../../shared/ids';
import {
  keysetConnection,
  newestFirstKey,
  type Connection,
  type ConnectionArgs,
} from '../../shared/pagination';
import { type Decimal, validateMoney } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { isCsmOf, loadReadableAccount, readsAllAccounts } from '../customers/access';
import { findCustomerById, type Customer } from '../customers/repository';
import { isKeyAccount } from '../customers/rules';
import * as repository from './repository';
import type { Transfer } from './repository';
import { validateReasonText } from './service';

const loadTransfer = (context: UseCaseContext) => (id: string) => repository.findTransferById(context.db, id);

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
      const from = await repository.findBudgetById(trx, fromBudgetId);
      if (!from) throw new NotFoundError('Budget', fromBudgetId, 'input.fromBudgetId');
      const to = await repository.findBudgetById(trx, toBudgetId);
      if (!to) throw new NotFoundError('Budget', toBudgetId, 'input.toBudgetId');
      const giver = await loadReadableAccount(context, trx, from.accountId, 'input.fromBudgetId', {
        owned: { type: 'Budget', id: fromBudgetId },
      });
      requireTransferRequester(context, giver);
      if (from.fiscalYear !== to.fiscalYear)
        throw new ValidationError('input.toBudgetId', 'transfers stay within one fiscal year');
      if (from.currency !== to.currency)
        throw new ValidationError(
          'input.toBudgetId',
          `the budgets are in ${from.currency} and ${to.currency}`,
        );
      const receiver = await findCustomerById(trx, to.accountId);
      if (!receiver || !isKeyAccount(receiver.tier))
        throw new ValidationError('input.toBudgetId', 'the receiving account is not a key account');
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

export async function decideBudgetTransfer(
  context: UseCaseContext,
  input: { transferId: string; approve: boolean; reason?: string | null; idempotencyKey: string },
): Promise<Transfer> {
  requireAnyRole(context.actor, ['SALES_LEADER'], 'only a SALES_LEADER may decide budget transfers');
  const transferId = requireId(input.transferId, 'input.transferId');
  const reason = input.reason == null ? null : validateReasonText(input.reason, 'input.reason');
  return idempotentTransaction(
    context,
    { operation: 'decideBudgetTransfer', input },
    {
      type: 'BudgetTransfer',
      idOf: (transfer) => transfer.id,
      load: loadTransfer(context),
      // The role was checked above; the giving account must still be readable. (A SALES_LEADER
      // reads every account, so this cannot refuse while the roles stay so: mutation testing
      // counts its mutants as equivalent.)
      // Stryker disable all
      authorize: async (transfer, trx) => {
        await loadReadableAccount(context, trx, transfer.accountId, 'input.transferId', {
          owned: { type: 'BudgetTransfer', id: transfer.id },
        });
      },
    },
    // Stryker restore all
    async (trx) => {
      const unlocked = await repository.findTransferById(trx, transferId);
      if (!unlocked) throw new NotFoundError('BudgetTransfer', transferId, 'input.transferId');
      const [firstId, secondId] = [unlocked.fromBudgetId, unlocked.toBudgetId].sort();
      const locked = new Map([
        [firstId!, (await repository.findBudgetById(trx, firstId!, { forUpdate: true }))!],
        [secondId!, (await repository.findBudgetById(trx, secondId!, { forUpdate: true }))!],
      ]);
      // Both budgets are locked already, so this lock never waits (every decision takes the budget
      // locks first); kept so the row is ours even if that order changes. Equivalent under mutation.
      // Stryker disable next-line all
      const transfer = (await repository.findTransferById(trx, transferId, { forUpdate: true }))!;
      if (transfer.state !== 'REQUESTED')
        throw new InvalidTransitionError(
          'BudgetTransfer',
          transfer.state,
          input.approve ? 'APPROVED' : 'REJECTED',
        );
      if (input.approve) {
        const from = locked.get(transfer.fromBudgetId)!;
        if (transfer.amount.greaterThan(from.totals.remaining)) {
          throw new BudgetExceededError(from.totals.remaining, transfer.amount, from.currency, null);
        }
        const actor = context.actor!.userId;
        await repository.postEntries(
          trx,
          from,
          [{ kind: 'TRANSFER_OUT', amount: transfer.amount, transferId, reason: transfer.reason }],
          actor,
        );
        await repository.postEntries(
          trx,
          locked.get(transfer.toBudgetId)!,
          [{ kind: 'TRANSFER_IN', amount: transfer.amount, transferId, reason: transfer.reason }],
          actor,
        );
      }
      const after = await repository.decideTransfer(
        trx,
        transferId,
        input.approve ? 'APPROVED' : 'REJECTED',
        context.actor!.userId,
        reason,
      );
      await recordAudit(trx, context, {
        action: input.approve ? 'budgetTransfer.approve' : 'budgetTransfer.reject',
        entityType: 'BudgetTransfer',
        entityId: transferId,
        accountId: transfer.accountId,
        before: transfer,
        after,
      });
      return after;
    },
  );
}

/** Budget transfers, newest first, a page at a time: for the roles that read every account (the field says which). */
export async function listTransfers(
  context: UseCaseContext,
  page: ConnectionArgs,
  options: { pendingOnly: boolean },
): Promise<Connection<Transfer>> {
  if (!readsAllAccounts(context.actor))
    throw new ForbiddenActionError('your roles do not allow listing transfers');
  const filter = { state: options.pendingOnly ? ('REQUESTED' as const) : null };
  return keysetConnection(
    page,
    newestFirstKey,
    (request) => repository.listTransfers(context.db, filter, request),
    () => repository.countTransfers(context.db, filter),
  );
}
