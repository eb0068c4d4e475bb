// Closing a budget at the end of its fiscal year, reopening it, and each key-account tier's
// carry-over policy (FINANCE).
import { builder } from '../../../graphql/builder';
import { COMMON_MUTATION_ERRORS, ErrorInterface, INPUT_ARG_DESCRIPTION } from '../../../graphql/errors';
import { TierEnum } from '../../customers/graphql';
import type { Tier } from '../../customers/rules';
import type { Decimal } from '../../../shared/money';
import * as service from '../service';
import type { CloseBlocker } from '../service';
import { MONEY_ERRORS, IDEMPOTENCY_KEY } from './common';
import { BudgetRef } from './budget';

const CloseBlockerRef = builder.objectRef<CloseBlocker>('BudgetCloseBlocker').implement({
  description: 'Something that must be resolved before the budget can be closed.',
  fields: (t) => ({
    budget: t.field({ type: BudgetRef, description: 'The budget it blocks.', resolve: (b) => b.budgetId }),
    resource: t.exposeString('resource', { description: 'OPEN_BOOKINGS, PENDING_TRANSFERS or NEXT_BUDGET.' }),
    message: t.exposeString('message', { description: 'What to do about it.' }),
  }),
});

builder.objectType(service.BudgetCloseBlockedError, {
  name: 'BudgetCloseBlockedError',
  description: 'The budget still has open bookings, requested transfers, or nowhere to carry over to.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof service.BudgetCloseBlockedError,
  fields: (t) => ({
    blockers: t.field({
      type: [CloseBlockerRef],
      description: 'What blocks the close.',
      resolve: (e) => e.blockers,
    }),
  }),
});

const CarryOverPolicyRef = builder
  .objectRef<{ tier: Tier; maxPercent: Decimal }>('CarryOverPolicy')
  .implement({
    description: 'How much of what a closing budget did not use moves to the next fiscal year.',
    fields: (t) => ({
      tier: t.field({ type: TierEnum, description: 'A or C.', resolve: (p) => p.tier }),
      maxPercent: t.field({
        type: 'Decimal',
        description: 'Up to this percentage of the allocation (10 = 10%; 0 = nothing carried, all lapses).',
        resolve: (p) => p.maxPercent,
      }),
    }),
  });

const FiscalYearClosingRef = builder.objectRef<service.FiscalYearClosing>('FiscalYearClosing').implement({
  description: 'A fiscal year closed: its budgets that are closed now.',
  fields: (t) => ({
    fiscalYear: t.exposeInt('fiscalYear', { description: 'Fiscal year.' }),
    closedBudgets: t.field({
      type: [BudgetRef],
      description: 'The year’s closed budgets, by id.',
      resolve: (c) => c.closedBudgetIds,
    }),
  }),
});

const CloseFiscalYearInput = builder.inputType('CloseFiscalYearInput', {
  description: 'The fiscal year whose open budgets to close.',
  fields: (t) => ({
    fiscalYear: t.int({ description: 'Fiscal year.' }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const CloseBudgetInput = builder.inputType('CloseBudgetInput', {
  description: 'The budget to close.',
  fields: (t) => ({
    budgetId: t.id({ description: 'Budget.' }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const ReopenBudgetInput = builder.inputType('ReopenBudgetInput', {
  description: 'A closed budget to open again, and why.',
  fields: (t) => ({
    budgetId: t.id({ description: 'Budget.' }),
    reason: t.string({ description: 'Why (1–1000 characters), recorded in the audit.' }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

builder.queryFields((t) => ({
  carryOverPolicy: t.field({
    type: 'Decimal',
    description:
      'Up to what percentage of its allocation a closing budget of a key-account tier carries over (0 unless set).',
    authScopes: { authenticated: true },
    args: { tier: t.arg({ type: TierEnum, description: 'A or C.' }) },
    resolve: (_root, args, context) => service.carryOverPolicyOf(context, args.tier),
  }),
}));

builder.mutationFields((t) => ({
  closeBudget: t.field({
    type: BudgetRef,
    description:
      'Closes a budget: once nothing is open on it, what it did not use lapses (LAPSE) or, up to the tier’s carry-over policy, moves to the account’s next-year budget (CARRY_OUT, CARRY_IN). FINANCE only.',
    authScopes: { finance: true },
    errors: { types: [service.BudgetCloseBlockedError, ...MONEY_ERRORS] },
    args: { input: t.arg({ type: CloseBudgetInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.closeBudget(context, { ...input, budgetId: String(input.budgetId) }),
  }),
  closeFiscalYear: t.field({
    type: FiscalYearClosingRef,
    description:
      'Closes every open budget of a fiscal year as closeBudget does, all or none: while any is blocked, none closes and every blocker is listed. FINANCE only.',
    authScopes: { finance: true },
    errors: { types: [service.BudgetCloseBlockedError, ...MONEY_ERRORS] },
    args: { input: t.arg({ type: CloseFiscalYearInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) => service.closeFiscalYear(context, input),
  }),
  reopenBudget: t.field({
    type: BudgetRef,
    description:
      'Opens a closed budget again, with a reason; what the close moved stays where it went. FINANCE only.',
    authScopes: { finance: true },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: ReopenBudgetInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.reopenBudget(context, { ...input, budgetId: String(input.budgetId) }),
  }),
  setCarryOverPolicy: t.field({
    type: CarryOverPolicyRef,
    description:
      'Sets up to what percentage of its allocation a key-account tier’s closing budget carries over. FINANCE only.',
    authScopes: { finance: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: {
      tier: t.arg({ type: TierEnum, description: 'A or C.' }),
      maxPercent: t.arg({
        type: 'Decimal',
        description: 'From 0 to 100, at most 2 decimal places (10 = 10%).',
      }),
    },
    resolve: (_root, args, context) => service.setCarryOverPolicy(context, args),
  }),
}));
