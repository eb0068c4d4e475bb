// GraphQL for the read side: cost allocation for finance and per-account ROI for sales leaders.
import { accountScoped, builder } from '../../graphql/builder';
import { requireId, optionalId } from '../../shared/ids';
import { fiscalLabel } from '../../shared/fiscal';
import { TierEnum, CustomerRef } from '../customers/graphql';
import { EffectEnum } from '../catalog/graphql';
import { EntryKindEnum } from '../budgets/graphql';
import { PersonRef } from '../teams/graphql';
import { DIMENSIONS, type AllocationGroup, type Dimension, type Measures } from './allocation';
import { DEFAULT_REPORT_BASIS, type ReportBasis } from './basis';
import { ROI_GROUPINGS, ROI_SORTS, type RoiAggregate, type Uplift } from './roi';
import * as service from './service';
import { countedConnection } from '../../shared/pagination';

/** What the accountRoi and costAllocation connections carry beside their edges: the report's own figures. */
type RoiConnection = { answer: Awaited<ReturnType<typeof service.accountRoi>> };
type AllocationConnection = { answer: service.AllocationView };

const DimensionEnum = builder.enumType('AllocationDimension', {
  description: 'What cost allocation can be grouped by.',
  values: {
    ACCOUNT: { description: 'The account (value: account id).' },
    TIER: { description: 'The account’s tier when the entry was posted.' },
    CSM: { description: 'The account’s CSM now (value: person id; null without one).' },
    TEAM: { description: 'The account’s expert team now (value: team id).' },
    DEPARTMENT: {
      description: 'The providing department of the booked service (null for entries without a booking).',
    },
    SERVICE: {
      description:
        'The booked service (value: service id; null for allocations, openings, adjustments, transfers).',
    },
    EFFECT: {
      description:
        'The service’s effect; a service with several effects splits each amount equally, leftover cents to the first effects alphabetically. Null for entries with no service behind them (allocations, openings, adjustments, transfers) and for services without effects.',
    },
    ENTRY_KIND: { description: 'The ledger entry kind.' },
    MONTH: { description: 'Fiscal month of posting (FY2026-M07).' },
    QUARTER: { description: 'Fiscal quarter of posting (FY2026-Q3).' },
    FISCAL_YEAR: { description: 'Fiscal year of posting (FY2026).' },
  } satisfies Record<(typeof DIMENSIONS)[number], { description: string }>,
});

export const ReportBasisEnum = builder.enumType('ReportBasis', {
  description:
    'Which ledger entries a fiscal period of a budget report holds (cost allocation, ROI). Outcomes (assessments, opportunities) always count by their dates in the period.',
  values: {
    BUDGET_YEAR: {
      description:
        'The default: entries against the budgets of the period’s fiscal year, whenever posted (next year’s allocation made in December belongs to next year); a quarter or month narrows them to those posted in it.',
    },
    POSTING_PERIOD: {
      description: 'Every entry posted in the period, whichever fiscal year’s budget it is against.',
    },
  } satisfies Record<ReportBasis, { description: string }>,
});

const BASIS_ARG = {
  type: ReportBasisEnum,
  required: false,
  defaultValue: DEFAULT_REPORT_BASIS,
  description: 'By budget year (default) or by posting period.',
} as const;

export const PeriodInput = builder.inputType('FiscalPeriodInput', {
  description: 'A fiscal year, or one quarter or month of it.',
  fields: (t) => ({
    fiscalYear: t.int({ description: 'Fiscal year.' }),
    quarter: t.int({ required: false, description: 'Quarter 1–4.' }),
    month: t.int({ required: false, description: 'Month 1–12, counted from the fiscal year start.' }),
  }),
});

const TotalsRef = builder.objectRef<Measures>('AllocationTotals').implement({
  description: 'Sums of ledger amounts.',
  fields: (t) => ({
    allocatedAmount: t.field({
      type: 'Money',
      description: 'Sum of changes to allocated.',
      resolve: (m) => m.allocatedAmount,
    }),
    reservedAmount: t.field({
      type: 'Money',
      description: 'Sum of changes to reserved (reservations minus releases).',
      resolve: (m) => m.reservedAmount,
    }),
    spentAmount: t.field({
      type: 'Money',
      description: 'Sum of spend (opening use and delivered costs).',
      resolve: (m) => m.spentAmount,
    }),
    entryCount: t.exposeInt('entryCount', {
      description:
        'Ledger entries in the group. An entry split across several effects is counted once, under its first effect alphabetically (0 under the others), so the groups’ counts add up to the grand total’s.',
    }),
  }),
});

