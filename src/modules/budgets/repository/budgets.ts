// SQL for budgets (their totals are written only by ledger.ts postEntries), the operating ratio
// of each fiscal year and the overrun policy of each key-account tier.
import { DateTime } from 'luxon';
import { countRows, type Queryable } from '../../../db/transaction';
import { fromDatabase, toDatabase, type Decimal } from '../../../shared/money';
import { keysetPage } from '../../../db/keyset';
import { tupleKey, type PageRequest } from '../../../shared/pagination';
import { accountIdsOfCsmQuery, joinAccountName } from '../../customers/repository';
import type { Tier } from '../../customers/rules';
import { type OverrunPolicy, type Totals } from '../rules';

export type Budget = {
  id: string;
  accountId: string;
  fiscalYear: number;
  currency: string;
  revenueTarget: Decimal | null;
  operatingRatio: Decimal | null;
  totals: Totals;
  createdAt: DateTime;
  closedAt: DateTime | null;
  closedBy: string | null;
};

/* eslint-disable @typescript-eslint/no-explicit-any -- rows are mapped field by field right below */
export const toBudget = (row: any): Budget => ({
  id: row.id,
  accountId: row.account_id,
  fiscalYear: row.fiscal_year,
  currency: row.currency.trim(),
  revenueTarget: row.revenue_target === null ? null : fromDatabase(row.revenue_target),
  operatingRatio: row.operating_ratio === null ? null : fromDatabase(row.operating_ratio),
  totals: {
    allocated: fromDatabase(row.allocated_amount),
    reserved: fromDatabase(row.reserved_amount),
    spent: fromDatabase(row.spent_amount),
    remaining: fromDatabase(row.remaining_amount),
  },
  createdAt: DateTime.fromJSDate(row.created_at),
  closedAt: row.closed_at ? DateTime.fromJSDate(row.closed_at) : null,
  closedBy: row.closed_by ?? null,
});

export async function insertBudget(
  db: Queryable,
  budget: {
    accountId: string;
    fiscalYear: number;
    currency: string;
    revenueTarget: Decimal | null;
    operatingRatio: Decimal | null;
  },
): Promise<Budget> {
  const [row] = await db('budgets')
    .insert({
      account_id: budget.accountId,
      fiscal_year: budget.fiscalYear,
      currency: budget.currency,
      revenue_target: budget.revenueTarget ? toDatabase(budget.revenueTarget) : null,
      operating_ratio: budget.operatingRatio ? toDatabase(budget.operatingRatio) : null,
    })
    .returning('*');
  return toBudget(row);
}

/**
 * `locked` takes the row FOR NO KEY UPDATE, as every money path does (bookings and transfers
 * alike): a money path changes totals, never a key, and this lock does not wait for the KEY SHARE a
 * foreign-key check takes on a budget (a transfer request, a roll-up row), nor they for it. FOR
 * UPDATE did, and deadlocked a transfer request with a decision (test/integration/lock-modes).
 */
export async function findBudgetById(
  db: Queryable,
  id: string,
  options: { locked?: boolean } = {},
): Promise<Budget | null> {
  const query = db('budgets').where({ id });
  if (options.locked) query.forNoKeyUpdate();
  const row = await query.first();
  return row ? toBudget(row) : null;
}

export async function findBudgetsByIds(db: Queryable, ids: readonly string[]): Promise<Budget[]> {
  return (await db('budgets').whereIn('id', [...ids])).map(toBudget);
}

export async function findBudgetFor(
  db: Queryable,
  accountId: string,
  fiscalYear: number,
  options: { locked?: boolean } = {},
): Promise<Budget | null> {
  const query = db('budgets').where({ account_id: accountId, fiscal_year: fiscalYear });
  if (options.locked) query.forNoKeyUpdate();
  const row = await query.first();
  return row ? toBudget(row) : null;
}

export type BudgetFilter = { fiscalYear?: number | null; csmPersonId?: string | null };

function filteredBudgets(db: Queryable, filter: BudgetFilter) {
  const query = db('budgets as b');
  if (filter.fiscalYear) query.where('b.fiscal_year', filter.fiscalYear);
  if (filter.csmPersonId) query.whereIn('b.account_id', accountIdsOfCsmQuery(db, filter.csmPersonId));
  return query;
}

/** A budget as listed: with its account's name, which orders the list. */
export type ListedBudget = Budget & { accountName: string };

type BudgetListKey = [string, number, string];

/** The list's key: account name, then the newest fiscal year first (negated), then id. */
export const budgetListKey = (budget: ListedBudget): BudgetListKey => [
  budget.accountName,
  -budget.fiscalYear,
  budget.id,
];

export const isBudgetListKey = tupleKey<BudgetListKey>('string', 'number', 'string');

export async function listBudgets(
  db: Queryable,
  filter: BudgetFilter,
  page: PageRequest<BudgetListKey>,
): Promise<ListedBudget[]> {
  const query = filteredBudgets(db, filter);
  const { nameColumn } = joinAccountName(query, 'b.account_id');
  query.select('b.*', `${nameColumn} as account_name`);
  const rows = await keysetPage(query, [nameColumn, '(-b.fiscal_year)', 'b.id'], page);
  return rows.map((row: { account_name: string }) => ({ ...toBudget(row), accountName: row.account_name }));
}

/** Budgets of the account with funds left and not closed: commitments a tier change out of A/C must settle. */
export async function countBudgetsWithFunds(db: Queryable, accountId: string): Promise<number> {
  return countRows(
    db('budgets').where({ account_id: accountId }).where('remaining_amount', '>', 0).whereNull('closed_at'),
  );
}

/** How many budgets the filter matches, on every page. */
export async function countBudgets(db: Queryable, filter: BudgetFilter): Promise<number> {
  return countRows(filteredBudgets(db, filter));
}

export async function findRatio(db: Queryable, fiscalYear: number): Promise<Decimal | null> {
  const row = await db('operating_ratios').where({ fiscal_year: fiscalYear }).first();
  return row ? fromDatabase(row.ratio) : null;
}

export async function upsertRatio(
  db: Queryable,
  fiscalYear: number,
  ratio: Decimal,
  updatedBy: string | null,
): Promise<void> {
  await db('operating_ratios')
    .insert({ fiscal_year: fiscalYear, ratio: toDatabase(ratio), updated_by: updatedBy })
    .onConflict('fiscal_year')
    .merge({ ratio: toDatabase(ratio), updated_by: updatedBy, updated_at: db.raw('now()') });
}

export async function findOverrunPolicy(db: Queryable, tier: Tier): Promise<OverrunPolicy> {
  const row = await db('overrun_policies').where({ tier }).first();
  return (row?.policy as OverrunPolicy | undefined) ?? 'STOP';
}

export async function upsertOverrunPolicy(
  db: Queryable,
  tier: Tier,
  policy: OverrunPolicy,
  updatedBy: string | null,
): Promise<void> {
  await db('overrun_policies')
    .insert({ tier, policy, updated_by: updatedBy })
    .onConflict('tier')
    .merge({ policy, updated_by: updatedBy, updated_at: db.raw('now()') });
}
