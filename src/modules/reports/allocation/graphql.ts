// GraphQL for cost allocation: ledger amounts of a period grouped by dimensions, for finance.
import { builder } from '../../../graphql/builder';
import { optionalIds } from '../../../shared/ids';
import { fiscalLabel } from '../../../shared/fiscal';
import { TierEnum } from '../../customers/graphql';
import { EffectEnum } from '../../catalog/graphql';
import { EntryKindEnum } from '../../budgets/graphql';
import { DIMENSIONS, type AllocationGroup, type Dimension, type Measures } from './service';
import * as service from './service';
import { countedConnection } from '../../../shared/pagination';
import { ReportBasisEnum, BASIS_ARG, PeriodInput } from '../period/graphql';

export type AllocationConnection = { answer: service.AllocationView };

export const DimensionEnum = builder.enumType('AllocationDimension', {
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

export const TotalsRef = builder.objectRef<Measures>('AllocationTotals').implement({
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

export const KeyRef = builder
  .objectRef<{ dimension: Dimension; value: string | null }>('AllocationKey')
  .implement({
    description: 'One dimension’s value of a group.',
    fields: (t) => ({
      dimension: t.field({ type: DimensionEnum, description: 'The dimension.', resolve: (k) => k.dimension }),
      value: t.exposeString('value', {
        nullable: true,
        description: 'Its value (an id, a code or a period label); null where none applies.',
      }),
    }),
  });

export const GroupRef = builder.objectRef<AllocationGroup>('AllocationGroup').implement({
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

export const AllocationFilterInput = builder.inputType('AllocationFilter', {
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
                accountIds: optionalIds(filter.accountIds, 'filter.accountIds'),
                tiers: filter.tiers,
                csmPersonIds: optionalIds(filter.csmPersonIds, 'filter.csmPersonIds'),
                serviceIds: optionalIds(filter.serviceIds, 'filter.serviceIds'),
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
}));
