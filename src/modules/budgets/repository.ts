// SQL for budgets, the ledger, bookings, transfers, ratios and overrun policies. postEntries is
// the only code that changes a budget's totals: it appends the entries and writes the new totals
// in the caller's transaction, on a budget row the caller has locked.
import { DateTime } from 'luxon';
import { countRows, type Queryable, type Transaction } from '../../db/transaction';
import { fromDatabase, toDatabase, type Decimal } from '../../shared/money';
import { keysetPage } from '../../db/keyset';
import { tupleKey, type PageRequest } from '../../shared/pagination';
import type { Tier } from '../customers/rules';
import {
  applyDeltas,
  deltasFor,
  type BookingState,
  type EntryKind,
  type OverrunPolicy,
  type Totals,
  type TransferState,
} from './rules';

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
};

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
  reason: string | null;
  actorUserId: string | null;
  createdAt: DateTime;
};

export type Booking = {
  id: string;
  accountId: string;
  budgetId: string;
  serviceId: string;
  requestedBy: string;
  csmPersonId: string | null;
  plannedDate: string;
  state: BookingState;
  settlementPrice: Decimal;
  actualCost: Decimal | null;
  currency: string;
  notes: string;
  exceptionReason: string | null;
  exceptionDecidedBy: string | null;
  exceptionDecisionReason: string | null;
  overrun: boolean;
  createdAt: DateTime;
  deliveredAt: DateTime | null;
  closedAt: DateTime | null;
};

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
const toBudget = (row: any): Budget => ({
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
});

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
  reason: row.reason,
  actorUserId: row.actor_user_id,
  createdAt: DateTime.fromJSDate(row.created_at),
});

const toBooking = (row: any): Booking => ({
  id: row.id,
  accountId: row.account_id,
  budgetId: row.budget_id,
  serviceId: row.service_id,
  requestedBy: row.requested_by,
  csmPersonId: row.csm_person_id,
  plannedDate: row.planned_date,
  state: row.state,
  settlementPrice: fromDatabase(row.settlement_price),
  actualCost: row.actual_cost === null ? null : fromDatabase(row.actual_cost),
  currency: row.currency.trim(),
  notes: row.notes,
  exceptionReason: row.exception_reason,
  exceptionDecidedBy: row.exception_decided_by,
  exceptionDecisionReason: row.exception_decision_reason,
  overrun: row.overrun,
  createdAt: DateTime.fromJSDate(row.created_at),
  deliveredAt: row.delivered_at ? DateTime.fromJSDate(row.delivered_at) : null,
  closedAt: row.closed_at ? DateTime.fromJSDate(row.closed_at) : null,
});

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

