// GraphQL for customers: the Customer type (related objects through dataloaders), lists,
// tier history and suggestions, and the mutations that change accounts, tiers and policy.
import { validateFiscalYear } from '../../shared/fiscal';
import { accountScoped, builder } from '../../graphql/builder';
import { optionalId } from '../../shared/ids';
import { arrayConnection } from '../../shared/pagination';
import { COMMON_MUTATION_ERRORS, ErrorInterface, INPUT_ARG_DESCRIPTION } from '../../graphql/errors';
import { PersonRef, TeamRef } from '../teams/graphql';
import * as repository from './repository';
import type { Customer, CustomerFinancials, TierChange } from './repository';
import { isKeyAccount, TIER_MEANINGS, TIERS, type TierChangeBlocker, type TieringPolicy } from './rules';
import * as service from './service';
import { importCustomers, type ImportReport, type RowError } from './import';

export const TierEnum = builder.enumType('Tier', {
  description: 'Customer tier. A and C are key accounts (CSM, free expert services, operating budget).',
  values: Object.fromEntries(
    TIERS.map((tier) => [
      tier,
      {
        description: `${TIER_MEANINGS[tier].meaning} (${TIER_MEANINGS[tier].group.toLowerCase().replace('_', ' ')})`,
      },
    ]),
  ) as Record<(typeof TIERS)[number], { description: string }>,
});

export const ChannelPartnerRef = builder.loadableObject('ChannelPartner', {
  description:
    'A channel partner: registers deals, owns the relationship and implements projects for tier E customers.',
  load: (ids: string[], context) => repository.findChannelPartnersByIds(context.db, ids),
  sort: (partner) => partner.id,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    name: t.exposeString('name', { description: 'Partner name, unique.' }),
    implementerName: t.exposeString('implementerName', {
      nullable: true,
      description: 'The partner’s implementer who serves our shared customers.',
    }),
    implementerContact: t.exposeString('implementerContact', {
      nullable: true,
      description: 'How to reach the implementer.',
    }),
  }),
});

const TierChangeRef = builder.objectRef<TierChange>('TierChange').implement({
  ...accountScoped<TierChange>((c) => c.accountId),
  description: 'One entry of an account’s effective-dated tier history.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Sequence number.' }),
    fromTier: t.field({
      type: TierEnum,
      nullable: true,
      description: 'Tier before (null for the first entry).',
      resolve: (c) => c.fromTier,
    }),
    toTier: t.field({ type: TierEnum, description: 'Tier from then on.', resolve: (c) => c.toTier }),
    effectiveFrom: t.field({
      type: 'DateTime',
      description: 'When the tier took effect.',
      resolve: (c) => c.effectiveFrom,
    }),
    changedByUserId: t.exposeID('changedBy', { nullable: true, description: 'User who changed it.' }),
    reason: t.exposeString('reason', { description: 'Why.' }),
  }),
});

const FinancialsRef = builder.objectRef<CustomerFinancials>('CustomerFinancials').implement({
  ...accountScoped<CustomerFinancials>((f) => f.accountId),
  description: 'Figures used for tiering in one fiscal year.',
  fields: (t) => ({
    fiscalYear: t.exposeInt('fiscalYear', { description: 'Fiscal year.' }),
    contribution: t.field({
      type: 'Money',
      description: 'Contribution (revenue) in the year.',
      resolve: (f) => f.contribution,
    }),
    potential: t.field({
      type: 'Money',
      description: 'Estimated reachable revenue.',
      resolve: (f) => f.potential,
    }),
    currency: t.field({
      type: 'Currency',
      description: 'Currency of both figures.',
      resolve: (f) => f.currency,
    }),
  }),
});