const KeyRef = builder.objectRef<{ dimension: Dimension; value: string | null }>('AllocationKey').implement({
  description: 'One dimension’s value of a group.',
  fields: (t) => ({
    dimension: t.field({ type: DimensionEnum, description: 'The dimension.', resolve: (k) => k.dimension }),
    value: t.exposeString('value', {
      nullable: true,
      description: 'Its value (an id, a code or a period label); null where none applies.',
    }),
  }),
});

const GroupRef = builder.objectRef<AllocationGroup>('AllocationGroup').implement({
  description: 'One group of the allocation.',
  fields: (t) => ({
    keys: t.field({
      type: [KeyRef],
      description: 'The group’s value for each dimension, in the order asked.',
      resolve: (g) =>
        Object.entries(g.keys).map(([dimension, value]) => ({
          dimension: dimension as Dimension,
          value: value ?? null,
        })),
    }),
    totals: t.field({ type: TotalsRef, description: 'The group’s sums.', resolve: (g) => g }),
  }),
});

const AllocationFilterInput = builder.inputType('AllocationFilter', {
  description: 'Narrows what is allocated; all given conditions must hold.',
  fields: (t) => ({
    accountIds: t.idList({ required: false, description: 'Only these accounts.' }),
    tiers: t.field({
      type: [TierEnum],
      required: false,
      description: 'Only entries posted while the account had these tiers.',
    }),
    csmPersonIds: t.idList({ required: false, description: 'Only accounts of these CSMs.' }),
    serviceIds: t.idList({ required: false, description: 'Only these services.' }),
    effects: t.field({
      type: [EffectEnum],
      required: false,
      description: 'Only these effects (amounts are the effect’s share).',
    }),
    kinds: t.field({ type: [EntryKindEnum], required: false, description: 'Only these entry kinds.' }),
  }),
});

const RoiSortEnum = builder.enumType('RoiSort', {
  description: 'How to rank accounts by ROI (highest first; NAME alphabetical).',
  values: Object.fromEntries(
    ROI_SORTS.map((sort) => [sort, { description: sort.toLowerCase().replace(/_/g, ' ') }]),
  ) as Record<(typeof ROI_SORTS)[number], { description: string }>,
});

const UpliftRef = builder.objectRef<Uplift>('RelationshipUplift').implement({
  description:
    'Change of each relationship dimension (1–5 scale) from the first to the last assessment of the period.',
  fields: (t) => ({
    relationshipCloseness: t.exposeInt('relationshipCloseness', { description: 'Closeness change.' }),
    solutionAcceptance: t.exposeInt('solutionAcceptance', { description: 'Solution acceptance change.' }),
    priceAcceptance: t.exposeInt('priceAcceptance', { description: 'Price acceptance change.' }),
  }),
});

const RoiRef = builder.objectRef<service.RoiView>('AccountRoi').implement({
  ...accountScoped<service.RoiView>((r) => r.accountId),
  description:
    'One account’s input (free spend) against its output (relationship uplift, opportunities) in a fiscal period.',
  fields: (t) => ({
    account: t.field({ type: CustomerRef, description: 'The account.', resolve: (r) => r.accountId }),
    tier: t.field({ type: TierEnum, description: 'Tier now.', resolve: (r) => r.tier as never }),
    csm: t.field({ type: PersonRef, nullable: true, description: 'CSM now.', resolve: (r) => r.csmPersonId }),
    period: t.exposeString('periodLabel', { description: 'Fiscal period label.' }),
    spentAmount: t.field({
      type: 'Money',
      description: 'Free spend posted in the period.',
      resolve: (r) => r.spent,
    }),
    reservedAmount: t.field({
      type: 'Money',
      description: 'Reserved at the period’s end (shown apart).',
      resolve: (r) => r.reservedAtEnd,
    }),
    budgetUtilisation: t.field({
      type: 'Decimal',
      nullable: true,
      description:
        'FY budget spent ÷ allocated up to the period’s end. A ratio (1 = 100%), rounded half away from zero to 4 decimal places; null when nothing is allocated.',
      resolve: (r) => r.utilisation,
    }),
    assessments: t.exposeInt('assessments', { description: 'Assessments dated in the period.' }),
    uplift: t.field({
      type: UpliftRef,
      nullable: true,
      description: 'Uplift (needs two assessments in the period).',
      resolve: (r) => r.uplift,
    }),
    hatchedAmount: t.field({
      type: 'Money',
      description: 'Opportunities hatched in the period.',
      resolve: (r) => r.hatched,
    }),
    registeredAmount: t.field({
      type: 'Money',
      description: 'Opportunities registered in the period.',
      resolve: (r) => r.registered,
    }),
    wonAmount: t.field({
      type: 'Money',
      description: 'Opportunities won in the period.',
      resolve: (r) => r.won,
    }),
    pipelineAmount: t.field({
      type: 'Money',
      description: 'Open opportunities (hatched or registered) hatched by the period’s end.',
      resolve: (r) => r.pipeline,
    }),
    wonPerSpend: t.field({
      type: 'Decimal',
      nullable: true,
      description:
        'Won ÷ spent, rounded half away from zero to 4 decimal places; null when nothing was spent.',
      resolve: (r) => r.wonPerSpend,
    }),
    pipelinePerSpend: t.field({
      type: 'Decimal',
      nullable: true,
      description:
        'Pipeline ÷ spent, rounded half away from zero to 4 decimal places; null when nothing was spent.',
      resolve: (r) => r.pipelinePerSpend,
    }),
    upliftPer10k: t.field({
      type: 'Decimal',
      nullable: true,
      description:
        'Total uplift (points on the 1–5 scales) ÷ (spent ÷ 10,000), rounded half away from zero to 4 decimal places; null when nothing was spent or there is no uplift.',
      resolve: (r) => r.upliftPer10k,
    }),
    explanation: t.stringList({
      description: 'How each figure was computed: period, entries, assessments used.',
      resolve: (r) => r.explanation,
    }),
  }),
});

