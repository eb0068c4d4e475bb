// Booking a free expert service against a key account's operating budget: the settlement price
// in force today is reserved (BOOKED). Over the remaining budget a booking is refused, stating what
// remains, unless filed as an exception for a SALES_LEADER (PENDING_APPROVAL) or the tier's policy
// is WARN (booked, flagged). The budget row is locked, so concurrent bookings never overspend.
// The checks run in the order a client fixes them: the account, the service and its price, the
// people, then the budget under its lock. A first attempt that books is written by one database
// call (book-in-one-call.ts); this general way answers the rest: replays, keys in use, refusals.
import crypto from 'node:crypto';
import type { Transaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { BudgetExceededError, NotFoundError, ValidationError } from '../../shared/errors';
import { fiscalYearOfDate, today } from '../../shared/fiscal';
import { idempotentTransaction } from '../../shared/idempotency';
import type { Decimal } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { loadReadableAccount } from '../customers/access';
import type { Customer } from '../customers/repository';
import { isKeyAccount } from '../customers/rules';
import { findPriceOn, findServicesByIds } from '../catalog/repository';
import { FREE_SERVICE_DEPARTMENTS } from '../catalog/rules';
import { findPeopleByIds } from '../teams/repository';
import * as repository from './repository';
import type { Booking, Budget } from './repository';
import { fundsDecision, type FundsDecision } from './rules';
import { validateBookingRequest, validatePersonIds, type BookingRequest } from './validate';
import { bookingReplay, requireCsmOrAdmin } from './access';
import { BOOK_OPERATION, bookInOneCall } from './book-in-one-call';

export type BookInput = {
  accountId: string;
  serviceId: string;
  plannedDate: string;
  personIds?: readonly string[] | null;
  notes?: string | null;
  requestException?: boolean | null;
  exceptionReason?: string | null;
  idempotencyKey: string;
};

export async function bookFreeService(context: UseCaseContext, input: BookInput): Promise<Booking> {
  const day = today(context);
  const request = validateBookingRequest(input, day, context.config.reservationLapseDays);
  // The booking's id is chosen now, so the idempotency key is stored with it up front.
  const bookingId = crypto.randomUUID();
  const attempt = { bookingId, input, request, day };
  return (await bookInOneCall(context, attempt)) ?? bookTheGeneralWay(context, attempt);
}

/** One booking request as both ways take it: the id chosen for it, the input, checked, and today. */
export type BookingAttempt = { bookingId: string; input: BookInput; request: BookingRequest; day: string };

/** Every booking request, replays and refusals included, step by step in one transaction. */
export async function bookTheGeneralWay(
  context: UseCaseContext,
  { bookingId, input, request, day }: BookingAttempt,
): Promise<Booking> {
  return idempotentTransaction(
    context,
    { operation: BOOK_OPERATION, input, validate: request.validatePlannedDate },
    { ...bookingReplay(context, 'input.accountId'), preassignedId: bookingId },
    async (trx) => {
      const customer = await loadReadableAccount(context, trx, input.accountId, 'input.accountId');
      requireCsmOrAdmin(context, customer);
      requireKeyAccount(customer);
      const settlementPrice = await settlementPriceOf(trx, request.serviceId, day);
      const personIds = await checkPeople(trx, input.personIds ?? []);
      const { budget, decision } = await lockBudgetAndDecide(context, trx, customer, input, settlementPrice);
      if (decision === 'NEEDS_EXCEPTION' && !request.exceptionReason) {
        throw new BudgetExceededError(
          budget.totals.remaining,
          settlementPrice.amount,
          budget.currency,
          null, // no input field is at fault: the price is the service's (file an exception instead)
        );
      }
      return writeBooking(context, trx, {
        bookingId,
        input,
        request,
        customer,
        budget,
        decision,
        settlementPrice: settlementPrice.amount,
        personIds,
      });
    },
  );
}

function requireKeyAccount(customer: Customer): void {
  if (!isKeyAccount(customer.tier)) {
    throw new ValidationError(
      'input.accountId',
      `free expert services are for key accounts (A, C); ${customer.name} is tier ${customer.tier}`,
    );
  }
}

type SettlementPrice = { amount: Decimal; currency: string };

/** The settlement price in force on `day` of an active free service. */
async function settlementPriceOf(trx: Transaction, serviceId: string, day: string): Promise<SettlementPrice> {
  const [service] = await findServicesByIds(trx, [serviceId]);
  if (!service) throw new NotFoundError('ExpertService', serviceId, 'input.serviceId');
  if (service.kind !== 'FREE')
    throw new ValidationError('input.serviceId', `${service.name} is a paid service: order it instead`);
  if (!service.active) throw new ValidationError('input.serviceId', `${service.name} is retired`);
  const price = await findPriceOn(trx, serviceId, day);
  if (!price?.settlementPrice)
    throw new ValidationError(
      'input.serviceId',
      `${service.name} has no settlement price in force on ${day}`,
    );
  return { amount: price.settlementPrice, currency: price.currency };
}

/** Active people of the departments that deliver free services, at most BOOKING_PEOPLE_MAX. */
async function checkPeople(trx: Transaction, ids: readonly string[]): Promise<string[]> {
  const unique = validatePersonIds(ids);
  // Stryker disable next-line ConditionalExpression: equivalent, only saves a query (no people is no check).
  if (unique.length === 0) return unique;
  const people = await findPeopleByIds(trx, unique);
  for (const [index, id] of unique.entries()) {
    const person = people.find((p) => p.id === id);
    if (!person) throw new NotFoundError('Person', id, `input.personIds.${index}`);
    if (!person.active) throw new ValidationError(`input.personIds.${index}`, `${person.name} is inactive`);
    if (!(FREE_SERVICE_DEPARTMENTS as readonly string[]).includes(person.department)) {
      throw new ValidationError(
        `input.personIds.${index}`,
        `free services are delivered by service, solutions or pre-sales people; ${person.name} is in ${person.department}`,
      );
    }
  }
  return unique;
}

/** Locks the budget of the planned date's fiscal year and decides whether the price fits. */
async function lockBudgetAndDecide(
  context: UseCaseContext,
  trx: Transaction,
  customer: Customer,
  input: Pick<BookInput, 'plannedDate'>,
  price: SettlementPrice,
): Promise<{ budget: Budget; decision: FundsDecision }> {
  const fiscalYear = fiscalYearOfDate(context.fiscalCalendar, input.plannedDate);
  // Read before the budget lock is taken: it shortens the time the lock is held.
  const policy = await repository.findOverrunPolicy(trx, customer.tier);
  // The lock that makes concurrent bookings on one budget take turns.
  const budget = await repository.findBudgetFor(trx, customer.id, fiscalYear, { locked: true });
  if (!budget)
    throw new ValidationError(
      'input.plannedDate',
      `${customer.name} has no operating budget for FY${fiscalYear}`,
    );
  if (budget.closedAt)
    throw new ValidationError(
      'input.plannedDate',
      `the FY${fiscalYear} budget of ${customer.name} is closed`,
    );
  if (price.currency !== budget.currency) {
    throw new ValidationError(
      'input.serviceId',
      `the price is in ${price.currency} but the budget is in ${budget.currency}`,
    );
  }
  return { budget, decision: fundsDecision(budget.totals.remaining, price.amount, policy) };
}

/** The booking row, its people, the RESERVE entry (unless pending or free of charge) and the audit. */
async function writeBooking(
  context: UseCaseContext,
  trx: Transaction,
  what: {
    bookingId: string;
    input: BookInput;
    request: BookingRequest;
    customer: Customer;
    budget: Budget;
    decision: FundsDecision;
    settlementPrice: Decimal;
    personIds: string[];
  },
): Promise<Booking> {
  const { customer, budget, decision, settlementPrice } = what;
  const pending = decision === 'NEEDS_EXCEPTION';
  const booking = await repository.insertBooking(trx, {
    id: what.bookingId,
    accountId: customer.id,
    budgetId: budget.id,
    serviceId: what.request.serviceId,
    requestedBy: context.actor!.userId,
    csmPersonId: customer.csmPersonId,
    plannedDate: what.input.plannedDate,
    state: pending ? 'PENDING_APPROVAL' : 'BOOKED',
    settlementPrice,
    currency: budget.currency,
    notes: what.request.notes,
    exceptionReason: what.request.exceptionReason,
    overrun: decision === 'OVERRUN_FLAGGED',
  });
  await repository.insertBookingPeople(trx, booking.id, customer.id, what.personIds);
  // A zero price reserves nothing (a ledger entry always moves money).
  if (!pending && !settlementPrice.isZero()) {
    await repository.postEntries(
      trx,
      budget,
      [{ kind: 'RESERVE', amount: settlementPrice, bookingId: booking.id }],
      context.actor!.userId,
    );
  }
  await recordAudit(trx, context, {
    action: pending ? 'booking.requestException' : 'booking.book',
    entityType: 'Booking',
    entityId: booking.id,
    accountId: customer.id,
    after: { ...booking, personIds: what.personIds },
  });
  return booking;
}
