// The Customer type (related objects through dataloaders), reading accounts and creating and editing them.
import { accountScoped, builder } from '../../../graphql/builder';
import { optionalId } from '../../../shared/ids';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../../graphql/errors';
import { PersonRef, TeamRef } from '../../teams/graphql';
import * as loaders from '../loaders';
import type { Customer } from '../service';
import { isKeyAccount, TIER_MEANINGS } from '../rules';
import * as service from '../service';
import { TierEnum, TierChangeRef } from './tier';
import { ChannelPartnerRef } from './channel-partner';
import { FinancialsRef } from './financials';

export const CustomerRef = builder.loadableObject('Customer', {
  ...accountScoped<Customer>((c) => c.id),
  description: 'A customer account of the vendor, in one tier, covered by teams and people.',
  load: (ids: string[], context) => loaders.customersByIds(context, ids),
  sort: (customer) => customer.id,
  // eslint-disable-next-line max-lines-per-function -- a type's field list, one declaration per field, reads like the schema it prints
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (the account id used everywhere).' }),
    externalId: t.exposeString('externalId', {
      nullable: true,
      description: 'Id in the vendor’s CRM; the key for CSV re-imports.',
    }),
    name: t.exposeString('name', { description: 'Name.' }),
    industry: t.exposeString('industry', { nullable: true, description: 'Industry.' }),
    region: t.exposeString('region', { nullable: true, description: 'Region.' }),
    tier: t.field({ type: TierEnum, description: 'Current tier.', resolve: (c) => c.tier }),
    tierMeaning: t.string({
      description: 'What the tier means.',
      resolve: (c) => TIER_MEANINGS[c.tier].meaning,
    }),
    keyAccount: t.boolean({
      description: 'True for tiers A and C (derived from the tier, never stored).',
      resolve: (c) => isKeyAccount(c.tier),
    }),
    salesRep: t.field({
      type: PersonRef,
      nullable: true,
      description: 'Owning sales rep.',
      resolve: (c) => c.salesRepPersonId,
    }),
    channelPartner: t.field({
      type: ChannelPartnerRef,
      nullable: true,
      description: 'Channel partner (required for tier E).',
      resolve: (c) => c.channelPartnerId,
    }),
    csm: t.field({
      type: PersonRef,
      nullable: true,
      description: 'The account’s CSM (key accounts only).',
      resolve: (c) => c.csmPersonId,
    }),
    supportTeam: t.field({
      type: TeamRef,
      nullable: true,
      description: 'Support team serving product problems.',
      resolve: (c) => c.supportTeamId,
    }),
    expertTeam: t.field({
      type: TeamRef,
      nullable: true,
      description: 'Expert team for expert services.',
      resolve: (c) => c.expertTeamId,
    }),
    tierHistory: t.loadableGroup({
      type: TierChangeRef,
      description: 'Tier history, newest first.',
      load: (ids: string[], context) => loaders.tierHistoriesOfAccounts(context, ids),
      group: (change) => change.accountId,
      resolve: (c) => c.id,
    }),
    tierAsOf: t.field({
      type: TierEnum,
      nullable: true,
      description: 'The tier in force at an instant (null before the account existed).',
      args: { at: t.arg({ type: 'DateTime', description: 'The instant.' }) },
      resolve: (c, args, context) => service.tierAsOf(context, c.id, args.at),
    }),
    financials: t.loadableGroup({
      type: FinancialsRef,
      description: 'Tiering figures per fiscal year, newest first.',
      load: (ids: string[], context) => loaders.financialsOfAccounts(context, ids),
      group: (f) => f.accountId,
      resolve: (c) => c.id,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When the account was created.',
      resolve: (c) => c.createdAt,
    }),
  }),
});