const RoiGroupingEnum = builder.enumType('RoiGrouping', {
  description: 'How to aggregate ROI.',
  values: {
    TIER: { description: 'By the accounts’ current tier.' },
    CSM: { description: 'By the accounts’ current CSM (value: person id; null without one).' },
  } satisfies Record<(typeof ROI_GROUPINGS)[number], { description: string }>,
});

const RoiAggregateRef = builder.objectRef<RoiAggregate>('RoiAggregate').implement({
  description: 'ROI summed over a group of accounts; ratios are of the sums.',
  fields: (t) => ({
    key: t.exposeString('key', { nullable: true, description: 'The tier, or the CSM’s person id.' }),
    accounts: t.exposeInt('accounts', { description: 'Accounts in the group.' }),
    spentAmount: t.field({
      type: 'Money',
      description: 'Free spend in the period.',
      resolve: (a) => a.spent,
    }),
    reservedAmount: t.field({
      type: 'Money',
      description: 'Reserved at the period’s end.',
      resolve: (a) => a.reservedAtEnd,
    }),
    hatchedAmount: t.field({
      type: 'Money',
      description: 'Hatched in the period.',
      resolve: (a) => a.hatched,
    }),
    registeredAmount: t.field({
      type: 'Money',
      description: 'Registered in the period.',
      resolve: (a) => a.registered,
    }),
    wonAmount: t.field({ type: 'Money', description: 'Won in the period.', resolve: (a) => a.won }),
    pipelineAmount: t.field({ type: 'Money', description: 'Open pipeline.', resolve: (a) => a.pipeline }),
    totalUplift: t.exposeInt('totalUplift', {
      description: 'Sum of the three dimensions’ uplift over accounts with two assessments.',
    }),
    assessedAccounts: t.exposeInt('assessedAccounts', {
      description: 'Accounts with an uplift (two assessments in the period).',
    }),
    wonPerSpend: t.field({
      type: 'Decimal',
      nullable: true,
      description:
        'Σ won ÷ Σ spent, rounded half away from zero to 4 decimal places; null when nothing was spent.',
      resolve: (a) => a.wonPerSpend,
    }),
    pipelinePerSpend: t.field({
      type: 'Decimal',
      nullable: true,
      description:
        'Σ pipeline ÷ Σ spent, rounded half away from zero to 4 decimal places; null when nothing was spent.',
      resolve: (a) => a.pipelinePerSpend,
    }),
  }),
});

const ids = (values: readonly (string | number)[] | null | undefined, field: string) =>
  values ? values.map((value, index) => requireId(String(value), `${field}.${index}`)) : null;

