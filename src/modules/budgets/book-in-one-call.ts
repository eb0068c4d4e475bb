// The usual booking, one database call: when the request is a first attempt that passes every
// check and fits (or is filed as an exception, or the tier's policy is WARN), the database
// function books it whole (repository/book-in-one-call.ts). Anything else (a replay, a key in
// use, any refusal) it leaves untouched, and bookFreeService takes the general way, which
// answers it as before. The rules it is given are this code's: the manager rule, the key account
// tiers, the departments; the funds decision is held equal to rules.ts by a property test.
// Bookings on one budget are grouped (group commit): while a call for the budget is under way, the
// bookings that arrive for it wait and then go together as one call and one transaction, item by
// item in the order they came (shared/keyed-batches.ts); a booking on a budget with no call under
// way goes at once, alone. On a hot budget this takes its lock and the commit's flush once per
// group instead of once per booking.
import type { Database } from '../../db/knex';
import type { UseCaseContext } from '../../shared/context';
import { DomainError } from '../../shared/errors';
import { fiscalYearOfDate } from '../../shared/fiscal';
import { idempotencyIdentity } from '../../shared/idempotency';
import { isUuid } from '../../shared/ids';
import { KeyedBatches } from '../../shared/keyed-batches';
import { KEY_ACCOUNT_TIERS } from '../customers/rules';
import { FREE_SERVICE_DEPARTMENTS } from '../catalog/rules';
import { bookingManager } from './access';
import * as repository from './repository';
import type { Booking } from './repository';
import type { BookingAttempt } from './book';
import { validatePersonIds } from './validate';

export const BOOK_OPERATION = 'bookFreeService';

/**
 * At most this many bookings in one call: a group's transaction holds the budget lock for all of
 * them (about 0.1 ms each in PostgreSQL), and 32 is twice the bench's 16 clients.
 */
export const BOOKING_BATCH_MAX = 32;
/** Past this many bookings waiting on one budget, a booking goes alone and waits on the lock. */
export const BOOKINGS_WAITING_MAX = 1_000;

/** The booking, or null when the general way must answer (nothing was written). */
export async function bookInOneCall(context: UseCaseContext, what: BookingAttempt): Promise<Booking | null> {
  const call = oneCall(context, what);
  if (call === null) return null;
  // The budget book_in_one_call locks: the account's (a uuid in either case) for the fiscal year.
  const budgetKey = `${call.accountId.toLowerCase()} ${call.fiscalYear}`;
  return batchesOf(context.db).submit(budgetKey, call);
}

/** One set of groups per database (a process may hold several, as the tests do). */
const batchesByDatabase = new WeakMap<Database, KeyedBatches<repository.OneCallBooking, Booking | null>>();

function batchesOf(db: Database): KeyedBatches<repository.OneCallBooking, Booking | null> {
  let batches = batchesByDatabase.get(db);
  if (!batches) {
    batches = new KeyedBatches({
      batchMax: BOOKING_BATCH_MAX,
      waitingMax: BOOKINGS_WAITING_MAX,
      // A lone booking keeps the one-argument call; a group is the same function item by item.
      call: async (calls) =>
        calls.length === 1
          ? [await repository.bookInOneCall(db, calls[0]!)]
          : repository.bookBatchInOneCall(db, calls),
    });
    batchesByDatabase.set(db, batches);
  }
  return batches;
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
