// Creating a key account's budget for a fiscal year: revenue target × operating ratio, or an
// explicit amount, posted as an ALLOCATION entry (and OPENING for what was used before).
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError, ValidationError } from '../../shared/errors';
import { validateFiscalYear } from '../../shared/fiscal';
import { idempotentTransaction } from '../../shared/idempotency';
import type { Decimal } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { loadReadableAccount } from '../customers/access';
import { isKeyAccount } from '../customers/rules';
import type { Transaction } from '../../db/transaction';
import type { Customer } from '../customers/repository';
import * as repository from './repository';
import { budgetReplay } from './access';
import type { Budget, NewEntry } from './repository';
import { budgetAmount } from './rules';
import { validateBudgetSizing, type BudgetSizing } from './validate';

export type CreateBudgetInput = {
  accountId: string;
  fiscalYear: number;
  revenueTarget?: Decimal | null;
  operatingRatio?: Decimal | null;
  amount?: Decimal | null;
  openingUsed?: Decimal | null;
  currency: string;
  idempotencyKey: string;
};

/** Budget = revenue target × ratio (the year's default ratio unless one is given), or an explicit amount. */
export async function createBudget(context: UseCaseContext, input: CreateBudgetInput): Promise<Budget> {
  const actor = requireAnyRole(context.actor, ['FINANCE'], 'only FINANCE may create budgets');
  const fiscalYear = validateFiscalYear(input.fiscalYear, 'input.fiscalYear');
  const sizing = validateBudgetSizing(input);
  return idempotentTransaction(
    context,
    { operation: 'createBudget', input },
    budgetReplay(context),
    async (trx) => {
      const customer = await lockAccountWithoutBudget(context, trx, input.accountId, fiscalYear);
      const allocation = await allocationOf(trx, sizing, fiscalYear);
      const created = await repository.insertBudget(trx, {
        accountId: customer.id,
        fiscalYear,
        currency: input.currency,
        revenueTarget: sizing.revenueTarget,
        operatingRatio: allocation.ratio,
      });
      const budget = await repository.postEntries(
        trx,
        created,
        openingEntries(sizing, allocation),
        actor.userId,
      );
      await recordAudit(trx, context, {
        action: 'budget.create',
        entityType: 'Budget',
        entityId: budget.id,
        accountId: customer.id,
        after: budget,
      });
      return budget;
    },
  );
}

/**
 * The key account, locked so that two budgets for one account and year created at once take
 * turns: the second is told a budget exists instead of failing on the unique index.
 */
async function lockAccountWithoutBudget(
  context: UseCaseContext,
  trx: Transaction,
  accountId: string,
  fiscalYear: number,
): Promise<Customer> {
  const customer = await loadReadableAccount(context, trx, accountId, 'input.accountId', { forUpdate: true });
  if (!isKeyAccount(customer.tier)) {
    throw new ValidationError(
      'input.accountId',
      `operating budgets are for key accounts (A, C); ${customer.name} is tier ${customer.tier}`,
    );
  }
  if (await repository.findBudgetFor(trx, customer.id, fiscalYear)) {
    throw new ConflictError(
      `${customer.name} already has a budget for FY${fiscalYear}; adjust it instead`,
      'input.fiscalYear',
    );
  }
  return customer;
}

type Allocation = { amount: Decimal; ratio: Decimal | null };

/** The amount allocated: the explicit amount, or the revenue target × the given or the year's ratio. */
async function allocationOf(trx: Transaction, sizing: BudgetSizing, fiscalYear: number): Promise<Allocation> {
  const { revenueTarget } = sizing;
  if (!revenueTarget) return { amount: sizing.explicitAmount!, ratio: null };
  const ratio = sizing.givenRatio ?? (await repository.findRatio(trx, fiscalYear));
  if (!ratio)
    throw new ValidationError(
      'input.operatingRatio',
      `no operating ratio is set for FY${fiscalYear}: set one or give operatingRatio`,
    );
  const amount = budgetAmount(revenueTarget, ratio);
  // A tiny target × ratio can round to nothing; an empty budget is a mistake, not a budget.
  if (!amount.greaterThan(0))
    throw new ValidationError(
      'input.revenueTarget',
      `revenue target ${revenueTarget.toFixed(2)} × ratio ${ratio.toFixed()} rounds to 0.00: the budget would be empty`,
    );
  return { amount, ratio };
}

/** ALLOCATION, saying how it was sized, and OPENING for what was used before (none for zero). */
function openingEntries(sizing: BudgetSizing, allocation: Allocation): NewEntry[] {
  const { revenueTarget, openingUsed } = sizing;
  const allocationEntry: NewEntry = {
    kind: 'ALLOCATION',
    amount: allocation.amount,
    reason: revenueTarget
      ? `revenue target ${revenueTarget.toFixed(2)} × ratio ${allocation.ratio!.toFixed()}`
      : 'explicit amount',
  };
  if (!openingUsed || openingUsed.isZero()) return [allocationEntry];
  return [
    allocationEntry,
    {
      kind: 'OPENING',
      amount: openingUsed,
      reason: 'already used this fiscal year before the budget was recorded',
    },
  ];
}
