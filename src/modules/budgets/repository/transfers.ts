// SQL for budget transfers (their ledger entries are posted by ledger.ts postEntries).
import { DateTime } from 'luxon';
import { countRows, type Queryable } from '../../../db/transaction';
import { fromDatabase, toDatabase, type Decimal } from '../../../shared/money';
import { keysetPage } from '../../../db/keyset';
import { type PageRequest } from '../../../shared/pagination';
import { type TransferState } from '../rules';

export type Transfer = {
  id: string;
  fromBudgetId: string;
  toBudgetId: string;
  accountId: string;
  amount: Decimal;
  currency: string;
  reason: string;
  state: TransferState;
  requestedBy: string;
  decidedBy: string | null;
  decisionReason: string | null;
  createdAt: DateTime;
};

/* eslint-disable @typescript-eslint/no-explicit-any -- rows are mapped field by field right below */
const toTransfer = (row: any): Transfer => ({
  id: row.id,
  fromBudgetId: row.from_budget_id,
  toBudgetId: row.to_budget_id,
  accountId: row.account_id,
  amount: fromDatabase(row.amount),
  currency: row.currency.trim(),
  reason: row.reason,
  state: row.state,
  requestedBy: row.requested_by,
  decidedBy: row.decided_by,
  decisionReason: row.decision_reason,
  createdAt: DateTime.fromJSDate(row.created_at),
});
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function insertTransfer(
  db: Queryable,
  transfer: Omit<Transfer, 'id' | 'createdAt' | 'decidedBy' | 'decisionReason' | 'state'>,
): Promise<Transfer> {
  const [row] = await db('budget_transfers')
    .insert({
      from_budget_id: transfer.fromBudgetId,
      to_budget_id: transfer.toBudgetId,
      account_id: transfer.accountId,
      amount: toDatabase(transfer.amount),
      currency: transfer.currency,
      reason: transfer.reason,
      state: 'REQUESTED',
      requested_by: transfer.requestedBy,
    })
    .returning('*');
  return toTransfer(row);
}

export async function findTransferById(
  db: Queryable,
  id: string,
  options: { locked?: boolean } = {},
): Promise<Transfer | null> {
  const query = db('budget_transfers').where({ id });
  if (options.locked) query.forNoKeyUpdate();
  const row = await query.first();
  return row ? toTransfer(row) : null;
}

export async function decideTransfer(
  db: Queryable,
  id: string,
  state: TransferState,
  decidedBy: string,
  decisionReason: string | null,
): Promise<Transfer> {
  const [row] = await db('budget_transfers')
    .where({ id })
    .update({ state, decided_by: decidedBy, decision_reason: decisionReason, decided_at: db.raw('now()') })
    .returning('*');
  return toTransfer(row);
}

export type TransferFilter = { state?: TransferState | null };

function filteredTransfers(db: Queryable, filter: TransferFilter) {
  const query = db('budget_transfers');
  if (filter.state) query.where({ state: filter.state });
  return query;
}

/** Newest first; the key is [created_at ISO, id]. */
export async function listTransfers(
  db: Queryable,
  filter: TransferFilter,
  page: PageRequest<[string, string]>,
): Promise<Transfer[]> {
  const query = filteredTransfers(db, filter).select('*');
  return (await keysetPage(query, ['created_at', 'id'], page, { descending: true })).map(toTransfer);
}

export async function countTransfers(db: Queryable, filter: TransferFilter): Promise<number> {
  return countRows(filteredTransfers(db, filter));
}