export async function findBudgetById(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Budget | null> {
  const query = db('budgets').where({ id });
  if (options.forUpdate) query.forUpdate();
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
  options: { forUpdate?: boolean } = {},
): Promise<Budget | null> {
  const query = db('budgets').where({ account_id: accountId, fiscal_year: fiscalYear });
  if (options.forUpdate) query.forUpdate();
  const row = await query.first();
  return row ? toBudget(row) : null;
}

export type BudgetFilter = { fiscalYear?: number | null; csmPersonId?: string | null };

function filteredBudgets(db: Queryable, filter: BudgetFilter) {
  const query = db('budgets as b').join('customers as c', 'c.id', 'b.account_id');
  if (filter.fiscalYear) query.where('b.fiscal_year', filter.fiscalYear);
  if (filter.csmPersonId) query.where('c.csm_person_id', filter.csmPersonId);
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
  const query = filteredBudgets(db, filter).select('b.*', 'c.name as account_name');
  const rows = await keysetPage(query, ['c.name', '(-b.fiscal_year)', 'b.id'], page);
  return rows.map((row: { account_name: string }) => ({ ...toBudget(row), accountName: row.account_name }));
}

/** How many budgets the filter matches, on every page. */
export async function countBudgets(db: Queryable, filter: BudgetFilter): Promise<number> {
  return countRows(filteredBudgets(db, filter));
}

export type NewEntry = {
  kind: EntryKind;
  amount: Decimal;
  bookingId?: string | null;
  transferId?: string | null;
  reason?: string | null;
};

/**
 * Appends entries to a locked budget and writes its new totals: the ledger and the totals change
 * together or not at all. Asserts the totals still equal the ledger's sums before and after.
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
    .where({ id: budget.id })
    .update({
      allocated_amount: toDatabase(totals.allocated),
      reserved_amount: toDatabase(totals.reserved),
      spent_amount: toDatabase(totals.spent),
      remaining_amount: toDatabase(totals.remaining),
    })
    .returning('*');
  return toBudget(row);
}

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

export async function insertBooking(
  db: Queryable,
  booking: Omit<
    Booking,
    | 'id'
    | 'createdAt'
    | 'deliveredAt'
    | 'closedAt'
    | 'actualCost'
    | 'exceptionDecidedBy'
    | 'exceptionDecisionReason'
  > & {
    id?: string;
  },
): Promise<Booking> {
  const [row] = await db('bookings')
    .insert({
      ...(booking.id && { id: booking.id }),
      account_id: booking.accountId,
      budget_id: booking.budgetId,
      service_id: booking.serviceId,
      requested_by: booking.requestedBy,
      csm_person_id: booking.csmPersonId,
      planned_date: booking.plannedDate,
      state: booking.state,
      settlement_price: toDatabase(booking.settlementPrice),
      currency: booking.currency,
      notes: booking.notes,
      exception_reason: booking.exceptionReason,
      overrun: booking.overrun,
      booked_at: booking.state === 'BOOKED' ? db.raw('now()') : null,
    })
    .returning('*');
  return toBooking(row);
}

export async function updateBooking(
  db: Queryable,
  id: string,
  changes: {
    state: BookingState;
    actualCost?: Decimal;
    overrun?: boolean;
    exceptionDecidedBy?: string | null;
    exceptionDecisionReason?: string | null;
  },
): Promise<Booking> {
  const now = db.raw('now()');
  const [row] = await db('bookings')
    .where({ id })
    .update({
      state: changes.state,
      ...(changes.actualCost !== undefined && { actual_cost: toDatabase(changes.actualCost) }),
      ...(changes.overrun !== undefined && { overrun: changes.overrun }),
      ...(changes.exceptionDecidedBy !== undefined && { exception_decided_by: changes.exceptionDecidedBy }),
      ...(changes.exceptionDecisionReason !== undefined && {
        exception_decision_reason: changes.exceptionDecisionReason,
      }),
      ...(changes.state === 'BOOKED' && { booked_at: now }),
      ...(changes.state === 'DELIVERED' && { delivered_at: now, closed_at: now }),
      ...(['CANCELLED', 'EXPIRED', 'REJECTED'].includes(changes.state) && { closed_at: now }),
    })
    .returning('*');
  return toBooking(row);
}

export async function findBookingById(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean; skipLocked?: boolean } = {},
): Promise<Booking | null> {
  const query = db('bookings').where({ id });
  if (options.forUpdate) query.forUpdate();
  if (options.skipLocked) query.skipLocked();
  const row = await query.first();
  return row ? toBooking(row) : null;
}

export async function findBookingsByIds(db: Queryable, ids: readonly string[]): Promise<Booking[]> {
  return (await db('bookings').whereIn('id', [...ids])).map(toBooking);
}

export type BookingFilter = {
  accountId?: string | null;
  budgetId?: string | null;
  csmPersonId?: string | null;
  serviceId?: string | null;
  states?: readonly BookingState[] | null;
  plannedFrom?: string | null;
  plannedTo?: string | null;
  visibleToCsmPersonId?: string | null;
};

function filteredBookings(db: Queryable, filter: BookingFilter) {
  const query = db('bookings as b');
  if (filter.accountId) query.where('b.account_id', filter.accountId);
  if (filter.budgetId) query.where('b.budget_id', filter.budgetId);
  if (filter.csmPersonId) query.where('b.csm_person_id', filter.csmPersonId);
  if (filter.serviceId) query.where('b.service_id', filter.serviceId);
  if (filter.states && filter.states.length > 0) query.whereIn('b.state', [...filter.states]);
  if (filter.plannedFrom) query.where('b.planned_date', '>=', filter.plannedFrom);
  if (filter.plannedTo) query.where('b.planned_date', '<=', filter.plannedTo);
  if (filter.visibleToCsmPersonId) {
    query
      .join('customers as c', 'c.id', 'b.account_id')
      .where('c.csm_person_id', filter.visibleToCsmPersonId);
  }
  return query;
}

/** How many bookings the filter matches, on every page. */
export async function countBookings(db: Queryable, filter: BookingFilter): Promise<number> {
  return countRows(filteredBookings(db, filter));
}

/** Newest first; the key is [created_at ISO, id]. */
export async function listBookings(
  db: Queryable,
  filter: BookingFilter,
  page: PageRequest<[string, string]>,
): Promise<Booking[]> {
  const query = filteredBookings(db, filter).select('b.*');
  return (await keysetPage(query, ['b.created_at', 'b.id'], page, { descending: true })).map(toBooking);
}

export async function insertBookingPeople(
  db: Queryable,
  bookingId: string,
  accountId: string,
  personIds: readonly string[],
): Promise<void> {
  if (personIds.length === 0) return;
  await db('booking_people').insert(
    personIds.map((personId) => ({ booking_id: bookingId, person_id: personId, account_id: accountId })),
  );
}

export async function findBookingPeople(
  db: Queryable,
  bookingIds: readonly string[],
): Promise<{ bookingId: string; personId: string }[]> {
  const rows = await db('booking_people')
    .whereIn('booking_id', [...bookingIds])
    .select('booking_id', 'person_id');
  return rows.map((row: { booking_id: string; person_id: string }) => ({
    bookingId: row.booking_id,
    personId: row.person_id,
  }));
}

/** Booked reservations whose planned date is before `cutoff` (not locked: the sweep locks each in turn). */
export async function findLapsedBookings(db: Queryable, cutoff: string, limit: number): Promise<Booking[]> {
  const rows = await db('bookings')
    .where({ state: 'BOOKED' })
    .where('planned_date', '<', cutoff)
    .orderBy('planned_date')
    .orderBy('id')
    .limit(limit);
  return rows.map(toBooking);
}

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
  options: { forUpdate?: boolean } = {},
): Promise<Transfer | null> {
  const query = db('budget_transfers').where({ id });
  if (options.forUpdate) query.forUpdate();
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
