// A booking's delivery, cancellation or exception decision as one database call
// (migrations/20261203000200_change_booking_in_one_call.ts): no rows means nothing was written
// and the general way answers.
import { runPrepared } from '../../../db/prepared';
import type { Database } from '../../../db/knex';
import { toDatabase, type Decimal } from '../../../shared/money';
import { toBooking, type Booking } from './bookings';

export type OneCallChange = {
  operation: 'deliverBooking' | 'cancelBooking' | 'decideBookingException';
  bookingId: string;
  actorUserId: string;
  key: string;
  requestHash: string;
  requestId: string | null;
  /** May change any account's bookings (else only those whose CSM is csmPersonId). */
  anyAccount: boolean;
  csmPersonId: string | null;
  fromStates: readonly string[];
  actualCost: Decimal | null;
  reason: string | null;
  approve: boolean | null;
};

const CHANGE_IN_ONE_CALL = {
  name: 'change_booking_in_one_call',
  text: 'select * from change_booking_in_one_call($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
};

export async function changeBookingInOneCall(db: Database, call: OneCallChange): Promise<Booking | null> {
  const rows = await runPrepared(db, CHANGE_IN_ONE_CALL, [
    call.operation,
    call.bookingId,
    call.actorUserId,
    call.key,
    call.requestHash,
    call.requestId,
    call.anyAccount,
    call.csmPersonId,
    call.fromStates,
    call.actualCost === null ? null : toDatabase(call.actualCost),
    call.reason,
    call.approve,
  ]);
  return rows[0] ? toBooking(rows[0]) : null;
}
