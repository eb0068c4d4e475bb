// GraphQL for paid service orders: quote → confirm → deliver → accept, with revenue and margin.
import { accountScoped, builder } from '../../graphql/builder';
import { INPUT_ARG_DESCRIPTION } from '../../graphql/errors';
import { IDEMPOTENCY_KEY_DESCRIPTION } from '../../shared/idempotency';
import { CustomerRef } from '../customers/graphql';
import { ExpertServiceRef } from '../catalog/graphql';
import { MONEY_ERRORS } from '../budgets/graphql';
import type { PaidOrder } from './service';
import { margin, ORDER_STATES } from './rules';
import * as service from './service';
import { optionalId } from '../../shared/ids';
import { ValidationError } from '../../shared/errors';

const OrderStateEnum = builder.enumType('PaidOrderState', {
  description: 'Steps of a paid service order; each needs the one before it.',
  values: {
    QUOTED: { description: 'Requirement, estimated hours and price given to the customer.' },
    CONFIRMED: { description: 'The customer confirmed the quote.' },
    DELIVERED: { description: 'Work done: actual hours and internal cost recorded.' },
    ACCEPTED: { description: 'The customer accepted the work: revenue recognised.' },
    CANCELLED: { description: 'Cancelled before delivery.' },
  } satisfies Record<(typeof ORDER_STATES)[number], { description: string }>,
});

const PaidOrderRef = builder.objectRef<PaidOrder>('PaidOrder').implement({
  ...accountScoped<PaidOrder>((o) => o.accountId),
  description: 'A paid expert service sold to a customer: revenue of the service department.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    account: t.field({ type: CustomerRef, description: 'The customer.', resolve: (o) => o.accountId }),
    service: t.field({
      type: ExpertServiceRef,
      description: 'The paid service.',
      resolve: (o) => o.serviceId,
    }),
    state: t.field({ type: OrderStateEnum, description: 'Where it is.', resolve: (o) => o.state }),
    requirement: t.exposeString('requirement', {
      description: 'What the customer wants, with a measurable target.',
    }),
    estimatedHours: t.field({
      type: 'Decimal',
      description: 'Hours quoted.',
      resolve: (o) => o.estimatedHours,
    }),
    price: t.field({
      type: 'Money',
      description: 'Price quoted (the revenue on acceptance).',
      resolve: (o) => o.price,
    }),
    estimatedInternalCost: t.field({
      type: 'Money',
      description: 'Internal cost expected when quoted.',
      resolve: (o) => o.estimatedInternalCost,
    }),
    actualHours: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'Hours actually spent.',
      resolve: (o) => o.actualHours,
    }),
    internalCost: t.field({
      type: 'Money',
      nullable: true,
      description: 'Internal cost actually incurred.',
      resolve: (o) => o.internalCost,
    }),
    revenue: t.field({
      type: 'Money',
      nullable: true,
      description: 'Revenue, recognised on acceptance.',
      resolve: (o) => o.revenue,
    }),
    margin: t.field({
      type: 'Money',
      nullable: true,
      description: 'Revenue − internal cost, once both are known.',
      resolve: (o) => margin(o.revenue, o.internalCost),
    }),
    currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (o) => o.currency }),
    createdAt: t.field({ type: 'DateTime', description: 'When quoted.', resolve: (o) => o.createdAt }),
  }),
});

builder.queryField('paidOrders', (t) =>
  t.connection(
    {
      type: PaidOrderRef,
      description: 'Paid service orders, newest first, a page at a time. A CSM sees their own accounts’.',
      authScopes: { authenticated: true },
      args: {
        accountId: t.arg.id({ required: false, description: 'Only this account.' }),
        state: t.arg({ type: OrderStateEnum, required: false, description: 'Only this state.' }),
      },
      resolve: (_root, args, context) =>
        service.listOrders(context, args, {
          accountId: optionalId(args.accountId, 'accountId') ?? null,
          state: args.state,
        }),
    },
    { description: 'A page of paid orders.' },
    { description: 'A paid order and its cursor.' },
  ),
);

const QuoteInput = builder.inputType('QuotePaidServiceInput', {
  description: 'A quote for a paid service: requirement → estimated hours → price.',
  fields: (t) => ({
    accountId: t.id({ description: 'Customer (any tier).' }),
    serviceId: t.id({ description: 'Paid service.' }),
    requirement: t.string({ description: 'What the customer wants, ideally with a measurable target.' }),
    estimatedHours: t.field({ type: 'Decimal', description: 'Estimated hours (> 0).' }),
    price: t.field({
      type: 'Money',
      required: false,
      description: 'Price quoted; the list price when omitted.',
    }),
    idempotencyKey: t.string({
      description: IDEMPOTENCY_KEY_DESCRIPTION,
    }),
  }),
});

const AdvanceInput = builder.inputType('AdvancePaidOrderInput', {
  description: 'The next step of a paid order.',
  fields: (t) => ({
    orderId: t.id({ description: 'Order.' }),
    to: t.field({ type: OrderStateEnum, description: 'CONFIRMED, DELIVERED, ACCEPTED or CANCELLED.' }),
    actualHours: t.field({ type: 'Decimal', required: false, description: 'Hours spent (DELIVERED only).' }),
    internalCost: t.field({
      type: 'Money',
      required: false,
      description: 'Internal cost incurred (DELIVERED only).',
    }),
    idempotencyKey: t.string({
      description: IDEMPOTENCY_KEY_DESCRIPTION,
    }),
  }),
});

builder.mutationFields((t) => ({
  quotePaidService: t.field({
    type: PaidOrderRef,
    description: 'Quotes a paid service to a customer. The account’s CSM, a SALES_LEADER or an ADMIN.',
    authScopes: { $any: { csm: true, salesLeader: true, admin: true } },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: QuoteInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.quotePaidService(context, {
        ...input,
        accountId: String(input.accountId),
        serviceId: String(input.serviceId),
      }),
  }),
  advancePaidOrder: t.field({
    type: PaidOrderRef,
    description:
      'Moves a paid order to its next step (customer confirmed, delivered, accepted) or cancels it.',
    authScopes: { $any: { csm: true, salesLeader: true, admin: true } },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: AdvanceInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) => {
      if (input.to === 'QUOTED')
        throw new ValidationError('input.to', 'an order is quoted by quotePaidService');
      return service.advancePaidOrder(context, { ...input, orderId: String(input.orderId), to: input.to });
    },
  }),
}));
