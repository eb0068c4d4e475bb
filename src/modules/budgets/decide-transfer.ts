// A SALES_LEADER approves a transfer (TRANSFER_OUT and TRANSFER_IN in one transaction, both
// budgets locked in id order so that transfers cannot deadlock) or rejects it.
import type { Transaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { BudgetExceededError, ConflictError, NotFoundError } from '../../shared/errors';
import { idempotentTransaction } from '../../shared/idempotency';
import { requireId } from '../../shared/ids';
import { recordAudit } from '../audit/repository';
import { loadReadableAccount } from '../customers/access';
import * as repository from './repository';
import type { Budget, Transfer } from './repository';
import { assertTransferTransition } from './rules';
import { validateReasonText } from './validate';
import { loadTransfer } from './access';

export async function decideBudgetTransfer(
  context: UseCaseContext,
  input: { transferId: string; approve: boolean; reason?: string | null; idempotencyKey: string },
): Promise<Transfer> {
  requireAnyRole(context.actor, ['SALES_LEADER'], 'only a SALES_LEADER may decide budget transfers');
  const transferId = requireId(input.transferId, 'input.transferId');
  const reason = input.reason == null ? null : validateReasonText(input.reason, 'input.reason');
  const to = input.approve ? 'APPROVED' : 'REJECTED';
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
      const { transfer, from, receiver } = await lockTransfer(trx, transferId);
      assertTransferTransition(transfer.state, to);
      if (input.approve) await postTransfer(trx, transfer, from, receiver, context.actor!.userId);
      const after = await repository.decideTransfer(trx, transferId, to, context.actor!.userId, reason);
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

/** Both budgets locked in id order (every decision takes them so), then the transfer row. */
async function lockTransfer(
  trx: Transaction,
  transferId: string,
): Promise<{ transfer: Transfer; from: Budget; receiver: Budget }> {
  const unlocked = await repository.findTransferById(trx, transferId);
  if (!unlocked) throw new NotFoundError('BudgetTransfer', transferId, 'input.transferId');
  const [firstId, secondId] = [unlocked.fromBudgetId, unlocked.toBudgetId].sort();
  const locked = new Map([
    [firstId!, (await repository.findBudgetById(trx, firstId!, { locked: true }))!],
    [secondId!, (await repository.findBudgetById(trx, secondId!, { locked: true }))!],
  ]);
  // Both budgets are locked already, so this lock never waits (every decision takes the budget
  // locks first); kept so the row is ours even if that order changes. Equivalent under mutation.
  // Stryker disable next-line all
  const transfer = (await repository.findTransferById(trx, transferId, { locked: true }))!;
  return { transfer, from: locked.get(transfer.fromBudgetId)!, receiver: locked.get(transfer.toBudgetId)! };
}

/** TRANSFER_OUT of the giver and TRANSFER_IN of the receiver, if the giver still has the amount. */
async function postTransfer(
  trx: Transaction,
  transfer: Transfer,
  from: Budget,
  receiver: Budget,
  actorUserId: string,
): Promise<void> {
  // A budget closed since the request (a close waits for none but requested transfers it counts).
  if (from.closedAt || receiver.closedAt)
    throw new ConflictError(
      'a budget of this transfer has been closed since it was requested',
      'input.transferId',
    );
  if (transfer.amount.greaterThan(from.totals.remaining)) {
    throw new BudgetExceededError(from.totals.remaining, transfer.amount, from.currency, null);
  }
  const entry = { amount: transfer.amount, transferId: transfer.id, reason: transfer.reason };
  await repository.postEntries(trx, from, [{ kind: 'TRANSFER_OUT', ...entry }], actorUserId);
  await repository.postEntries(trx, receiver, [{ kind: 'TRANSFER_IN', ...entry }], actorUserId);
}
