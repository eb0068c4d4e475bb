// Cancelling a booking with a reason: a BOOKED one releases its reservation.
import type { UseCaseContext } from '../../shared/context';
import { idempotentTransaction } from '../../shared/idempotency';
import { recordAudit } from '../audit/repository';
import * as repository from './repository';
import type { Booking } from './repository';
import { assertTransition } from './rules';
import { validateReasonText } from './validate';
import { bookingReplay, lockBooking, requireCsmOrAdmin } from './access';

export async function cancelBooking(
  context: UseCaseContext,
  input: { bookingId: string; reason: string; idempotencyKey: string },
): Promise<Booking> {
  const reason = validateReasonText(input.reason, 'input.reason');
  return idempotentTransaction(
    context,
    { operation: 'cancelBooking', input },
    bookingReplay(context, 'input.bookingId'),
    async (trx) => {
      const { booking, budget, customer } = await lockBooking(context, trx, input.bookingId);
      requireCsmOrAdmin(context, customer);
      assertTransition(booking.state, 'CANCELLED');
      if (booking.state === 'BOOKED' && !booking.settlementPrice.isZero()) {
        await repository.postEntries(
          trx,
          budget,
          [{ kind: 'RELEASE', amount: booking.settlementPrice, bookingId: booking.id, reason }],
          context.actor!.userId,
        );
      }
      const after = await repository.updateBooking(trx, booking.id, { state: 'CANCELLED' });
      await recordAudit(trx, context, {
        action: 'booking.cancel',
        entityType: 'Booking',
        entityId: booking.id,
        accountId: booking.accountId,
        before: booking,
        after: { ...after, reason },
      });
      return after;
    },
  );
}
