// Cancelling a booking with a reason: a BOOKED one releases its reservation. A first attempt the
// rules allow is one database call (change-in-one-call.ts); the rest goes the general way below.
import type { UseCaseContext } from '../../shared/context';
import { idempotentTransaction } from '../../shared/idempotency';
import { recordAudit } from '../audit/repository';
import * as repository from './repository';
import type { Booking } from './repository';
import { assertTransition } from './rules';
import { validateReasonText } from './validate';
import { bookingManager, bookingReplay, lockBooking, requireCsmOrAdmin } from './access';
import { changeInOneCall } from './change-in-one-call';

export async function cancelBooking(
  context: UseCaseContext,
  input: { bookingId: string; reason: string; idempotencyKey: string },
): Promise<Booking> {
  const reason = validateReasonText(input.reason, 'input.reason');
  const manager = bookingManager(context.actor);
  const changed = await changeInOneCall(context, {
    operation: 'cancelBooking',
    input,
    to: 'CANCELLED',
    manager,
    reason,
  });
  return changed ?? cancelTheGeneralWay(context, input, reason);
}

/** Every cancellation request, replays and refusals included, step by step in one transaction. */
export async function cancelTheGeneralWay(
  context: UseCaseContext,
  input: { bookingId: string; reason: string; idempotencyKey: string },
  reason: string,
): Promise<Booking> {
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
