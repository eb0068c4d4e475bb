// SQL for bookings and the people named on them.
import { DateTime } from 'luxon';
import { countRows, type Queryable } from '../../../db/transaction';
import { fromDatabase, toDatabase, type Decimal } from '../../../shared/money';
import { keysetPage } from '../../../db/keyset';
import { type PageRequest } from '../../../shared/pagination';
import { accountIdsOfCsmQuery } from '../../customers/repository';
import { type BookingState } from '../rules';

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

/* eslint-disable @typescript-eslint/no-explicit-any -- rows are mapped field by field right below */
export const toBooking = (row: any): Booking => ({
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
  options: { locked?: boolean; skipLocked?: boolean } = {},
): Promise<Booking | null> {
  const query = db('bookings').where({ id });
  if (options.locked) query.forNoKeyUpdate();
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
  if (filter.visibleToCsmPersonId)
    query.whereIn('b.account_id', accountIdsOfCsmQuery(db, filter.visibleToCsmPersonId));
  return query;
}

/** The account's bookings still open (booked, or waiting for an exception decision). */
export async function countOpenBookings(db: Queryable, accountId: string): Promise<number> {
  return countRows(
    db('bookings').where({ account_id: accountId }).whereIn('state', ['BOOKED', 'PENDING_APPROVAL']),
  );
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
