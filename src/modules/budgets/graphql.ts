// GraphQL for operating budgets, the ledger, bookings and transfers. Every money-moving mutation
// takes an idempotencyKey; its errors are typed union members.
import { accountScoped, builder } from '../../graphql/builder';
import { COMMON_MUTATION_ERRORS, ErrorInterface, INPUT_ARG_DESCRIPTION } from '../../graphql/errors';
import {
  BudgetExceededError,
  IdempotencyConflictError,
  IdempotencyInProgressError,
  InvalidTransitionError,
} from '../../shared/errors';
import { isNumberKey, keysetConnection } from '../../shared/pagination';
import { CustomerRef, TierEnum } from '../customers/graphql';
import { ExpertServiceRef } from '../catalog/graphql';
import { PersonRef } from '../teams/graphql';
import * as bookings from './service';
import * as repository from './repository';
import type { Booking, Budget, LedgerEntry, Transfer } from './repository';
import { BOOKING_STATES, ENTRY_KINDS, TRANSFER_STATES, type Totals } from './rules';
import * as service from './service';
import * as transfers from './service';
import { optionalId, renamedId } from '../../shared/ids';
import { IDEMPOTENCY_KEY_DESCRIPTION } from '../../shared/idempotency';
import type { Decimal } from '../../shared/money';
import { validateFiscalYear } from '../../shared/fiscal';

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

export const EntryKindEnum = builder.enumType('LedgerEntryKind', {
  description: 'What a ledger entry does to a budget.',
  values: {
    ALLOCATION: { description: 'The budget amount (revenue target × ratio, or explicit): allocated +.' },
    OPENING: { description: 'Already used this fiscal year before it was recorded here: spent +.' },
    RESERVE: { description: 'A booking reserves its settlement price: reserved +.' },
    RELEASE: { description: 'A reservation is released (delivered, cancelled, expired): reserved −.' },
    SPEND: { description: 'The actual cost of a delivered booking: spent +.' },
    ADJUSTMENT: { description: 'A change of the allocation by FINANCE, with a reason: allocated ±.' },
    TRANSFER_IN: { description: 'Received from another budget: allocated +.' },
    TRANSFER_OUT: { description: 'Given to another budget: allocated −.' },
  } satisfies Record<(typeof ENTRY_KINDS)[number], { description: string }>,
});

const TransferStateEnum = builder.enumType('BudgetTransferState', {
  description: 'Where a budget transfer is in its life.',
  values: {
    REQUESTED: { description: 'Asked for; waiting for a SALES_LEADER.' },
    APPROVED: { description: 'Approved: the amount moved (TRANSFER_OUT and TRANSFER_IN posted).' },
    REJECTED: { description: 'Rejected: nothing moved.' },
  } satisfies Record<(typeof TRANSFER_STATES)[number], { description: string }>,
});

const BookingStateEnum = builder.enumType('BookingState', {
  description: 'Where a free-service booking is in its life.',
  values: {
    PENDING_APPROVAL: {
      description: 'Over budget: waiting for a SALES_LEADER to approve the exception (nothing reserved yet).',
    },
    BOOKED: { description: 'The settlement price is reserved.' },
    DELIVERED: { description: 'Delivered: the actual cost is spent, the reservation released.' },
    CANCELLED: { description: 'Cancelled: the reservation released.' },
    EXPIRED: { description: 'Not delivered in time after its planned date: the reservation released.' },
    REJECTED: { description: 'The exception was rejected.' },
  } satisfies Record<(typeof BOOKING_STATES)[number], { description: string }>,
});

const OverrunPolicyEnum = builder.enumType('OverrunPolicy', {
  description: 'What happens when a booking is larger than the remaining budget.',
  values: {
    STOP: { description: 'Refused unless filed as an exception that a SALES_LEADER approves (the default).' },
    WARN: { description: 'Allowed and flagged as an overrun.' },
  },
});

const OperatingRatioRef = builder
  .objectRef<{ fiscalYear: number; ratio: Decimal }>('OperatingRatio')
  .implement({
    description: 'The default operating ratio of a fiscal year: budget = revenue target × ratio.',
    fields: (t) => ({
      fiscalYear: t.exposeInt('fiscalYear', { description: 'Fiscal year.' }),
      ratio: t.field({ type: 'Decimal', description: 'Ratio (0.02 = 2%).', resolve: (r) => r.ratio }),
    }),
  });

