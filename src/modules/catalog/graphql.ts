// GraphQL for the expert-service catalog: services with effects and prices, picking free
// services by effect, and the ADMIN/FINANCE mutations.
import { builder, type SchemaTypes } from '../../graphql/builder';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../graphql/errors';
import { DepartmentEnum } from '../teams/graphql';
import * as loaders from './loaders';
import type { ServicePrice } from './loaders';
import * as read from './read';
import { EFFECTS } from './rules';
import * as service from './service';

export const EffectEnum = builder.enumType('Effect', {
  description: 'What a free expert service aims to improve (README, The domain).',
  values: {
    OPPORTUNITY: { description: 'Hatch and catch new opportunities.' },
    PRICE_ACCEPTANCE: { description: 'The customer’s acceptance of our prices.' },
    SOLUTION_ACCEPTANCE: { description: 'The customer’s acceptance of our solutions.' },
    RELATIONSHIP_CLOSENESS: { description: 'Closeness of the business relationship.' },
  } satisfies Record<(typeof EFFECTS)[number], { description: string }>,
});

export const ServiceKindEnum = builder.enumType('ServiceKind', {
  description: 'Whether an expert service is sold or given.',
  values: {
    PAID: { description: 'Sold to any customer: revenue of the service department.' },
    FREE: {
      description:
        'Free to key accounts, costed at a settlement price and charged to their operating budget.',
    },
  },
});

const ServicePriceRef = builder.objectRef<ServicePrice>('ServicePrice').implement({
  description: 'A price of a service in force from a day on.',
  fields: (t) => ({
    effectiveFrom: t.field({
      type: 'Date',
      description: 'First day in force.',
      resolve: (p) => p.effectiveFrom,
    }),
    settlementPrice: t.field({
      type: 'Money',
      nullable: true,
      description: 'Internal settlement price (free services).',
      resolve: (p) => p.settlementPrice,
    }),
    listPrice: t.field({
      type: 'Money',
      nullable: true,
      description: 'Price to the customer (paid services).',
      resolve: (p) => p.listPrice,
    }),
    internalCost: t.field({
      type: 'Money',
      nullable: true,
      description: 'Internal cost (paid services).',
      resolve: (p) => p.internalCost,
    }),
    currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (p) => p.currency }),
  }),
});

export const ExpertServiceRef = builder.loadableObject('ExpertService', {
  description: 'An expert service of the catalog.',
  load: (ids: string[], context) => loaders.servicesByIds(context, ids),
  sort: (s) => s.id,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    serviceCode: t.exposeString('code', { description: 'Short unique code (A–Z, 0–9, _ and -).' }),
    code: t.exposeString('code', {
      description: 'Short unique code, under its old name.',
      deprecationReason:
        'Use serviceCode: `code` clashes with Error.code (an enum) when one selection asks for both.',
    }),
    name: t.exposeString('name', { description: 'Name.' }),
    kind: t.field({ type: ServiceKindEnum, description: 'Paid or free.', resolve: (s) => s.kind }),
    providingDepartment: t.field({
      type: DepartmentEnum,
      description: 'Department that delivers it.',
      resolve: (s) => s.providingDepartment,
    }),
    description: t.exposeString('description', { description: 'What it is.' }),
    effects: t.field({
      type: [EffectEnum],
      description: 'Effects aimed at (free services).',
      resolve: (s) => s.effects,
    }),
    active: t.exposeBoolean('active', {
      description: 'Retired services cannot be booked; their history stays.',
    }),
    retiredAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was retired.',
      resolve: (s) => s.retiredAt,
    }),
    currentPrice: t.field({
      type: ServicePriceRef,
      nullable: true,
      description: 'The price in force today.',
      resolve: (s, _args, context) => read.priceToday(context, s.id),
    }),
    priceHistory: t.loadableGroup({
      type: ServicePriceRef,
      description: 'Every price, newest first.',
      load: (ids: string[], context) => loaders.pricesOfServices(context, ids),
      group: (p) => p.serviceId,
      resolve: (s) => s.id,
    }),
  }),
});

