import type { Decimal } from './money';

// Domain errors are values with a stable machine-readable code. Services throw them; the GraphQL
// layer lists them per mutation (Pothos errors plugin) so clients get a typed union member
// instead of a top-level error. Anything that is not a DomainError is unexpected and masked.

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'INVALID_TRANSITION',
  'BUDGET_EXCEEDED',
  'IDEMPOTENCY_CONFLICT',
  'IDEMPOTENCY_IN_PROGRESS',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  /** The input field the error is about, as a dotted path from the mutation's arguments. */
  readonly field: string | null;
  constructor(message: string, field: string | null = null) {
    super(message);
    this.name = new.target.name;
    this.field = field;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED' as const;
  constructor(field: string, message: string) {
    super(message, field);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND' as const;
  constructor(
    readonly entityType: string,
    readonly entityId: string,
    field: string | null = null,
  ) {
    super(`${entityType} ${entityId} does not exist or is not visible to you`, field);
  }
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT' as const;
}

/** A domain-level refusal (for example a CSM acting on an account they do not serve). */
export class ForbiddenActionError extends DomainError {
  readonly code = 'FORBIDDEN' as const;
}

export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION' as const;
  constructor(
    readonly entityType: string,
    readonly fromState: string,
    readonly toState: string,
  ) {
    super(`${entityType} cannot go from ${fromState} to ${toState}`);
  }
}

export class IdempotencyConflictError extends DomainError {
  readonly code = 'IDEMPOTENCY_CONFLICT' as const;
  constructor(idempotencyKey: string) {
    super(
      `Idempotency key ${idempotencyKey} was already used with different input; use a new key for a new request`,
      'input.idempotencyKey',
    );
  }
}

/** The same key is being executed by another request right now: retry shortly for its outcome. */
export class IdempotencyInProgressError extends DomainError {
  readonly code = 'IDEMPOTENCY_IN_PROGRESS' as const;
  constructor() {
    super(
      'A request with this idempotency key is still being processed; retry in a moment to get its outcome',
      'input.idempotencyKey',
    );
  }
}

/** An amount larger than what remains of a budget; says what remains. */
export class BudgetExceededError extends DomainError {
  readonly code = 'BUDGET_EXCEEDED' as const;
  constructor(
    readonly remainingAmount: Decimal,
    readonly requestedAmount: Decimal,
    readonly currency: string,
    /** The amount given in the input (input.amount); null when the amount is a price or a request's. */
    field: string | null,
  ) {
    super(
      `the budget has ${remainingAmount.toFixed(2)} ${currency} remaining; ${requestedAmount.toFixed(2)} ${currency} does not fit`,
      field,
    );
  }
}

/** Refuses an update that names nothing to change (every value undefined), naming `input`. */
export function requireSomeChange(changes: Record<string, unknown>, field = 'input'): void {
  if (Object.values(changes).every((value) => value === undefined))
    throw new ValidationError(
      field,
      `nothing to change: give at least one of ${Object.keys(changes).join(', ')}`,
    );
}
