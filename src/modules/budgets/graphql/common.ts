// What every money mutation shares: the error union members (BudgetExceededError among them) and the
// input fields for the idempotency key and the deprecated decision id.
import { builder, type SchemaTypes } from '../../../graphql/builder';
import { COMMON_MUTATION_ERRORS, ErrorInterface } from '../../../graphql/errors';
import {
  BudgetExceededError,
  IdempotencyConflictError,
  IdempotencyInProgressError,
  InvalidTransitionError,
} from '../../../shared/errors';
import { IDEMPOTENCY_KEY_DESCRIPTION } from '../../../shared/idempotency';

builder.objectType(BudgetExceededError, {
  name: 'BudgetExceededError',
  description:
    'The amount does not fit in what remains of the budget; file it as an exception or choose less. `field` is input.amount when the caller gave the amount, null when it is a service’s price (a booking) or a requested transfer’s amount (its decision).',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof BudgetExceededError,
  fields: (t) => ({
    remainingAmount: t.field({
      type: 'Money',
      description: 'What remains of the budget now.',
      resolve: (e) => e.remainingAmount,
    }),
    requestedAmount: t.field({
      type: 'Money',
      description: 'What was asked for.',
      resolve: (e) => e.requestedAmount,
    }),
    currency: t.field({ type: 'Currency', description: 'Currency of both.', resolve: (e) => e.currency }),
  }),
});

export const MONEY_ERRORS = [
  BudgetExceededError,
  InvalidTransitionError,
  IdempotencyConflictError,
  IdempotencyInProgressError,
  ...COMMON_MUTATION_ERRORS,
];

export const IDEMPOTENCY_KEY = { description: IDEMPOTENCY_KEY_DESCRIPTION };

export const DEPRECATED_DECISION_ID = {
  required: false,
  description: 'The same id under its old name; give it or the named id, not both.',
} as const;

/** What an exception decision and a transfer decision both take beside the id they decide. */
export const decisionFields = (t: PothosSchemaTypes.InputFieldBuilder<SchemaTypes, 'InputObject'>) => ({
  approve: t.boolean({ description: 'true to approve, false to reject.' }),
  reason: t.string({
    required: false,
    description: 'Why (1–1000 characters), shown to who asked; optional.',
  }),
  idempotencyKey: t.string(IDEMPOTENCY_KEY),
});
