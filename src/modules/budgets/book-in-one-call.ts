// The usual booking, one database call: when the request is a first attempt that passes every
// check and fits (or is filed as an exception, or the tier's policy is WARN), the database
// function books it whole (repository/book-in-one-call.ts). Anything else (a replay, a key in
// use, any refusal) it leaves untouched, and bookFreeService takes the general way, which
// answers it as before. The rules it is given are this code's: the manager rule, the key account
// tiers, the departments; the funds decision is held equal to rules.ts by a property test.
import type { UseCaseContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { fiscalYearOfDate } from '../../shared/fiscal';
import { idempotencyIdentity } from '../../shared/idempotency';
import { isUuid } from '../../shared/ids';
import { KEY_ACCOUNT_TIERS } from '../customers/rules';
import { FREE_SERVICE_DEPARTMENTS } from '../catalog/rules';
import { bookingManager } from './access';
import * as repository from './repository';
import type { Booking } from './repository';
import type { BookingAttempt } from './book';
import { validatePersonIds } from './validate';

export const BOOK_OPERATION = 'bookFreeService';

/** The booking, or null when the general way must answer (nothing was written). */
export async function bookInOneCall(context: UseCaseContext, what: BookingAttempt): Promise<Booking | null> {
  const call = oneCall(context, what);
  return call === null ? null : repository.bookInOneCall(context.db, call);
}

function oneCall(
  context: UseCaseContext,
  { bookingId, input, request, day }: BookingAttempt,
): repository.OneCallBooking | null {
  const actor = context.actor;
  // Stryker disable next-line ConditionalExpression: equivalent, no mutation runs anonymously (GraphQL refuses it first) and the general way needs an actor too
  if (actor === null) return null;
  if (!isUuid(input.accountId)) return null;
  try {
    // Each of these refuses in the general way too, where the order of checks is kept.
    const { key, hash } = idempotencyIdentity({ operation: BOOK_OPERATION, input });
    request.validatePlannedDate();
    const personIds = validatePersonIds(input.personIds ?? []);
    const manager = bookingManager(actor);
    return {
      bookingId,
      actorUserId: actor.userId,
      key,
      operation: BOOK_OPERATION,
      requestHash: hash,
      requestId: context.requestId,
      booksAnyAccount: manager.anyAccount,
      csmPersonId: manager.csmPersonId,
      accountId: input.accountId, // PostgreSQL reads a uuid in either case
      serviceId: request.serviceId,
      day,
      fiscalYear: fiscalYearOfDate(context.fiscalCalendar, input.plannedDate),
      plannedDate: input.plannedDate,
      notes: request.notes,
      exceptionReason: request.exceptionReason,
      personIds,
      keyAccountTiers: KEY_ACCOUNT_TIERS,
      freeServiceDepartments: FREE_SERVICE_DEPARTMENTS,
    };
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: equivalent, the general way runs the same checks and raises any other error again
    if (error instanceof DomainError) return null;
    throw error;
  }
}