export const CustomerRef = builder.loadableObject('Customer', {
  ...accountScoped<Customer>((c) => c.id),
  description: 'A customer account of the vendor, in one tier, covered by teams and people.',
  load: (ids: string[], context) => repository.findCustomersByIds(context.db, ids),
  sort: (customer) => customer.id,
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
      load: (ids: string[], context) => repository.findTierHistories(context.db, ids),
      group: (change) => change.accountId,
      resolve: (c) => c.id,
    }),
    tierAsOf: t.field({
      type: TierEnum,
      nullable: true,
      description: 'The tier in force at an instant (null before the account existed).',
      args: { at: t.arg({ type: 'DateTime', description: 'The instant.' }) },
      resolve: (c, args, context) => repository.findTierAsOf(context.db, c.id, args.at),
    }),
    financials: t.loadableGroup({
      type: FinancialsRef,
      description: 'Tiering figures per fiscal year, newest first.',
      load: (ids: string[], context) => repository.findFinancials(context.db, ids),
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

const TieringPolicyRef = builder.objectRef<TieringPolicy>('TieringPolicy').implement({
  description:
    'Thresholds that suggest a tier from contribution and potential in a fiscal year (equal counts as high).',
  fields: (t) => ({
    fiscalYear: t.exposeInt('fiscalYear', { description: 'Fiscal year.' }),
    contributionThreshold: t.field({
      type: 'Money',
      description: 'Contribution at or above this is high.',
      resolve: (p) => p.contributionThreshold,
    }),
    potentialThreshold: t.field({
      type: 'Money',
      description: 'Potential at or above this is high.',
      resolve: (p) => p.potentialThreshold,
    }),
    currency: t.field({
      type: 'Currency',
      description: 'Currency of the thresholds.',
      resolve: (p) => p.currency,
    }),
  }),
});

const TierSuggestionRef = builder.objectRef<service.TierSuggestionView>('TierSuggestion').implement({
  ...accountScoped<service.TierSuggestionView>((s) => s.customer.id),
  description:
    'An account whose suggested tier differs from its current one. A suggestion never changes a tier.',
  fields: (t) => ({
    account: t.field({ type: CustomerRef, description: 'The account.', resolve: (s) => s.customer }),
    currentTier: t.field({ type: TierEnum, description: 'Tier now.', resolve: (s) => s.customer.tier }),
    suggestedTier: t.field({
      type: TierEnum,
      description: 'Tier the policy suggests.',
      resolve: (s) => s.suggestedTier,
    }),
    reasons: t.stringList({ description: 'Why, in words and numbers.', resolve: (s) => s.reasons }),
  }),
});

const TierChangeBlockerRef = builder.objectRef<TierChangeBlocker>('TierChangeBlocker').implement({
  description: 'A key-account resource that must be resolved before the account leaves A/C.',
  fields: (t) => ({
    resource: t.exposeString('resource', { description: 'CSM, OPEN_BOOKINGS or BUDGET.' }),
    message: t.exposeString('message', { description: 'What to do about it.' }),
  }),
});

builder.objectType(service.TierChangeBlockedError, {
  name: 'TierChangeBlockedError',
  description: 'The account still holds key-account resources; each blocker says what to resolve first.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof service.TierChangeBlockedError,
  fields: (t) => ({
    blockers: t.field({
      type: [TierChangeBlockerRef],
      description: 'What blocks the change.',
      resolve: (e) => e.blockers,
    }),
  }),
});

const CustomerFilterInput = builder.inputType('CustomerFilter', {
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

const LIST_MAX = 500;

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
  tierHistory: t.field({
    type: [TierChangeRef],
    description: 'An account’s tier history, newest first.',
    authScopes: { authenticated: true },
    args: { accountId: t.arg.id({ description: 'Account id.' }) },
    resolve: (_root, args, context) => service.tierHistory(context, String(args.accountId)),
  }),
  tieringPolicy: t.field({
    type: TieringPolicyRef,
    nullable: true,
    description: 'The tiering policy of a fiscal year, if set.',
    authScopes: { authenticated: true },
    args: { fiscalYear: t.arg.int({ description: 'Fiscal year.' }) },
    resolve: (_root, args, context) =>
      repository.findPolicy(context.db, validateFiscalYear(args.fiscalYear, 'fiscalYear')),
  }),
  tierSuggestions: t.connection(
    {
      type: TierSuggestionRef,
      description:
        'Accounts whose policy-suggested tier differs from their tier, with reasons. Empty when no policy is set for the year.',
      authScopes: { authenticated: true },
      args: {
        fiscalYear: t.arg.int({ required: false, description: 'Fiscal year; the current one when omitted.' }),
      },
      resolve: async (_root, args, context) =>
        arrayConnection(args, (await service.tierSuggestions(context, args.fiscalYear ?? null)).suggestions),
    },
    { description: 'A page of tier suggestions.' },
    { description: 'A tier suggestion and its cursor.' },
  ),
  channelPartners: t.field({
    type: [ChannelPartnerRef],
    description: `Channel partners by name (at most ${LIST_MAX}).`,
    authScopes: { authenticated: true },
    resolve: (_root, _args, context) => repository.listChannelPartners(context.db, LIST_MAX),
  }),
}));

const CreateCustomerInput = builder.inputType('CreateCustomerInput', {
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

const UpdateCustomerInput = builder.inputType('UpdateCustomerInput', {
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

const ChangeTierInput = builder.inputType('ChangeTierInput', {
  description:
    'A tier change. Leaving A/C is refused while the account holds key-account resources, unless released here.',
  fields: (t) => ({
    accountId: t.id({ description: 'Account.' }),
    tier: t.field({ type: TierEnum, description: 'New tier.' }),
    reason: t.string({ description: 'Why (required, recorded in the history).' }),
    releaseCsm: t.boolean({
      required: false,
      description: 'Release the CSM together with a move out of A/C.',
    }),
    channelPartnerId: t.id({
      required: false,
      description: 'The partner who will serve the account (needed when moving to E without one).',
    }),
  }),
});

const SetFinancialsInput = builder.inputType('SetCustomerFinancialsInput', {
  description: 'Tiering figures of an account for a fiscal year (replaces earlier figures of that year).',
  fields: (t) => ({
    accountId: t.id({ description: 'Account.' }),
    fiscalYear: t.int({ description: 'Fiscal year.' }),
    contribution: t.field({ type: 'Money', description: 'Contribution (revenue), ≥ 0, 2 decimals.' }),
    potential: t.field({ type: 'Money', description: 'Estimated reachable revenue, ≥ 0, 2 decimals.' }),
    currency: t.field({
      type: 'Currency',
      required: false,
      description: 'Currency; the default when omitted.',
    }),
  }),
});

const SetTieringPolicyInput = builder.inputType('SetTieringPolicyInput', {
  description: 'Thresholds for tier suggestions in a fiscal year.',
  fields: (t) => ({
    fiscalYear: t.int({ description: 'Fiscal year.' }),
    contributionThreshold: t.field({
      type: 'Money',
      description: 'Contribution at or above this is high.',
    }),
    potentialThreshold: t.field({ type: 'Money', description: 'Potential at or above this is high.' }),
    currency: t.field({
      type: 'Currency',
      required: false,
      description: 'Currency; the default when omitted.',
    }),
  }),
});

const ChannelPartnerInput = builder.inputType('CreateChannelPartnerInput', {
  description: 'A new channel partner.',
  fields: (t) => ({
    name: t.string({ description: 'Name, unique.' }),
    implementerName: t.string({ required: false, description: 'The partner’s implementer.' }),
    implementerContact: t.string({ required: false, description: 'How to reach the implementer.' }),
  }),
});

const UpdateChannelPartnerInput = builder.inputType('UpdateChannelPartnerInput', {
  description: 'Changes to a channel partner; omitted fields stay, empty text clears.',
  fields: (t) => ({
    partnerId: t.id({ description: 'Partner.' }),
    name: t.string({ required: false, description: 'New name.' }),
    implementerName: t.string({ required: false, description: 'New implementer.' }),
    implementerContact: t.string({ required: false, description: 'New contact.' }),
  }),
});

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
  changeTier: t.field({
    type: CustomerRef,
    description: 'Changes an account’s tier with a reason, recorded in its history. ADMIN or SALES_LEADER.',
    authScopes: { $any: { admin: true, salesLeader: true } },
    errors: { types: [service.TierChangeBlockedError, ...COMMON_MUTATION_ERRORS] },
    args: { input: t.arg({ type: ChangeTierInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.changeTier(context, {
        ...input,
        accountId: String(input.accountId),
        channelPartnerId: optionalId(input.channelPartnerId, 'input.channelPartnerId'),
      }),
  }),
  setCustomerFinancials: t.field({
    type: CustomerRef,
    description: 'Sets an account’s tiering figures for a fiscal year. ADMIN or FINANCE.',
    authScopes: { $any: { admin: true, finance: true } },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: SetFinancialsInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: async (_root, { input }, context) =>
      (
        await service.setCustomerFinancials(context, {
          ...input,
          accountId: String(input.accountId),
          currency: input.currency ?? context.config.defaultCurrency,
        })
      ).accountId,
  }),
  setTieringPolicy: t.field({
    type: TieringPolicyRef,
    description: 'Sets the tiering thresholds of a fiscal year. ADMIN or FINANCE.',
    authScopes: { $any: { admin: true, finance: true } },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: SetTieringPolicyInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.setTieringPolicy(context, {
        ...input,
        currency: input.currency ?? context.config.defaultCurrency,
      }),
  }),
  createChannelPartner: t.field({
    type: ChannelPartnerRef,
    description: 'Adds a channel partner. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: ChannelPartnerInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) => service.createChannelPartner(context, input),
  }),
  updateChannelPartner: t.field({
    type: ChannelPartnerRef,
    description: 'Changes a channel partner. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: UpdateChannelPartnerInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.updateChannelPartner(context, { ...input, partnerId: String(input.partnerId) }),
  }),
}));

const ImportModeEnum = builder.enumType('ImportMode', {
  description: 'What to do when some rows of an import are bad.',
  values: {
    ALL_OR_NOTHING: { description: 'Import nothing if any row is bad (the default).' },
    GOOD_ROWS_ONLY: { description: 'Import the good rows and report the bad ones.' },
  },
});

const ImportRowErrorRef = builder.objectRef<RowError>('ImportRowError').implement({
  description: 'Why one row of an import was refused.',
  fields: (t) => ({
    line: t.exposeInt('line', { description: 'Line number in the file (1 is the header).' }),
    column: t.exposeString('column', { nullable: true, description: 'The column at fault.' }),
    message: t.exposeString('message', { description: 'What is wrong.' }),
  }),
});

const ImportReportRef = builder.objectRef<ImportReport>('CustomerImportReport').implement({
  description: 'The outcome of a customer import.',
  fields: (t) => ({
    mode: t.field({ type: ImportModeEnum, description: 'The mode used.', resolve: (r) => r.mode }),
    imported: t.exposeBoolean('imported', { description: 'Whether anything was written.' }),
    rowsRead: t.exposeInt('rowsRead', { description: 'Data rows in the file.' }),
    created: t.exposeInt('created', { description: 'New accounts.' }),
    updated: t.exposeInt('updated', { description: 'Existing accounts (same external id) that changed.' }),
    unchanged: t.exposeInt('unchanged', { description: 'Existing accounts already as in the file.' }),
    rejected: t.exposeInt('rejected', { description: 'Rows not imported.' }),
    errors: t.field({
      type: [ImportRowErrorRef],
      description: 'Every bad row with its line and reason.',
      resolve: (r) => r.errors,
    }),
  }),
});

builder.mutationField('importCustomers', (t) =>
  t.field({
    type: ImportReportRef,
    description:
      'Imports customers from CSV text (columns: external_id, name, tier, industry, region, channel_partner, fiscal_year, contribution, potential). Validates every row first; idempotent on external_id. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: {
      csv: t.arg.string({ description: 'The CSV text, with a header row.' }),
      mode: t.arg({
        type: ImportModeEnum,
        required: false,
        description: 'ALL_OR_NOTHING (default) or GOOD_ROWS_ONLY.',
      }),
      source: t.arg.string({
        required: false,
        description: 'A name for the file, recorded in tier history and audit.',
      }),
    },
    resolve: (_root, args, context) =>
      importCustomers(context, args.csv, {
        mode: args.mode ?? 'ALL_OR_NOTHING',
        source: args.source ?? 'GraphQL import',
      }),
  }),
);