export const CustomerFilterInput = builder.inputType('CustomerFilter', {
  description: 'Narrows the customer list; all given conditions must hold.',
  fields: (t) => ({
    tiers: t.field({ type: [TierEnum], required: false, description: 'Only these tiers.' }),
    keyAccount: t.boolean({
      required: false,
      description: 'Only key accounts (true) or only others (false).',
    }),
    csmPersonId: t.id({ required: false, description: 'Only accounts of this CSM.' }),
    region: t.string({ required: false, description: 'Only this region.' }),
    industry: t.string({ required: false, description: 'Only this industry.' }),
    search: t.string({ required: false, description: 'Name contains this text (case-insensitive).' }),
  }),
});

export const CreateCustomerInput = builder.inputType('CreateCustomerInput', {
  description: 'A new customer account.',
  fields: (t) => ({
    name: t.string({ description: 'Name, 1–200 characters.' }),
    externalId: t.string({ required: false, description: 'Id in the vendor’s CRM (unique).' }),
    industry: t.string({ required: false, description: 'Industry.' }),
    region: t.string({ required: false, description: 'Region.' }),
    salesRepPersonId: t.id({ required: false, description: 'Owning sales rep (a SALES person).' }),
    channelPartnerId: t.id({ required: false, description: 'Channel partner (required for tier E).' }),
    tier: t.field({ type: TierEnum, description: 'Initial tier.' }),
    reason: t.string({ required: false, description: 'Why this tier (recorded in the history).' }),
  }),
});

export const UpdateCustomerInput = builder.inputType('UpdateCustomerInput', {
  description: 'Changes to an account; omitted fields stay. Tier changes use changeTier.',
  fields: (t) => ({
    accountId: t.id({ description: 'Account.' }),
    name: t.string({ required: false, description: 'New name.' }),
    industry: t.string({ required: false, description: 'New industry (empty to clear).' }),
    region: t.string({ required: false, description: 'New region (empty to clear).' }),
    salesRepPersonId: t.id({ required: false, description: 'New sales rep.' }),
    channelPartnerId: t.id({ required: false, description: 'New channel partner.' }),
  }),
});

builder.queryFields((t) => ({
  customer: t.field({
    type: CustomerRef,
    description: 'One account. A CSM sees only the accounts they are the CSM of.',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ description: 'Account id.' }) },
    resolve: (_root, args, context) => service.readCustomer(context, String(args.id)),
  }),
  customers: t.connection(
    {
      type: CustomerRef,
      description: 'Accounts by name, filtered and paginated. A CSM sees only their own accounts.',
      authScopes: { authenticated: true },
      args: { filter: t.arg({ type: CustomerFilterInput, required: false, description: 'Conditions.' }) },
      resolve: (_root, args, context) => {
        const filter = args.filter ?? {};
        const keyTiers =
          filter.keyAccount === true
            ? (['A', 'C'] as const)
            : filter.keyAccount === false
              ? (['B', 'D', 'E'] as const)
              : null;
        return service.listCustomers(context, args, {
          keyTiers,
          tiers: filter.tiers,
          csmPersonId: optionalId(filter.csmPersonId, 'filter.csmPersonId') ?? null,
          region: filter.region,
          industry: filter.industry,
          search: filter.search,
        });
      },
    },
    { description: 'A page of customers.' },
    { description: 'A customer and its cursor.' },
  ),
}));

builder.mutationFields((t) => ({
  createCustomer: t.field({
    type: CustomerRef,
    description: 'Creates an account with its first tier-history entry. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateCustomerInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.createCustomer(context, {
        ...input,
        salesRepPersonId: optionalId(input.salesRepPersonId, 'input.salesRepPersonId'),
        channelPartnerId: optionalId(input.channelPartnerId, 'input.channelPartnerId'),
      }),
  }),
  updateCustomer: t.field({
    type: CustomerRef,
    description: 'Edits an account. ADMIN, or the account’s CSM.',
    authScopes: { $any: { admin: true, csm: true } },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: UpdateCustomerInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.updateCustomer(context, {
        ...input,
        accountId: String(input.accountId),
        salesRepPersonId: optionalId(input.salesRepPersonId, 'input.salesRepPersonId'),
        channelPartnerId: optionalId(input.channelPartnerId, 'input.channelPartnerId'),
      }),
  }),
}));
