// SQL for the ledger. postEntries is the only code that changes a budget's totals: it appends the
// entries and writes the new totals in the caller's transaction, on a budget row the caller locked.
import { DateTime } from 'luxon';
import { countRows, type Queryable, type Transaction } from '../../../db/transaction';
import { fromDatabase, toDatabase, type Decimal } from '../../../shared/money';
import { type PageRequest } from '../../../shared/pagination';
import { applyDeltas, deltasFor, type EntryKind, type Totals } from '../rules';
import { toBudget, type Budget } from './budgets';

export type LedgerEntry = {
  id: string;
  budgetId: string;
  accountId: string;
  kind: EntryKind;
  amount: Decimal;
  allocatedDelta: Decimal;
  reservedDelta: Decimal;
  spentDelta: Decimal;
  currency: string;
  bookingId: string | null;
  transferId: string | null;
  /** The other budget of a CARRY_OUT or CARRY_IN. */
  counterpartBudgetId: string | null;
  reason: string | null;
  actorUserId: string | null;
  createdAt: DateTime;
};

/* eslint-disable @typescript-eslint/no-explicit-any -- rows are mapped field by field right below */
const toEntry = (row: any): LedgerEntry => ({
  id: String(row.id),
  budgetId: row.budget_id,
  accountId: row.account_id,
  kind: row.kind,
  amount: fromDatabase(row.amount),
  allocatedDelta: fromDatabase(row.allocated_delta),
  reservedDelta: fromDatabase(row.reserved_delta),
  spentDelta: fromDatabase(row.spent_delta),
  currency: row.currency.trim(),
  bookingId: row.booking_id,
  transferId: row.transfer_id,
  counterpartBudgetId: row.counterpart_budget_id,
  reason: row.reason,
  actorUserId: row.actor_user_id,
  createdAt: DateTime.fromJSDate(row.created_at),
});

export type NewEntry = {
  kind: EntryKind;
  amount: Decimal;
  bookingId?: string | null;
  transferId?: string | null;
  counterpartBudgetId?: string | null;
  reason?: string | null;
};

/**
 * Appends entries to a locked budget and writes its new totals: the ledger and the totals change
 * together or not at all. Asserted on every call, at the cost of no extra round trip:
 * - before: the row still holds the totals the entries are applied to (`budget` was read under
 *   the caller's lock). A stale budget updates no row and fails here, rolling back the entries;
 * - the arithmetic: rules.applyDeltas refuses a release above the reservation, and the table's
 *   CHECK (remaining = allocated − reserved − spent) refuses any other inconsistent row;
 * - after: the row written is the totals computed.
 * That the totals equal the sum of the whole ledger is not re-read here (a scan per write): the
 * ledger property test, the money model test and the bench check it against the entries.
 */
export async function postEntries(
  trx: Transaction,
  budget: Budget,
  entries: NewEntry[],
  actorUserId: string | null,
): Promise<Budget> {
  let totals = budget.totals;
  const rows = entries.map((entry) => {
    const deltas = deltasFor(entry.kind, entry.amount);
    totals = applyDeltas(totals, deltas);
    return {
      budget_id: budget.id,
      account_id: budget.accountId,
      kind: entry.kind,
      amount: toDatabase(entry.amount),
      allocated_delta: toDatabase(deltas.allocated),
      reserved_delta: toDatabase(deltas.reserved),
      spent_delta: toDatabase(deltas.spent),
      currency: budget.currency,
      booking_id: entry.bookingId ?? null,
      transfer_id: entry.transferId ?? null,
      counterpart_budget_id: entry.counterpartBudgetId ?? null,
      reason: entry.reason ?? null,
      actor_user_id: actorUserId,
    };
  });
  // One statement: the entries go in (a data-modifying CTE) and the totals move, so the budget row
  // lock is held for one round trip less on every money path.
  const statement = (
    rows.length > 0 ? trx.with('posted', trx('ledger_entries').insert(rows)) : trx.queryBuilder()
  ).from<Record<string, unknown>>('budgets');
  const [row] = await statement
    .where({
      id: budget.id,
      allocated_amount: toDatabase(budget.totals.allocated),
      reserved_amount: toDatabase(budget.totals.reserved),
      spent_amount: toDatabase(budget.totals.spent),
    })
    .update({
      allocated_amount: toDatabase(totals.allocated),
      reserved_amount: toDatabase(totals.reserved),
      spent_amount: toDatabase(totals.spent),
      remaining_amount: toDatabase(totals.remaining),
    })
    .returning('*');
  if (!row)
    throw new Error(
      `postEntries: budget ${budget.id} no longer holds the totals it was read with (read it under the lock)`,
    );
  const after = toBudget(row);
  if (!sameTotals(after.totals, totals))
    throw new Error(`postEntries: budget ${budget.id} was written with totals other than those computed`);
  return after;
}

const sameTotals = (a: Totals, b: Totals): boolean =>
  a.allocated.equals(b.allocated) &&
  a.reserved.equals(b.reserved) &&
  a.spent.equals(b.spent) &&
  a.remaining.equals(b.remaining);

/** What the ledger adds up to for a budget, up to an instant (exclusive) when given. */
export async function ledgerTotals(db: Queryable, budgetId: string, before?: DateTime): Promise<Totals> {
  const query = db('ledger_entries')
    .where({ budget_id: budgetId })
    .select(
      db.raw('coalesce(sum(allocated_delta), 0) as allocated'),
      db.raw('coalesce(sum(reserved_delta), 0) as reserved'),
      db.raw('coalesce(sum(spent_delta), 0) as spent'),
    );
  if (before) query.where('created_at', '<', before.toJSDate());
  const [row] = await query;
  const allocated = fromDatabase(row.allocated);
  const reserved = fromDatabase(row.reserved);
  const spent = fromDatabase(row.spent);
  return { allocated, reserved, spent, remaining: allocated.minus(reserved).minus(spent) };
}

export async function countEntries(db: Queryable, budgetId: string): Promise<number> {
  return countRows(db('ledger_entries').where({ budget_id: budgetId }));
}

export async function listEntries(
  db: Queryable,
  budgetId: string,
  page: PageRequest<number>,
): Promise<LedgerEntry[]> {
  const query = db('ledger_entries').where({ budget_id: budgetId });
  if (page.after !== null) query.where('id', '>', page.after);
  if (page.before !== null) query.where('id', '<', page.before);
  return (await query.orderBy('id', page.inverted ? 'desc' : 'asc').limit(page.limit)).map(toEntry);
}
