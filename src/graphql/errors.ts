// GraphQL shapes of the domain errors: one interface every error implements and one object type
// per error class. Mutations list the classes they can return; the errors plugin turns a thrown
// DomainError into the matching union member.
import { builder } from './builder';
import {
  ConflictError,
  DomainError,
  ERROR_CODES,
  ForbiddenActionError,
  IdempotencyConflictError,
  IdempotencyInProgressError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../shared/errors';

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'Machine-readable reason a mutation was refused.',
  values: {
    VALIDATION_FAILED: { description: 'An input value is malformed or out of range; `field` names it.' },
    NOT_FOUND: { description: 'A referenced object does not exist or is not visible to the caller.' },
    CONFLICT: { description: 'The change clashes with the current state (duplicate, still in use).' },
    FORBIDDEN: { description: 'The caller may not act on this particular object.' },
    INVALID_TRANSITION: { description: 'The object is not in a state that allows this step.' },
    BUDGET_EXCEEDED: { description: 'The amount is larger than what remains of the budget.' },
    IDEMPOTENCY_CONFLICT: { description: 'The idempotency key was already used with different input.' },
    IDEMPOTENCY_IN_PROGRESS: {
      description: 'A request with the same idempotency key is still running: retry shortly for its outcome.',
    },
  } satisfies Record<(typeof ERROR_CODES)[number], { description: string }>,
});

export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  description: 'What every refusal carries: a code, a human message and the offending input field.',
  fields: (t) => ({
    code: t.field({
      type: ErrorCodeEnum,
      description: 'Machine-readable reason.',
      resolve: (error) => error.code,
    }),
    message: t.exposeString('message', { description: 'Human-readable explanation.' }),
    field: t.string({
      nullable: true,
      description: 'Dotted path of the input field at fault (for example "input.email"), when there is one.',
      resolve: (error) => error.field,
    }),
  }),
});

// One object type per error class; isTypeOf lets the errors plugin resolve the union member.
const errorTypes = [
  [ValidationError, 'ValidationError', 'An input value is malformed or out of range.'],
  [NotFoundError, 'NotFoundError', 'A referenced object does not exist or is not visible to the caller.'],
  [ConflictError, 'ConflictError', 'The change clashes with the current state.'],
  [ForbiddenActionError, 'ForbiddenError', 'The caller may not act on this particular object.'],
  [InvalidTransitionError, 'InvalidTransitionError', 'The object is not in a state that allows this step.'],
  [
    IdempotencyConflictError,
    'IdempotencyConflictError',
    'The idempotency key was used with different input.',
  ],
  [
    IdempotencyInProgressError,
    'IdempotencyInProgressError',
    'A request with the same idempotency key is still running; retry shortly.',
  ],
] as const;

export function registerErrorType(
  cls: abstract new (...args: never[]) => DomainError,
  name: string,
  description: string,
) {
  builder.objectType(cls as unknown as new () => DomainError, {
    name,
    description,
    interfaces: [ErrorInterface],
    isTypeOf: (value) => value instanceof cls,
  });
}

for (const [cls, name, description] of errorTypes) registerErrorType(cls, name, description);

/** The errors nearly every mutation can return. */
export const COMMON_MUTATION_ERRORS = [ValidationError, NotFoundError, ConflictError, ForbiddenActionError];

/** The description of every mutation's `input` argument: how a bad field is answered. */
export const INPUT_ARG_DESCRIPTION =
  'The change as a whole; a field the service refuses is answered with a ValidationError whose `field` is its path (input.<field>).';