builder.queryFields((t) => ({
  expertServices: t.field({
    type: [ExpertServiceRef],
    description: `The catalog by name (at most ${read.SERVICES_LIST_MAX}), filtered.`,
    authScopes: { authenticated: true },
    args: {
      kind: t.arg({
        type: ServiceKindEnum,
        required: false,
        description: 'Only paid or only free services.',
      }),
      effects: t.arg({
        type: [EffectEnum],
        required: false,
        description: 'Only services aiming at any of these effects.',
      }),
      includeRetired: t.arg.boolean({
        required: false,
        description: 'Include retired services (default false).',
      }),
    },
    resolve: (_root, args, context) =>
      read.listServices(context, {
        kind: args.kind,
        effectsAny: args.effects,
        includeRetired: args.includeRetired ?? false,
      }),
  }),
  freeServicesForEffects: t.field({
    type: [ExpertServiceRef],
    description:
      'Active free services that aim at any of the given effects, those serving more of them first: how a CSM picks services for a weak dimension.',
    authScopes: { authenticated: true },
    args: { effects: t.arg({ type: [EffectEnum], description: 'The effects wanted.' }) },
    resolve: (_root, args, context) => read.freeServicesForEffects(context, args.effects),
  }),
}));

/** The price fields a new service and a new price share. */
const priceFields = (t: PothosSchemaTypes.InputFieldBuilder<SchemaTypes, 'InputObject'>) => ({
  settlementPrice: t.field({
    type: 'Money',
    required: false,
    description: 'Settlement price (free services).',
  }),
  listPrice: t.field({ type: 'Money', required: false, description: 'List price (paid services).' }),
  internalCost: t.field({
    type: 'Money',
    required: false,
    description: 'Internal cost (paid services).',
  }),
  currency: t.field({
    type: 'Currency',
    required: false,
    description: 'Currency; the default when omitted.',
  }),
});

const CreateServiceInput = builder.inputType('CreateExpertServiceInput', {
  description: 'A new expert service with its first price.',
  fields: (t) => ({
    code: t.string({ description: 'Short unique code (A–Z, 0–9, _ and -).' }),
    name: t.string({ description: 'Name.' }),
    kind: t.field({ type: ServiceKindEnum, description: 'Paid or free.' }),
    providingDepartment: t.field({
      type: DepartmentEnum,
      description: 'Delivering department (free: service, solutions or pre-sales).',
    }),
    description: t.string({ required: false, description: 'What it is.' }),
    effects: t.field({ type: [EffectEnum], required: false, description: 'Effects (free services only).' }),
    effectiveFrom: t.field({ type: 'Date', description: 'First day the price is in force.' }),
    ...priceFields(t),
  }),
});

const SetPriceInput = builder.inputType('SetServicePriceInput', {
  description:
    'A price in force from a day on (replaces a price set for the same day). Bookings keep the price they were made at.',
  fields: (t) => ({
    serviceId: t.id({ description: 'Service.' }),
    effectiveFrom: t.field({ type: 'Date', description: 'First day in force.' }),
    ...priceFields(t),
  }),
});

builder.mutationFields((t) => ({
  createExpertService: t.field({
    type: ExpertServiceRef,
    description: 'Adds a service to the catalog. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateServiceInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.createExpertService(context, {
        ...input,
        currency: input.currency ?? context.config.defaultCurrency,
      }),
  }),
  setServicePrice: t.field({
    type: ExpertServiceRef,
    description: 'Sets a service’s price from a day on. ADMIN or FINANCE.',
    authScopes: { $any: { admin: true, finance: true } },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: SetPriceInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: async (_root, { input }, context) =>
      (
        await service.setServicePrice(context, {
          ...input,
          serviceId: String(input.serviceId),
          currency: input.currency ?? context.config.defaultCurrency,
        })
      ).serviceId,
  }),
  retireExpertService: t.field({
    type: ExpertServiceRef,
    description: 'Retires a service: it can no longer be booked or ordered; its history stays. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { serviceId: t.arg.id({ description: 'Service.' }) },
    resolve: (_root, args, context) => service.retireExpertService(context, String(args.serviceId)),
  }),
}));