const OverrunSettingRef = builder
  .objectRef<{ tier: 'A' | 'B' | 'C' | 'D' | 'E'; policy: 'STOP' | 'WARN' }>('OverrunPolicySetting')
  .implement({
    description: 'The overrun policy of a key-account tier.',
    fields: (t) => ({
      tier: t.field({ type: TierEnum, description: 'A or C.', resolve: (r) => r.tier }),
      policy: t.field({ type: OverrunPolicyEnum, description: 'STOP or WARN.', resolve: (r) => r.policy }),
    }),
  });

const TotalsRef = builder
  .objectRef<Totals & { currency: string; accountId: string }>('BudgetTotals')
  .implement({
    ...accountScoped<Totals & { currency: string; accountId: string }>((x) => x.accountId),
    description: 'A budget’s buckets: remaining = allocated − reserved − spent.',
    fields: (t) => ({
      allocatedAmount: t.field({
        type: 'Money',
        description: 'Allocation plus adjustments and transfers.',
        resolve: (x) => x.allocated,
      }),
      reservedAmount: t.field({
        type: 'Money',
        description: 'Reserved by open bookings.',
        resolve: (x) => x.reserved,
      }),
      spentAmount: t.field({
        type: 'Money',
        description: 'Spent (opening use plus delivered costs).',
        resolve: (x) => x.spent,
      }),
      remainingAmount: t.field({
        type: 'Money',
        description: 'What can still be booked.',
        resolve: (x) => x.remaining,
      }),
      currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (x) => x.currency }),
    }),
  });

const LedgerEntryRef = builder.objectRef<LedgerEntry>('LedgerEntry').implement({
  ...accountScoped<LedgerEntry>((e) => e.accountId),
  description: 'One append-only ledger entry. Corrections are new entries; nothing is edited.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Sequence number.' }),
    kind: t.field({ type: EntryKindEnum, description: 'What it does.', resolve: (e) => e.kind }),
    amount: t.field({
      type: 'Money',
      description: 'Amount moved (signed for adjustments).',
      resolve: (e) => e.amount,
    }),
    allocatedDelta: t.field({
      type: 'Money',
      description: 'Change to allocated.',
      resolve: (e) => e.allocatedDelta,
    }),
    reservedDelta: t.field({
      type: 'Money',
      description: 'Change to reserved.',
      resolve: (e) => e.reservedDelta,
    }),
    spentDelta: t.field({ type: 'Money', description: 'Change to spent.', resolve: (e) => e.spentDelta }),
    currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (e) => e.currency }),
    bookingId: t.exposeID('bookingId', { nullable: true, description: 'Booking it belongs to.' }),
    transferId: t.exposeID('transferId', { nullable: true, description: 'Transfer it belongs to.' }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why.' }),
    actorUserId: t.exposeID('actorUserId', {
      nullable: true,
      description: 'Who (null for the expiry sweep).',
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was posted.', resolve: (e) => e.createdAt }),
  }),
});

export const BudgetRef = builder.loadableObject('Budget', {
  ...accountScoped<Budget>((b) => b.accountId),
  description: 'A key account’s operating budget for one fiscal year: pays for free expert services.',
  load: (ids: string[], context) => repository.findBudgetsByIds(context.db, ids),
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
    allocatedAmount: t.field({
      type: 'Money',
      description: 'Allocation plus adjustments and transfers.',
      resolve: (b) => b.totals.allocated,
    }),
    reservedAmount: t.field({
      type: 'Money',
      description: 'Reserved by open bookings.',
      resolve: (b) => b.totals.reserved,
    }),
    spentAmount: t.field({
      type: 'Money',
      description: 'Spent (opening use plus delivered costs).',
      resolve: (b) => b.totals.spent,
    }),
    remainingAmount: t.field({
      type: 'Money',
      description: 'allocated − reserved − spent.',
      resolve: (b) => b.totals.remaining,
    }),
    asOf: t.field({
      type: TotalsRef,
      description: 'The totals as they stood at an instant, summed from the ledger.',
      args: { at: t.arg({ type: 'DateTime', description: 'The instant.' }) },
      resolve: async (b, args, context) => ({
        ...(await repository.ledgerTotals(context.db, b.id, args.at)),
        currency: b.currency,
        accountId: b.accountId,
      }),
    }),
    ledger: t.connection(
      {
        type: LedgerEntryRef,
        description: 'Ledger entries, oldest first.',
        resolve: (b, args, context) =>
          keysetConnection(
            args,
            { of: (e: LedgerEntry) => Number(e.id), is: isNumberKey },
            (page) => repository.listEntries(context.db, b.id, page),
            () => repository.countEntries(context.db, b.id),
          ),
      },
      { description: 'A page of ledger entries.' },
      { description: 'A ledger entry and its cursor.' },
    ),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the budget was created.',
      resolve: (b) => b.createdAt,
    }),
  }),
});

