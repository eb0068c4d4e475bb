// FINANCE closes a budget at the end of its fiscal year. Nothing may still be open on it (booked
// or pending bookings, requested transfers). What it did not use lapses, except what the account
// tier's carry-over policy moves to the account's budget of the next year: a LAPSE entry, and a
// CARRY_OUT here with a CARRY_IN there, in one transaction with the mark and the audit. A closed
// budget refuses every money mutation until FINANCE reopens it (reopen-budget.ts).
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { idempotentTransaction, registerRefusalClass } from '../../shared/idempotency';
import { requireId } from '../../shared/ids';
import { Decimal, formatMoney } from '../../shared/money';
import type { Transaction } from '../../db/transaction';
import { recordAudit } from '../audit/repository';
import { findCustomerById } from '../customers/repository';
import { isKeyAccount } from '../customers/rules';
import { budgetReplay } from './access';
import * as repository from './repository';
import type { Budget, NewEntry } from './repository';
import { closingSplit } from './rules';

export type CloseBlocker = {
  budgetId: string;
  accountId: string;
  accountName: string;
  resource: 'OPEN_BOOKINGS' | 'PENDING_TRANSFERS' | 'NEXT_BUDGET';
  message: string;
};

/** The message lists the first blockers; `blockers` holds them all. */
export class BudgetCloseBlockedError extends ConflictError {
  constructor(
    readonly blockers: CloseBlocker[],
    field = 'input.budgetId',
  ) {
    const shown = blockers.slice(0, 5).map((blocker) => blocker.message);
    if (blockers.length > shown.length) shown.push(`${blockers.length - shown.length} more`);
    super(`resolve first: ${shown.join('; ')}`, field);
  }
}
registerRefusalClass(BudgetCloseBlockedError);

export async function closeBudget(
  context: UseCaseContext,
  input: { budgetId: string; idempotencyKey: string },
): Promise<Budget> {
  const actor = requireAnyRole(context.actor, ['FINANCE'], 'only FINANCE may close budgets');
  const budgetId = requireId(input.budgetId, 'input.budgetId');
  return idempotentTransaction(
    context,
    { operation: 'closeBudget', input },
    budgetReplay(context),
    async (trx) => {
      const { budget, next } = await lockWithNextYear(trx, budgetId);
      if (budget.closedAt) throw new ConflictError('the budget is already closed', 'input.budgetId');
      const plan = await planClose(trx, budget, next);
      if (plan.blockers.length > 0) throw new BudgetCloseBlockedError(plan.blockers);
      return applyClose(trx, context, plan, actor.userId);
    },
  );
}

export type ClosePlan = {
  budget: Budget;
  next: Budget | null;
  carried: Decimal;
  lapsed: Decimal;
  blockers: CloseBlocker[];
};

/** What closing a locked budget would move, and what blocks it (the next year's budget locked too, if any). */
export async function planClose(trx: Transaction, budget: Budget, next: Budget | null): Promise<ClosePlan> {
  const customer = (await findCustomerById(trx, budget.accountId))!;
  const percent = isKeyAccount(customer.tier)
    ? await repository.findCarryOverPercent(trx, customer.tier)
    : null;
  const { carried, lapsed } = closingSplit(budget.totals, percent ?? new Decimal(0));
  return {
    budget,
    next,
    carried,
    lapsed,
    blockers: await blockersOf(trx, budget, customer.name, next, carried),
  };
}

/** Posts the closing entries, marks the budget closed and audits it. */
export async function applyClose(
  trx: Transaction,
  context: UseCaseContext,
  { budget, next, carried, lapsed }: ClosePlan,
  actorUserId: string,
): Promise<Budget> {
  // A lapse is not spending: the budget's alert thresholds stay quiet while it closes (the events trigger reads this).
  await trx.raw(`select set_config('ledger.closing_budget', ?, true)`, [budget.id]);
  await postClosingEntries(trx, budget, next, { carried, lapsed }, actorUserId);
  const after = await repository.markClosed(trx, budget.id, actorUserId);
  await recordAudit(trx, context, {
    action: 'budget.close',
    entityType: 'Budget',
    entityId: budget.id,
    accountId: budget.accountId,
    before: budget,
    after: { ...after, lapsed, carried, carriedTo: carried.isZero() ? null : next!.id },
  });
  return after;
}

