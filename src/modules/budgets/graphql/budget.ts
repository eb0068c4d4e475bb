// A key account's operating budget: its buckets, ledger and totals at an instant; reading budgets;
// creating and adjusting them (FINANCE).
import { accountScoped, builder, type SchemaTypes } from '../../../graphql/builder';
import { INPUT_ARG_DESCRIPTION } from '../../../graphql/errors';
import { CustomerRef } from '../../customers/graphql';
import * as loaders from '../loaders';
import { type Totals } from '../rules';
import * as service from '../service';
import type { Budget } from '../service';
import { validateFiscalYear } from '../../../shared/fiscal';
import { MONEY_ERRORS, IDEMPOTENCY_KEY } from './common';
import { LedgerEntryRef } from './ledger-entry';

/** The four buckets, the same fields on BudgetTotals and on Budget. */
export function bucketFields<Parent>(
  t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, Parent>,
  totalsOf: (parent: Parent) => Totals,
  remainingDescription: string,
) {
  return {
    allocatedAmount: t.field({
      type: 'Money',
      description: 'Allocation plus adjustments and transfers.',
      resolve: (parent) => totalsOf(parent).allocated,
    }),
    reservedAmount: t.field({
      type: 'Money',
      description: 'Reserved by open bookings.',
      resolve: (parent) => totalsOf(parent).reserved,
    }),
    spentAmount: t.field({
      type: 'Money',
      description: 'Spent (opening use plus delivered costs).',
      resolve: (parent) => totalsOf(parent).spent,
    }),
    remainingAmount: t.field({
      type: 'Money',
      description: remainingDescription,
      resolve: (parent) => totalsOf(parent).remaining,
    }),
  };
}

export type TotalsView = Totals & { currency: string; accountId: string };

export const TotalsRef = builder.objectRef<TotalsView>('BudgetTotals').implement({
  ...accountScoped<TotalsView>((x) => x.accountId),
  description: 'A budget’s buckets: remaining = allocated − reserved − spent.',
  fields: (t) => ({
    ...bucketFields(t, (x) => x, 'What can still be booked.'),
    currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (x) => x.currency }),
  }),
});

export const BudgetRef = builder.loadableObject('Budget', {
  ...accountScoped<Budget>((b) => b.accountId),
  description: 'A key account’s operating budget for one fiscal year: pays for free expert services.',
  load: (ids: string[], context) => loaders.budgetsByIds(context, ids),
  sort: (b) => b.id,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    account: t.field({ type: CustomerRef, description: 'The key account.', resolve: (b) => b.accountId }),
    fiscalYear: t.exposeInt('fiscalYear', { description: 'Fiscal year.' }),
    currency: t.field({
      type: 'Currency',
      description: 'Currency of every amount.',
      resolve: (b) => b.currency,
    }),
    revenueTarget: t.field({
      type: 'Money',
      nullable: true,
      description: 'Revenue target, when the budget is target × ratio.',
      resolve: (b) => b.revenueTarget,
    }),
    operatingRatio: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'Operating ratio used (0.02 = 2%).',
      resolve: (b) => b.operatingRatio,
    }),
    ...bucketFields(t, (b) => b.totals, 'allocated − reserved − spent.'),
    asOf: t.field({
      type: TotalsRef,
      description: 'The totals as they stood at an instant, summed from the ledger.',
      args: { at: t.arg({ type: 'DateTime', description: 'The instant.' }) },
      resolve: (b, args, context) => service.budgetTotalsAt(context, b, args.at),
    }),
    ledger: t.connection(
      {
        type: LedgerEntryRef,
        description: 'Ledger entries, oldest first.',
        resolve: (b, args, context) => service.ledgerOf(context, b.id, args),
      },
      { description: 'A page of ledger entries.' },
      { description: 'A ledger entry and its cursor.' },
    ),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the budget was created.',
      resolve: (b) => b.createdAt,
    }),
    closedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When FINANCE closed it (null while open). A closed budget refuses every money mutation.',
      resolve: (b) => b.closedAt,
    }),
    closedByUserId: t.exposeID('closedBy', { nullable: true, description: 'Who closed it.' }),
  }),
});