export const BookingRef = builder.loadableObject('Booking', {
  ...accountScoped<Booking>((b) => b.accountId),
  description: 'A free expert service booked for a key account against its operating budget.',
  load: (ids: string[], context) => repository.findBookingsByIds(context.db, ids),
  sort: (b) => b.id,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    account: t.field({ type: CustomerRef, description: 'The account served.', resolve: (b) => b.accountId }),
    budget: t.field({ type: BudgetRef, description: 'The budget charged.', resolve: (b) => b.budgetId }),
    service: t.field({
      type: ExpertServiceRef,
      description: 'The free service.',
      resolve: (b) => b.serviceId,
    }),
    state: t.field({
      type: BookingStateEnum,
      description: 'Where it is in its life.',
      resolve: (b) => b.state,
    }),
    plannedDate: t.field({ type: 'Date', description: 'When it is planned.', resolve: (b) => b.plannedDate }),
    settlementPrice: t.field({
      type: 'Money',
      description: 'Settlement price in force when booked (what is reserved).',
      resolve: (b) => b.settlementPrice,
    }),
    actualCost: t.field({
      type: 'Money',
      nullable: true,
      description: 'Actual cost posted on delivery.',
      resolve: (b) => b.actualCost,
    }),
    currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (b) => b.currency }),
    requestedByUserId: t.exposeID('requestedBy', { description: 'The user who booked it.' }),
    csm: t.field({
      type: PersonRef,
      nullable: true,
      description: 'The account’s CSM when booked.',
      resolve: (b) => b.csmPersonId,
    }),
    people: t.loadableGroup({
      type: builder.objectRef<{ bookingId: string; personId: string }>('BookingPerson').implement({
        description: 'Someone delivering a booking.',
        fields: (p) => ({
          person: p.field({ type: PersonRef, description: 'The person.', resolve: (row) => row.personId }),
        }),
      }),
      description: 'People delivering it.',
      load: (ids: string[], context) => repository.findBookingPeople(context.db, ids),
      group: (row) => row.bookingId,
      resolve: (b) => b.id,
    }),
    notes: t.exposeString('notes', { description: 'Notes.' }),
    exceptionReason: t.exposeString('exceptionReason', {
      nullable: true,
      description: 'Why an over-budget exception was asked for.',
    }),
    exceptionDecisionReason: t.exposeString('exceptionDecisionReason', {
      nullable: true,
      description: 'Why the sales leader approved or rejected the exception, when they said.',
    }),
    overrun: t.exposeBoolean('overrun', {
      description:
        'True when it took the budget past zero (WARN policy, approved exception, or a costlier delivery).',
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When it was made.', resolve: (b) => b.createdAt }),
    deliveredAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was delivered.',
      resolve: (b) => b.deliveredAt,
    }),
  }),
});

const TransferRef = builder.objectRef<Transfer>('BudgetTransfer').implement({
  ...accountScoped<Transfer>((x) => x.accountId),
  description: 'Budget moved between two key accounts of one fiscal year, approved by a SALES_LEADER.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    fromBudget: t.field({
      type: BudgetRef,
      nullable: true,
      description: 'Giving budget (null, with a NOT_FOUND error, when you may not read its account).',
      resolve: (x) => x.fromBudgetId,
    }),
    toBudget: t.field({
      type: BudgetRef,
      nullable: true,
      description: 'Receiving budget (null, with a NOT_FOUND error, when you may not read its account).',
      resolve: (x) => x.toBudgetId,
    }),
    amount: t.field({ type: 'Money', description: 'Amount.', resolve: (x) => x.amount }),
    currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (x) => x.currency }),
    reason: t.exposeString('reason', { description: 'Why.' }),
    state: t.field({
      type: TransferStateEnum,
      description: 'Where it is in its life.',
      resolve: (x) => x.state,
    }),
    requestedByUserId: t.exposeID('requestedBy', { description: 'Who asked.' }),
    decidedByUserId: t.exposeID('decidedBy', { nullable: true, description: 'Who decided.' }),
    decisionReason: t.exposeString('decisionReason', {
      nullable: true,
      description: 'Why it was approved or rejected, when the sales leader said.',
    }),
    createdAt: t.field({ type: 'DateTime', description: 'When requested.', resolve: (x) => x.createdAt }),
  }),
});