builder.queryFields((t) => ({
  costAllocation: t.connection(
    {
      type: GroupRef,
      description:
        'Ledger amounts of a fiscal period grouped by any combination of dimensions, a page of groups at a time, ordered by their keys. FINANCE, SALES_LEADER, ADMIN.',
      authScopes: { $any: { finance: true, salesLeader: true, admin: true } },
      args: {
        period: t.arg({ type: PeriodInput, description: 'The period; `basis` says which entries it holds.' }),
        basis: t.arg(BASIS_ARG),
        groupBy: t.arg({
          type: [DimensionEnum],
          description: 'Dimensions, at most 6 (none: one grand group).',
        }),
        filter: t.arg({ type: AllocationFilterInput, required: false, description: 'Conditions.' }),
      },
      resolve: (_root, args, context) => {
        const filter = args.filter ?? {};
        return countedConnection(args, (window) =>
          service
            .costAllocation(context, {
              period: args.period,
              groupBy: args.groupBy,
              filter: {
                accountIds: ids(filter.accountIds, 'filter.accountIds'),
                tiers: filter.tiers,
                csmPersonIds: ids(filter.csmPersonIds, 'filter.csmPersonIds'),
                serviceIds: ids(filter.serviceIds, 'filter.serviceIds'),
                effects: filter.effects,
                kinds: filter.kinds,
              },
              basis: args.basis,
              first: window.limit,
              offset: window.offset,
            })
            .then((report) => ({ ...report, nodes: report.groups, totalCount: report.totalGroups })),
        );
      },
    },
    {
      description: 'A page of allocation groups; the groups of all pages add up to grandTotal to the cent.',
      fields: (t) => ({
        period: t.string({
          description: 'Fiscal period label.',
          resolve: (c) => fiscalLabel((c as unknown as AllocationConnection).answer.period),
        }),
        basis: t.field({
          type: ReportBasisEnum,
          description: 'Which entries the period holds.',
          resolve: (c) => (c as unknown as AllocationConnection).answer.basis,
        }),
        grandTotal: t.field({
          type: TotalsRef,
          description: 'Totals over everything the filters select, on every page.',
          resolve: (c) => (c as unknown as AllocationConnection).answer.grandTotal,
        }),
      }),
    },
    { description: 'An allocation group and its cursor.' },
  ),
  roiSummary: t.field({
    type: [RoiAggregateRef],
    description: 'ROI aggregated by tier or by CSM for a fiscal period. A CSM gets their own accounts’ sums.',
    authScopes: { authenticated: true },
    args: {
      period: t.arg({ type: PeriodInput, description: 'The period.' }),
      groupBy: t.arg({ type: RoiGroupingEnum, description: 'TIER or CSM.' }),
      basis: t.arg(BASIS_ARG),
    },
    resolve: async (_root, args, context) =>
      (await service.roiSummary(context, { period: args.period, groupBy: args.groupBy, basis: args.basis }))
        .groups,
  }),
  accountRoi: t.connection(
    {
      type: RoiRef,
      description:
        'Per-account input against output for a fiscal period, ranked, a page at a time. FINANCE and SALES_LEADER see all; a CSM their own accounts.',
      authScopes: { authenticated: true },
      args: {
        period: t.arg({ type: PeriodInput, description: 'The period.' }),
        sort: t.arg({ type: RoiSortEnum, required: false, description: 'Ranking (default WON_PER_SPEND).' }),
        tiers: t.arg({
          type: [TierEnum],
          required: false,
          description: 'Only these tiers (key accounts and any account with spend are listed).',
        }),
        csmPersonId: t.arg.id({ required: false, description: 'Only this CSM’s accounts.' }),
        accountIds: t.arg.idList({ required: false, description: 'Only these accounts.' }),
        basis: t.arg(BASIS_ARG),
      },
      resolve: (_root, args, context) =>
        countedConnection(args, (window) =>
          service
            .accountRoi(context, {
              basis: args.basis,
              period: args.period,
              sort: args.sort,
              tiers: args.tiers,
              csmPersonId: optionalId(args.csmPersonId, 'csmPersonId') ?? null,
              accountIds: ids(args.accountIds, 'accountIds'),
              first: window.limit,
              offset: window.offset,
            })
            .then((report) => ({ ...report, nodes: report.rows })),
        ),
    },
    {
      description: 'A ranked page of account ROI, with the period and basis it is of.',
      fields: (t) => ({
        period: t.string({
          description: 'Fiscal period label.',
          resolve: (c) => fiscalLabel((c as unknown as RoiConnection).answer.period),
        }),
        basis: t.field({
          type: ReportBasisEnum,
          description: 'Which entries the period holds.',
          resolve: (c) => (c as unknown as RoiConnection).answer.basis,
        }),
      }),
    },
    { description: 'An account’s ROI and its cursor.' },
  ),
}));
