// The booking that goes through, as one database call (migrations/20261203000100_book_in_one_call.ts):
// no rows means the call booked nothing and left nothing behind, and the general way answers.
// Several bookings on one budget go as one call of book_batch_in_one_call (migrations/
// 20261207000100_book_batch_in_one_call.ts), which is the same function item by item.
import { runPrepared } from '../../../db/prepared';
import type { Database } from '../../../db/knex';
import { toBooking, type Booking } from './bookings';

export type OneCallBooking = {
  bookingId: string;
  actorUserId: string;
  key: string;
  operation: string;
  requestHash: string;
  requestId: string | null;
  booksAnyAccount: boolean;
  csmPersonId: string | null;
  accountId: string;
  serviceId: string;
  /** The day the price is read on (today in the fiscal zone). */
  day: string;
  fiscalYear: number;
  plannedDate: string;
  notes: string;
  exceptionReason: string | null;
  personIds: readonly string[];
  keyAccountTiers: readonly string[];
  freeServiceDepartments: readonly string[];
};

const BOOK_IN_ONE_CALL = {
  name: 'book_in_one_call',
  text: `select * from book_in_one_call($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
};

export async function bookInOneCall(db: Database, call: OneCallBooking): Promise<Booking | null> {
  const rows = await runPrepared(db, BOOK_IN_ONE_CALL, [
    call.bookingId,
    call.actorUserId,
    call.key,
    call.operation,
    call.requestHash,
    call.requestId,
    call.booksAnyAccount,
    call.csmPersonId,
    call.accountId,
    call.serviceId,
    call.day,
    call.fiscalYear,
    call.plannedDate,
    call.notes,
    call.exceptionReason,
    call.personIds,
    call.keyAccountTiers,
    call.freeServiceDepartments,
  ]);
  return rows[0] ? toBooking(rows[0]) : null;
}

const BOOK_BATCH_IN_ONE_CALL = {
  name: 'book_batch_in_one_call',
  text: `select * from book_batch_in_one_call($1, $2, $3)`,
};

/**
 * The calls in the order given, as one transaction: each call's booking, or null where it booked
 * nothing. All calls carry the same key account tiers and departments (the code's constants).
 */
export async function bookBatchInOneCall(
  db: Database,
  calls: readonly OneCallBooking[],
): Promise<(Booking | null)[]> {
  const first = calls[0]!;
  const items = calls.map(({ keyAccountTiers, freeServiceDepartments, ...item }) => {
    if (keyAccountTiers !== first.keyAccountTiers || freeServiceDepartments !== first.freeServiceDepartments)
      throw new Error('a booking batch mixes key account tiers or departments');
    return item;
  });
  const rows = await runPrepared(db, BOOK_BATCH_IN_ONE_CALL, [
    JSON.stringify(items),
    first.keyAccountTiers,
    first.freeServiceDepartments,
  ]);
  const booked = new Map(rows.map((row) => [row.id as string, toBooking(row)]));
  return calls.map((call) => booked.get(call.bookingId) ?? null);
}
