// GraphQL for per-account ROI (input against output) and its sums by tier or CSM.
import { accountScoped, builder } from '../../../graphql/builder';
import { optionalId, optionalIds } from '../../../shared/ids';
import { fiscalLabel } from '../../../shared/fiscal';
import { TierEnum, CustomerRef } from '../../customers/graphql';
import { PersonRef } from '../../teams/graphql';
import { ROI_GROUPINGS, ROI_SORTS, type RoiAggregate, type Uplift } from './service';
import * as service from './service';
import { countedConnection } from '../../../shared/pagination';
import { ReportBasisEnum, BASIS_ARG, PeriodInput } from '../period/graphql';

/** What the accountRoi and costAllocation connections carry beside their edges: the report's own figures. */
export type RoiConnection = { answer: Awaited<ReturnType<typeof service.accountRoi>> };

export const RoiSortEnum = builder.enumType('RoiSort', {
  description: 'How to rank accounts by ROI (highest first; NAME alphabetical).',
  values: Object.fromEntries(
    ROI_SORTS.map((sort) => [sort, { description: sort.toLowerCase().replace(/_/g, ' ') }]),
  ) as Record<(typeof ROI_SORTS)[number], { description: string }>,
});

export const UpliftRef = builder.objectRef<Uplift>('RelationshipUplift').implement({
  description:
    'Change of each relationship dimension (1–5 scale) from the first to the last assessment of the period.',
  fields: (t) => ({
    relationshipCloseness: t.exposeInt('relationshipCloseness', { description: 'Closeness change.' }),
    solutionAcceptance: t.exposeInt('solutionAcceptance', { description: 'Solution acceptance change.' }),
    priceAcceptance: t.exposeInt('priceAcceptance', { description: 'Price acceptance change.' }),
  }),
});

export const RoiRef = builder.objectRef<service.RoiView>('AccountRoi').implement({
  ...accountScoped<service.RoiView>((r) => r.accountId),
  description:
    'One account’s input (free spend) against its output (relationship uplift, opportunities) in a fiscal period.',
  // eslint-disable-next-line max-lines-per-function -- a type's field list, one declaration per field, reads like the schema it prints
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

export const RoiGroupingEnum = builder.enumType('RoiGrouping', {
  description: 'How to aggregate ROI.',
  values: {
    TIER: { description: 'By the accounts’ current tier.' },
    CSM: { description: 'By the accounts’ current CSM (value: person id; null without one).' },
  } satisfies Record<(typeof ROI_GROUPINGS)[number], { description: string }>,
});

export const RoiAggregateRef = builder.objectRef<RoiAggregate>('RoiAggregate').implement({
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

builder.queryFields((t) => ({
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
              accountIds: optionalIds(args.accountIds, 'accountIds'),
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
