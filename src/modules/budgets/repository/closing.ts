// SQL for closing budgets: what still blocks a close, the mark itself, and each key-account
// tier's carry-over policy.
import type { Queryable } from '../../../db/transaction';
import { fromDatabase, toDatabase, type Decimal } from '../../../shared/money';
import type { Tier } from '../../customers/rules';
import { toBudget, type Budget } from './budgets';

/** Open bookings (booked or waiting for an exception) and requested transfers of a budget. */
export async function openCommitmentsOf(
  db: Queryable,
  budgetId: string,
): Promise<{ openBookings: number; pendingTransfers: number }> {
  const { rows } = await db.raw(
    `select (select count(*) from bookings where budget_id = ? and state in ('BOOKED', 'PENDING_APPROVAL'))::int as open_bookings,
            (select count(*) from budget_transfers where state = 'REQUESTED' and ? in (from_budget_id, to_budget_id))::int as pending_transfers`,
    [budgetId, budgetId],
  );
  return { openBookings: rows[0].open_bookings, pendingTransfers: rows[0].pending_transfers };
}

export async function markClosed(db: Queryable, budgetId: string, closedBy: string | null): Promise<Budget> {
  const [row] = await db('budgets')
    .where({ id: budgetId })
    .update({ closed_at: db.raw('now()'), closed_by: closedBy })
    .returning('*');
  return toBudget(row);
}

export async function markReopened(db: Queryable, budgetId: string): Promise<Budget> {
  const [row] = await db('budgets')
    .where({ id: budgetId })
    .update({ closed_at: null, closed_by: null })
    .returning('*');
  return toBudget(row);
}

/** What a closed budget lapsed and carried out, from its ledger. */
export async function closingAmountsOf(
  db: Queryable,
  budgetId: string,
): Promise<{ lapsed: Decimal; carried: Decimal; carriedTo: string | null }> {
  const { rows } = await db.raw(
    `select coalesce(sum(amount) filter (where kind = 'LAPSE'), 0) as lapsed,
            coalesce(sum(amount) filter (where kind = 'CARRY_OUT'), 0) as carried,
            max(counterpart_budget_id::text) filter (where kind = 'CARRY_OUT') as carried_to
       from ledger_entries where budget_id = ? and kind in ('LAPSE', 'CARRY_OUT')`,
    [budgetId],
  );
  return {
    lapsed: fromDatabase(rows[0].lapsed),
    carried: fromDatabase(rows[0].carried),
    carriedTo: rows[0].carried_to,
  };
}

export async function findCarryOverPercent(db: Queryable, tier: Tier): Promise<Decimal> {
  const row = await db('carry_over_policies').where({ tier }).first('max_percent');
  return fromDatabase(row?.max_percent ?? '0');
}

export async function upsertCarryOverPercent(
  db: Queryable,
  tier: Tier,
  maxPercent: Decimal,
  updatedBy: string | null,
): Promise<void> {
  const value = toDatabase(maxPercent);
  await db('carry_over_policies')
    .insert({ tier, max_percent: value, updated_by: updatedBy })
    .onConflict('tier')
    .merge({ max_percent: value, updated_by: updatedBy, updated_at: db.raw('now()') });
}

/** The open budgets of a fiscal year and the same accounts' budgets of the next, locked in id order. */
export async function lockYearWithNext(
  db: Queryable,
  fiscalYear: number,
): Promise<{ open: Budget[]; nextOf: Map<string, Budget> }> {
  const { rows } = await db.raw(
    `select b.* from budgets b
      where (b.fiscal_year = ? and b.closed_at is null)
         or (b.fiscal_year = ? and b.account_id in (select account_id from budgets where fiscal_year = ? and closed_at is null))
      order by b.id
      for no key update`,
    [fiscalYear, fiscalYear + 1, fiscalYear],
  );
  const budgets = (rows as unknown[]).map(toBudget);
  // Re-read under the lock: a budget closed while this waited is no longer open.
  const open = budgets.filter((b) => b.fiscalYear === fiscalYear && b.closedAt === null);
  const nextOf = new Map(budgets.filter((b) => b.fiscalYear === fiscalYear + 1).map((b) => [b.accountId, b]));
  return { open, nextOf };
}

export async function findClosedBudgetIdsOfYear(db: Queryable, fiscalYear: number): Promise<string[]> {
  const rows = await db('budgets')
    .where({ fiscal_year: fiscalYear })
    .whereNotNull('closed_at')
    .orderBy('id')
    .select('id');
  return rows.map((row: { id: string }) => row.id);
}
