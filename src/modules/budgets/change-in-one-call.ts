// Delivering, cancelling and deciding an exception, one database call each when the request is a
// first attempt the rules allow (repository/change-in-one-call.ts); anything else (a replay, a
// key in use, any refusal) the call leaves untouched for the general way of each use case. It is
// given this code's rules: who may change the booking and the states the transition starts from.
import type { UseCaseContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { idempotencyIdentity } from '../../shared/idempotency';
import { isUuid } from '../../shared/ids';
import type { Decimal } from '../../shared/money';
import * as repository from './repository';
import type { Booking } from './repository';
import { statesInto, type BookingState } from './rules';

export type BookingChange = {
  operation: repository.OneCallChange['operation'];
  input: { bookingId: string; idempotencyKey: string } & Record<string, unknown>;
  to: BookingState;
  /** Whose bookings the caller may change (access.ts bookingManager, or every account). */
  manager: { anyAccount: boolean; csmPersonId: string | null };
  actualCost?: Decimal | null;
  reason?: string | null;
  approve?: boolean;
};

/** The changed booking, or null when the general way must answer (nothing was written). */
export async function changeInOneCall(
  context: UseCaseContext,
  change: BookingChange,
): Promise<Booking | null> {
  const actor = context.actor;
  // Stryker disable next-line ConditionalExpression: equivalent, no mutation runs anonymously (GraphQL refuses it first) and the general way needs an actor too
  if (actor === null) return null;
  if (!isUuid(change.input.bookingId)) return null;
  let identity: { key: string; hash: string };
  try {
    identity = idempotencyIdentity({ operation: change.operation, input: change.input });
  } catch (error) {
    // The general way refuses it, at the same point, with the same error.
    // Stryker disable next-line ConditionalExpression: equivalent, either way the client gets this refusal (the general way raises it again)
    if (error instanceof DomainError) return null;
    throw error;
  }
  return repository.changeBookingInOneCall(context.db, {
    operation: change.operation,
    bookingId: change.input.bookingId, // PostgreSQL reads a uuid in either case
    actorUserId: actor.userId,
    key: identity.key,
    requestHash: identity.hash,
    requestId: context.requestId,
    anyAccount: change.manager.anyAccount,
    csmPersonId: change.manager.csmPersonId,
    fromStates: statesInto(change.to),
    actualCost: change.actualCost ?? null,
    reason: change.reason ?? null,
    approve: change.approve ?? null,
  });
}