const PreviewRef = builder.objectRef<service.BookingPreview>('BookingPreview').implement({
  ...accountScoped<service.BookingPreview>((p) => p.accountId),
  description: 'What booking a free service would do to the budget. Nothing is changed.',
  fields: (t) => ({
    budget: t.field({
      type: BudgetRef,
      nullable: true,
      description: 'The budget that would be charged.',
      resolve: (p) => p.budget,
    }),
    fiscalYear: t.exposeInt('fiscalYear', { description: 'Fiscal year of the planned date.' }),
    settlementPrice: t.field({
      type: 'Money',
      nullable: true,
      description: 'Price that would be reserved.',
      resolve: (p) => p.settlementPrice,
    }),
    remainingBefore: t.field({
      type: 'Money',
      nullable: true,
      description: 'Remaining now.',
      resolve: (p) => p.remainingBefore,
    }),
    remainingAfter: t.field({
      type: 'Money',
      nullable: true,
      description: 'Remaining after the booking.',
      resolve: (p) => p.remainingAfter,
    }),
    overrunPolicy: t.field({
      type: OverrunPolicyEnum,
      description: 'The tier’s overrun policy.',
      resolve: (p) => p.policy,
    }),
    needsException: t.boolean({
      description: 'True when it would need an approved exception.',
      resolve: (p) => p.decision === 'NEEDS_EXCEPTION',
    }),
    wouldOverrun: t.boolean({
      description: 'True when it would take the budget past zero.',
      resolve: (p) => p.decision !== null && p.decision !== 'FITS',
    }),
    problems: t.stringList({
      description: 'Why it could not be booked at all (empty when it can).',
      resolve: (p) => p.problems,
    }),
  }),
});

const BookingFilterInput = builder.inputType('BookingFilter', {
  description: 'Narrows the booking list; all given conditions must hold.',
  fields: (t) => ({
    accountId: t.id({ required: false, description: 'Only this account.' }),
    budgetId: t.id({ required: false, description: 'Only this budget.' }),
    csmPersonId: t.id({ required: false, description: 'Only bookings of this CSM.' }),
    serviceId: t.id({ required: false, description: 'Only this service.' }),
    states: t.field({ type: [BookingStateEnum], required: false, description: 'Only these states.' }),
    plannedFrom: t.field({ type: 'Date', required: false, description: 'Planned on or after.' }),
    plannedTo: t.field({ type: 'Date', required: false, description: 'Planned on or before.' }),
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
  bookings: t.connection(
    {
      type: BookingRef,
      description: 'Bookings, newest first, filtered. A CSM sees their own accounts’ bookings.',
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: BookingFilterInput, required: false, description: 'Conditions.' }) },
      resolve: (_root, args, context) => {
        const filter = args.filter ?? {};
        return service.listBookings(context, args, {
          accountId: optionalId(filter.accountId, 'filter.accountId') ?? null,
          budgetId: optionalId(filter.budgetId, 'filter.budgetId') ?? null,
          csmPersonId: optionalId(filter.csmPersonId, 'filter.csmPersonId') ?? null,
          serviceId: optionalId(filter.serviceId, 'filter.serviceId') ?? null,
          states: filter.states,
          plannedFrom: filter.plannedFrom,
          plannedTo: filter.plannedTo,
        });
      },
    },
    { description: 'A page of bookings.' },
    { description: 'A booking and its cursor.' },
  ),
  bookingPreview: t.field({
    type: PreviewRef,
    description:
      'The remaining budget before and after booking a free service, and whether it would need an exception. Changes nothing.',
    authScopes: { authenticated: true },
    args: {
      accountId: t.arg.id({ description: 'Account.' }),
      serviceId: t.arg.id({ description: 'Free service.' }),
      plannedDate: t.arg({ type: 'Date', description: 'Planned date (decides the fiscal year).' }),
    },
    resolve: (_root, args, context) =>
      service.previewBooking(context, {
        accountId: String(args.accountId),
        serviceId: String(args.serviceId),
        plannedDate: args.plannedDate,
      }),
  }),
  budgetTransfers: t.connection(
    {
      type: TransferRef,
      description: 'Budget transfers, newest first, a page at a time. FINANCE, SALES_LEADER and ADMIN.',
      authScopes: { $any: { finance: true, salesLeader: true, admin: true } },
      args: {
        pendingOnly: t.arg.boolean({ required: false, description: 'Only those waiting for a decision.' }),
      },
      resolve: (_root, args, context) =>
        transfers.listTransfers(context, args, { pendingOnly: args.pendingOnly ?? false }),
    },
    { description: 'A page of budget transfers.' },
    { description: 'A budget transfer and its cursor.' },
  ),
  operatingRatio: t.field({
    type: 'Decimal',
    nullable: true,
    description: 'The default operating ratio of a fiscal year (0.02 = 2%), if set.',
    authScopes: { authenticated: true },
    args: { fiscalYear: t.arg.int({ description: 'Fiscal year.' }) },
    resolve: (_root, args, context) =>
      repository.findRatio(context.db, validateFiscalYear(args.fiscalYear, 'fiscalYear')),
  }),
  overrunPolicy: t.field({
    type: OverrunPolicyEnum,
    description: 'The overrun policy of a key-account tier (STOP unless set).',
    authScopes: { authenticated: true },
    args: { tier: t.arg({ type: TierEnum, description: 'A or C.' }) },
    resolve: (_root, args, context) => repository.findOverrunPolicy(context.db, args.tier),
  }),
}));