export const CreateBudgetInput = builder.inputType('CreateBudgetInput', {
  description:
    'A key account’s operating budget for a fiscal year: revenue target × ratio, or an explicit amount.',
  fields: (t) => ({
    accountId: t.id({ description: 'Key account (A or C).' }),
    fiscalYear: t.int({ description: 'Fiscal year.' }),
    revenueTarget: t.field({
      type: 'Money',
      required: false,
      description: 'Revenue target; the budget is target × ratio.',
    }),
    operatingRatio: t.field({
      type: 'Decimal',
      required: false,
      description: 'Ratio for this account (overrides the year’s default).',
    }),
    amount: t.field({
      type: 'Money',
      required: false,
      description: 'An explicit amount instead of target × ratio.',
    }),
    openingUsed: t.field({
      type: 'Money',
      required: false,
      description: 'Already used this fiscal year before the budget was recorded.',
    }),
    currency: t.field({
      type: 'Currency',
      required: false,
      description: 'Currency; the default when omitted.',
    }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

export const AdjustBudgetInput = builder.inputType('AdjustBudgetInput', {
  description: 'A signed change of a budget’s allocation, with a reason.',
  fields: (t) => ({
    budgetId: t.id({ description: 'Budget.' }),
    amount: t.field({
      type: 'Money',
      description: 'Positive to add, negative to reduce (not below what is reserved and spent).',
    }),
    reason: t.string({ description: 'Why.' }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

builder.queryFields((t) => ({
  budget: t.field({
    type: BudgetRef,
    description: 'A budget with its totals and ledger. A CSM sees their own accounts’ budgets.',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ description: 'Budget id.' }) },
    resolve: (_root, args, context) => service.readBudget(context, String(args.id)),
  }),
  budgetFor: t.field({
    type: BudgetRef,
    nullable: true,
    description: 'An account’s budget for a fiscal year (the current one when omitted).',
    authScopes: { authenticated: true },
    args: {
      accountId: t.arg.id({ description: 'Account.' }),
      fiscalYear: t.arg.int({ required: false, description: 'Fiscal year.' }),
    },
    resolve: (_root, args, context) =>
      service.budgetFor(
        context,
        String(args.accountId),
        args.fiscalYear == null ? null : validateFiscalYear(args.fiscalYear, 'fiscalYear'),
      ),
  }),
  budgets: t.connection(
    {
      type: BudgetRef,
      description:
        'Budgets by account name, then newest fiscal year first, a page at a time. For a CSM: the budgets of their own accounts.',
      authScopes: { authenticated: true },
      args: { fiscalYear: t.arg.int({ required: false, description: 'Only this fiscal year.' }) },
      resolve: (_root, args, context) =>
        service.listBudgets(
          context,
          args,
          args.fiscalYear == null ? args.fiscalYear : validateFiscalYear(args.fiscalYear, 'fiscalYear'),
        ),
    },
    { description: 'A page of budgets.' },
    { description: 'A budget and its cursor.' },
  ),
}));

builder.mutationFields((t) => ({
  createBudget: t.field({
    type: BudgetRef,
    description: 'Creates a key account’s operating budget for a fiscal year. FINANCE only.',
    authScopes: { finance: true },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: CreateBudgetInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.createBudget(context, {
        ...input,
        accountId: String(input.accountId),
        currency: input.currency ?? context.config.defaultCurrency,
      }),
  }),
  adjustBudget: t.field({
    type: BudgetRef,
    description: 'Adjusts a budget’s allocation with a reason (a new ledger entry). FINANCE only.',
    authScopes: { finance: true },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: AdjustBudgetInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.adjustBudget(context, { ...input, budgetId: String(input.budgetId) }),
  }),
}));
