// A free-service booking: the type, the booking list, and its life cycle (book, deliver, cancel,
// the exception decision). Every mutation takes an idempotency key.
import { accountScoped, builder } from '../../../graphql/builder';
import { INPUT_ARG_DESCRIPTION } from '../../../graphql/errors';
import { CustomerRef } from '../../customers/graphql';
import { ExpertServiceRef } from '../../catalog/graphql';
import { PersonRef } from '../../teams/graphql';
import * as loaders from '../loaders';
import { BOOKING_STATES } from '../rules';
import * as service from '../service';
import type { Booking } from '../service';
import { optionalId, renamedId } from '../../../shared/ids';
import { MONEY_ERRORS, IDEMPOTENCY_KEY, DEPRECATED_DECISION_ID, decisionFields } from './common';
import { BudgetRef } from './budget';

export const BookingStateEnum = builder.enumType('BookingState', {
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

export const BookingRef = builder.loadableObject('Booking', {
  ...accountScoped<Booking>((b) => b.accountId),
  description: 'A free expert service booked for a key account against its operating budget.',
  load: (ids: string[], context) => loaders.bookingsByIds(context, ids),
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
      load: (ids: string[], context) => loaders.peopleOfBookings(context, ids),
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

export const BookingFilterInput = builder.inputType('BookingFilter', {
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

export const BookInput = builder.inputType('BookFreeServiceInput', {
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

export const DeliverInput = builder.inputType('DeliverBookingInput', {
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

export const CancelInput = builder.inputType('CancelBookingInput', {
  description: 'Cancel a booking: its reservation is released.',
  fields: (t) => ({
    bookingId: t.id({ description: 'Booking.' }),
    reason: t.string({ description: 'Why.' }),
    idempotencyKey: t.string(IDEMPOTENCY_KEY),
  }),
});

export const DecideExceptionInput = builder.inputType('DecideBookingExceptionInput', {
  description: 'Approve or reject a booking that waits for an exception decision.',
  fields: (t) => ({
    bookingId: t.id({
      required: false,
      description:
        'The booking waiting for the decision (required; optional in the schema only while `id` is accepted).',
    }),
    id: t.id({ ...DEPRECATED_DECISION_ID, deprecationReason: 'Use bookingId, as deliver and cancel do.' }),
    ...decisionFields(t),
  }),
});

builder.queryFields((t) => ({
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
}));

builder.mutationFields((t) => ({
  bookFreeService: t.field({
    type: BookingRef,
    description: 'Books a free expert service against the account’s budget. The account’s CSM (or an ADMIN).',
    authScopes: { $any: { csm: true, admin: true } },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: BookInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.bookFreeService(context, {
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
      service.deliverBooking(context, { ...input, bookingId: String(input.bookingId) }),
  }),
  cancelBooking: t.field({
    type: BookingRef,
    description: 'Cancels a booking and releases its reservation. The account’s CSM (or an ADMIN).',
    authScopes: { $any: { csm: true, admin: true } },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: CancelInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.cancelBooking(context, { ...input, bookingId: String(input.bookingId) }),
  }),
  decideBookingException: t.field({
    type: BookingRef,
    description:
      'Approves (reserves, even past the budget) or rejects an over-budget booking. SALES_LEADER only.',
    authScopes: { salesLeader: true },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: DecideExceptionInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.decideBookingException(context, {
        bookingId: renamedId(input.bookingId, input.id, 'input.bookingId', 'input.id'),
        approve: input.approve,
        reason: input.reason ?? null,
        idempotencyKey: input.idempotencyKey,
      }),
  }),
}));
