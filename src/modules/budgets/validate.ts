// Validation of what clients send to the budget use cases, apart from the use cases (as Lago
// keeps validate_service.rb): the limits by name, one function per input, each naming its field.
// Nothing here reads the database; what needs a row (the account, the service) is checked in the
// use case, inside its transaction.
import { addDays } from '../../shared/fiscal';
import { ValidationError } from '../../shared/errors';
import { requireId } from '../../shared/ids';
import { validateMoney, type Decimal } from '../../shared/money';

export const REASON_LENGTH_MAX = 1000;
export const NOTES_LENGTH_MAX = 2000;
export const BOOKING_PEOPLE_MAX = 20;
export const PLANNED_DAYS_AHEAD_MAX = 730;
/** Operating ratios (0.02 for 2%) carry at most this many decimal places. */
export const RATIO_SCALE_MAX = 6;

export function validateReasonText(reason: string, field: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > REASON_LENGTH_MAX)
    throw new ValidationError(field, `a reason of 1–${REASON_LENGTH_MAX} characters is required`);
  return trimmed;
}

export function validateRatio(ratio: Decimal, field: string): Decimal {
  if (!ratio.greaterThan(0) || ratio.greaterThan(1))
    throw new ValidationError(field, 'a ratio is greater than 0 and at most 1 (0.02 for 2%)');
  if (ratio.decimalPlaces() > RATIO_SCALE_MAX)
    throw new ValidationError(field, `a ratio has at most ${RATIO_SCALE_MAX} decimal places`);
  return ratio;
}

/** A percentage from 0 to 100 with at most two decimal places (10 for 10%). */
export function validatePercent(percent: Decimal, field: string): Decimal {
  if (percent.isNegative() || percent.greaterThan(100))
    throw new ValidationError(field, 'a percentage is from 0 to 100 (10 for 10%)');
  if (percent.decimalPlaces() > 2)
    throw new ValidationError(field, 'a percentage has at most 2 decimal places');
  return percent;
}

export type BookingRequest = {
  serviceId: string;
  notes: string;
  /** Kept only when an exception is requested, then required. */
  exceptionReason: string | null;
  /** Depends on today: the use case runs it for a first attempt only, so a replay still answers. */
  validatePlannedDate: () => void;
};

/** A booking's input as far as it can be checked without the database, on `day` (yyyy-mm-dd). */
export function validateBookingRequest(
  input: {
    serviceId: string;
    plannedDate: string;
    notes?: string | null;
    requestException?: boolean | null;
    exceptionReason?: string | null;
  },
  day: string,
  reservationLapseDays: number,
): BookingRequest {
  const serviceId = requireId(input.serviceId, 'input.serviceId');
  const notes = (input.notes ?? '').trim();
  if (notes.length > NOTES_LENGTH_MAX)
    throw new ValidationError('input.notes', `notes are longer than ${NOTES_LENGTH_MAX} characters`);
  const validatePlannedDate = () => {
    const earliest = addDays(day, -reservationLapseDays);
    const latest = addDays(day, PLANNED_DAYS_AHEAD_MAX);
    if (input.plannedDate < earliest || input.plannedDate > latest) {
      throw new ValidationError('input.plannedDate', `plannedDate must be between ${earliest} and ${latest}`);
    }
  };
  // Checked whenever given, though kept only when an exception is requested.
  const givenReason = input.exceptionReason
    ? validateReasonText(input.exceptionReason, 'input.exceptionReason')
    : null;
  const exceptionReason = input.requestException
    ? (givenReason ?? validateReasonText('', 'input.exceptionReason'))
    : null;
  return { serviceId, notes, exceptionReason, validatePlannedDate };
}

/** The unique person ids of a booking, at most BOOKING_PEOPLE_MAX, each field named by its index. */
export function validatePersonIds(ids: readonly string[]): string[] {
  const unique = [...new Set(ids.map((id, index) => requireId(id, `input.personIds.${index}`)))];
  if (unique.length > BOOKING_PEOPLE_MAX)
    throw new ValidationError('input.personIds', `at most ${BOOKING_PEOPLE_MAX} people per booking`);
  return unique;
}

export type BudgetSizing = {
  revenueTarget: Decimal | null;
  explicitAmount: Decimal | null;
  openingUsed: Decimal | null;
  givenRatio: Decimal | null;
};

/** A new budget is sized by a revenue target (× a ratio, given or the year's) or by an amount. */
export function validateBudgetSizing(input: {
  revenueTarget?: Decimal | null;
  operatingRatio?: Decimal | null;
  amount?: Decimal | null;
  openingUsed?: Decimal | null;
}): BudgetSizing {
  if (input.amount && input.revenueTarget)
    throw new ValidationError('input.revenueTarget', 'give a revenue target or an explicit amount, not both');
  if (!input.amount && !input.revenueTarget)
    throw new ValidationError(
      'input.revenueTarget',
      'a budget needs a revenue target (× ratio) or an explicit amount',
    );
  if (input.amount && input.operatingRatio)
    throw new ValidationError(
      'input.operatingRatio',
      'a ratio applies to a revenue target, not an explicit amount',
    );
  return {
    revenueTarget: input.revenueTarget
      ? validateMoney(input.revenueTarget, 'input.revenueTarget', { sign: 'POSITIVE' })
      : null,
    explicitAmount: input.amount ? validateMoney(input.amount, 'input.amount', { sign: 'POSITIVE' }) : null,
    openingUsed: input.openingUsed ? validateMoney(input.openingUsed, 'input.openingUsed') : null,
    givenRatio: input.operatingRatio ? validateRatio(input.operatingRatio, 'input.operatingRatio') : null,
  };
}
