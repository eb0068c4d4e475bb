// The expiry sweep: reservations of bookings still BOOKED more than the lapse period after their
// planned date are released, one booking per transaction.
import { DateTime } from 'luxon';
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { today } from '../../shared/fiscal';
import { recordAudit } from '../audit/repository';
import * as repository from './repository';

export const EXPIRY_BATCH_MAX = 500;

/**
 * Releases reservations of bookings still BOOKED more than the lapse period after their planned
 * date, recorded in the ledger like any release. Safe to run from several instances at once
 * (rows another sweeper holds are skipped). Returns how many bookings expired.
 */
export async function expireLapsedBookings(
  context: UseCaseContext,
  batchMax: number = EXPIRY_BATCH_MAX,
): Promise<number> {
  const cutoff = DateTime.fromISO(today(context))
    .minus({ days: context.config.reservationLapseDays })
    .toISODate()!;
  let expired = 0;
  while (true) {
    const candidates = await repository.findLapsedBookings(context.db, cutoff, batchMax);
    let progressed = 0;
    for (const candidate of candidates) {
      // Budget first, then the booking, as every money path locks them; skip one another sweeper holds.
      const done = await inTransaction(context.db, async (trx) => {
        const budget = (await repository.findBudgetById(trx, candidate.budgetId, { locked: true }))!;
        const booking = await repository.findBookingById(trx, candidate.id, {
          locked: true,
          skipLocked: true,
        });
        if (!booking || booking.state !== 'BOOKED') return false;
        if (!booking.settlementPrice.isZero()) {
          await repository.postEntries(
            trx,
            budget,
            [
              {
                kind: 'RELEASE',
                amount: booking.settlementPrice,
                bookingId: booking.id,
                reason: `lapsed: planned ${booking.plannedDate}, not delivered by ${cutoff}`,
              },
            ],
            null,
          );
        }
        const after = await repository.updateBooking(trx, booking.id, { state: 'EXPIRED' });
        await recordAudit(trx, context, {
          action: 'booking.expire',
          entityType: 'Booking',
          entityId: booking.id,
          accountId: booking.accountId,
          before: booking,
          after,
        });
        return true;
      });
      if (done) progressed += 1;
    }
    expired += progressed;
    // A batch another sweeper took entirely (or an empty one) is left to it; a short batch is the last.
    if (progressed === 0) return expired;
    // Stryker disable next-line ConditionalExpression: equivalent, without it the next pass finds nothing and ends (one query more, the same count).
    if (candidates.length < batchMax) return expired;
  }
}
