// Delivering a booking: its reservation is released and the actual cost spent (the settlement
// price when none is given), posted even past the budget and flagged as an overrun. A first
// attempt the rules allow is one database call (change-in-one-call.ts); the rest goes the
// general way below.
import type { UseCaseContext } from '../../shared/context';
import { idempotentTransaction } from '../../shared/idempotency';
import { type Decimal, validateMoney } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import * as repository from './repository';
import type { Booking } from './repository';
import { assertTransition } from './rules';
import { bookingManager, bookingReplay, lockBooking, requireCsmOrAdmin } from './access';
import { changeInOneCall } from './change-in-one-call';

export async function deliverBooking(
  context: UseCaseContext,
  input: { bookingId: string; actualCost?: Decimal | null; idempotencyKey: string },
): Promise<Booking> {
  const actualCost = input.actualCost ? validateMoney(input.actualCost, 'input.actualCost') : null;
  const manager = bookingManager(context.actor);
  const changed = await changeInOneCall(context, {
    operation: 'deliverBooking',
    input,
    to: 'DELIVERED',
    manager,
    actualCost,
  });
  return changed ?? deliverTheGeneralWay(context, input, actualCost);
}

/** Every delivery request, replays and refusals included, step by step in one transaction. */
export async function deliverTheGeneralWay(
  context: UseCaseContext,
  input: { bookingId: string; actualCost?: Decimal | null; idempotencyKey: string },
  actualCost: Decimal | null,
): Promise<Booking> {
  return idempotentTransaction(
    context,
    { operation: 'deliverBooking', input },
    bookingReplay(context, 'input.bookingId'),
    async (trx) => {
      const { booking, budget, customer } = await lockBooking(context, trx, input.bookingId);
      requireCsmOrAdmin(context, customer);
      assertTransition(booking.state, 'DELIVERED');
      const cost = actualCost ?? booking.settlementPrice;
      const afterRelease = budget.totals.remaining.plus(booking.settlementPrice);
      // Delivered work is a fact: its cost is posted even past the budget, and flagged.
      const overrun = booking.overrun || cost.greaterThan(afterRelease);
      await repository.postEntries(
        trx,
        budget,
        [
          ...(booking.settlementPrice.isZero()
            ? []
            : [{ kind: 'RELEASE' as const, amount: booking.settlementPrice, bookingId: booking.id }]),
          ...(cost.isZero() ? [] : [{ kind: 'SPEND' as const, amount: cost, bookingId: booking.id }]),
        ],
        context.actor!.userId,
      );
      const after = await repository.updateBooking(trx, booking.id, {
        state: 'DELIVERED',
        actualCost: cost,
        overrun,
      });
      await recordAudit(trx, context, {
        action: 'booking.deliver',
        entityType: 'Booking',
        entityId: booking.id,
        accountId: booking.accountId,
        before: booking,
        after,
      });
      return after;
    },
  );
}