const IDEMPOTENCY_KEY = { description: IDEMPOTENCY_KEY_DESCRIPTION };

const CreateBudgetInput = builder.inputType('CreateBudgetInput', {
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

const AdjustBudgetInput = builder.inputType('AdjustBudgetInput', {
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

const BookInput = builder.inputType('BookFreeServiceInput', {
  description:
    'Book a free expert service for a key account; its settlement price is reserved from the budget of the planned date’s fiscal year.',
  fields: (t) => ({
    accountId: t.id({ description: 'Key account.' }),
    serviceId: t.id({ description: 'Free service.' }),
    plannedDate: t.field({ type: 'Date', description: 'When it is planned.' }),
    personIds: t.idList({
      required: false,
      description: 'People delivering it (service, solutions or pre-sales).',
    }),
    notes: t.string({ required: false, description: 'Notes.' }),
    requestException: t.boolean({
      required: false,
      description: 'If it does not fit the budget, file it for SALES_LEADER approval instead of failing.',
    }),
    exceptionReason: t.string({
      required: false,
      description: 'Why the exception is worth it (required with requestException).',
    }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const DeliverInput = builder.inputType('DeliverBookingInput', {
  description: 'Record delivery: the reservation is released and the actual cost spent.',
  fields: (t) => ({
    bookingId: t.id({ description: 'Booking.' }),
    actualCost: t.field({
      type: 'Money',
      required: false,
      description: 'Actual cost; the settlement price when omitted.',
    }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const CancelInput = builder.inputType('CancelBookingInput', {
  description: 'Cancel a booking: its reservation is released.',
  fields: (t) => ({
    bookingId: t.id({ description: 'Booking.' }),
    reason: t.string({ description: 'Why.' }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const DEPRECATED_DECISION_ID = {
  required: false,
  description: 'The same id under its old name; give it or the named id, not both.',
} as const;

const DecideExceptionInput = builder.inputType('DecideBookingExceptionInput', {
  description: 'Approve or reject a booking that waits for an exception decision.',
  fields: (t) => ({
    bookingId: t.id({
      required: false,
      description:
        'The booking waiting for the decision (required; optional in the schema only while `id` is accepted).',
    }),
    id: t.id({ ...DEPRECATED_DECISION_ID, deprecationReason: 'Use bookingId, as deliver and cancel do.' }),
    approve: t.boolean({ description: 'true to approve, false to reject.' }),
    reason: t.string({
      required: false,
      description: 'Why (1–1000 characters), shown to who asked; optional.',
    }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const DecideTransferInput = builder.inputType('DecideBudgetTransferInput', {
  description: 'Approve or reject a requested budget transfer.',
  fields: (t) => ({
    transferId: t.id({
      required: false,
      description: 'The requested transfer (required; optional in the schema only while `id` is accepted).',
    }),
    id: t.id({ ...DEPRECATED_DECISION_ID, deprecationReason: 'Use transferId.' }),
    approve: t.boolean({ description: 'true to approve, false to reject.' }),
    reason: t.string({
      required: false,
      description: 'Why (1–1000 characters), shown to who asked; optional.',
    }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

const TransferInput = builder.inputType('RequestBudgetTransferInput', {
  description: 'Ask to move budget from one key account to another of the same fiscal year.',
  fields: (t) => ({
    fromBudgetId: t.id({ description: 'Giving budget.' }),
    toBudgetId: t.id({ description: 'Receiving budget.' }),
    amount: t.field({
      type: 'Money',
      description: 'Amount (positive, at most what the giver has remaining).',
    }),
    reason: t.string({ description: 'Why.' }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

builder.mutationFields((t) => ({
  setOperatingRatio: t.field({
    type: OperatingRatioRef,
    description: 'Sets the default operating ratio of a fiscal year (0.02 = 2%). FINANCE only.',
    authScopes: { finance: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: {
      fiscalYear: t.arg.int({ description: 'Fiscal year.' }),
      ratio: t.arg({ type: 'Decimal', description: 'Ratio, > 0 and ≤ 1.' }),
    },
    resolve: (_root, args, context) => service.setOperatingRatio(context, args),
  }),
  setOverrunPolicy: t.field({
    type: OverrunSettingRef,
    description: 'Sets the overrun policy of a key-account tier. FINANCE only.',
    authScopes: { finance: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: {
      tier: t.arg({ type: TierEnum, description: 'A or C.' }),
      policy: t.arg({ type: OverrunPolicyEnum, description: 'STOP or WARN.' }),
    },
    resolve: (_root, args, context) => service.setOverrunPolicy(context, args),
  }),
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
  bookFreeService: t.field({
    type: BookingRef,
    description: 'Books a free expert service against the account’s budget. The account’s CSM (or an ADMIN).',
    authScopes: { $any: { csm: true, admin: true } },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: BookInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      bookings.bookFreeService(context, {
        ...input,
        accountId: String(input.accountId),
        serviceId: String(input.serviceId),
        personIds: input.personIds?.map(String),
      }),
  }),
  deliverBooking: t.field({
    type: BookingRef,
    description: 'Records delivery of a booking and posts its actual cost. The account’s CSM (or an ADMIN).',
    authScopes: { $any: { csm: true, admin: true } },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: DeliverInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      bookings.deliverBooking(context, { ...input, bookingId: String(input.bookingId) }),
  }),
  cancelBooking: t.field({
    type: BookingRef,
    description: 'Cancels a booking and releases its reservation. The account’s CSM (or an ADMIN).',
    authScopes: { $any: { csm: true, admin: true } },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: CancelInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      bookings.cancelBooking(context, { ...input, bookingId: String(input.bookingId) }),
  }),
  decideBookingException: t.field({
    type: BookingRef,
    description:
      'Approves (reserves, even past the budget) or rejects an over-budget booking. SALES_LEADER only.',
    authScopes: { salesLeader: true },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: DecideExceptionInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      bookings.decideBookingException(context, {
        bookingId: renamedId(input.bookingId, input.id, 'input.bookingId', 'input.id'),
        approve: input.approve,
        reason: input.reason ?? null,
        idempotencyKey: input.idempotencyKey,
      }),
  }),
  requestBudgetTransfer: t.field({
    type: TransferRef,
    description:
      'Asks to move budget between two key accounts of one fiscal year. FINANCE, or the giving account’s CSM.',
    authScopes: { $any: { csm: true, finance: true } },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: TransferInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      transfers.requestBudgetTransfer(context, {
        ...input,
        fromBudgetId: String(input.fromBudgetId),
        toBudgetId: String(input.toBudgetId),
      }),
  }),
  decideBudgetTransfer: t.field({
    type: TransferRef,
    description: 'Approves (posts both ledger entries) or rejects a transfer. SALES_LEADER only.',
    authScopes: { salesLeader: true },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: DecideTransferInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      transfers.decideBudgetTransfer(context, {
        transferId: renamedId(input.transferId, input.id, 'input.transferId', 'input.id'),
        approve: input.approve,
        reason: input.reason ?? null,
        idempotencyKey: input.idempotencyKey,
      }),
  }),
}));