/** The budget and the account's budget of the next year, both locked in id order (as every path locking two does). */
async function lockWithNextYear(
  trx: Transaction,
  budgetId: string,
): Promise<{ budget: Budget; next: Budget | null }> {
  const unlocked = await repository.findBudgetById(trx, budgetId);
  if (!unlocked) throw new NotFoundError('Budget', budgetId, 'input.budgetId');
  const nextUnlocked = await repository.findBudgetFor(trx, unlocked.accountId, unlocked.fiscalYear + 1);
  const ids = [budgetId, ...(nextUnlocked ? [nextUnlocked.id] : [])].sort();
  const locked = new Map<string, Budget>();
  for (const id of ids) locked.set(id, (await repository.findBudgetById(trx, id, { locked: true }))!);
  return { budget: locked.get(budgetId)!, next: nextUnlocked ? locked.get(nextUnlocked.id)! : null };
}

async function blockersOf(
  trx: Transaction,
  budget: Budget,
  accountName: string,
  next: Budget | null,
  carried: Decimal,
): Promise<CloseBlocker[]> {
  const blockers: CloseBlocker[] = [];
  const blocked = (resource: CloseBlocker['resource'], message: string) =>
    blockers.push({ budgetId: budget.id, accountId: budget.accountId, accountName, resource, message });
  const { openBookings, pendingTransfers } = await repository.openCommitmentsOf(trx, budget.id);
  if (openBookings > 0)
    blocked(
      'OPEN_BOOKINGS',
      `${openBookings} booking(s) still booked or waiting for an exception: deliver or cancel them`,
    );
  if (pendingTransfers > 0)
    blocked(
      'PENDING_TRANSFERS',
      `${pendingTransfers} requested transfer(s) of this budget: approve or reject them`,
    );
  if (!carried.isZero()) {
    const amount = `${formatMoney(carried)} ${budget.currency}`;
    const year = budget.fiscalYear + 1;
    if (next === null)
      blocked(
        'NEXT_BUDGET',
        `${amount} carries over to FY${year}: create the account's FY${year} budget first`,
      );
    else if (next.closedAt)
      blocked('NEXT_BUDGET', `${amount} carries over to FY${year}, whose budget is closed`);
    else if (next.currency !== budget.currency)
      blocked('NEXT_BUDGET', `${amount} carries over to FY${year}, whose budget is in ${next.currency}`);
  }
  return blockers;
}

async function postClosingEntries(
  trx: Transaction,
  budget: Budget,
  next: Budget | null,
  { carried, lapsed }: { carried: Decimal; lapsed: Decimal },
  actorUserId: string,
): Promise<void> {
  const year = `FY${budget.fiscalYear}`;
  const entries: NewEntry[] = [];
  if (!lapsed.isZero())
    entries.push({ kind: 'LAPSE', amount: lapsed, reason: `${year} closed: unused, lapsed` });
  if (!carried.isZero())
    entries.push({
      kind: 'CARRY_OUT',
      amount: carried,
      counterpartBudgetId: next!.id,
      reason: `${year} closed: carried over to FY${budget.fiscalYear + 1}`,
    });
  if (entries.length > 0) await repository.postEntries(trx, budget, entries, actorUserId);
  if (!carried.isZero())
    await repository.postEntries(
      trx,
      next!,
      [
        {
          kind: 'CARRY_IN',
          amount: carried,
          counterpartBudgetId: budget.id,
          reason: `carried over from ${year}`,
        },
      ],
      actorUserId,
    );
}
