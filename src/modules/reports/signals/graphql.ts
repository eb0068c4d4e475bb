// GraphQL for fairness signals, burn-rate forecasts, tier review proposals and the paid P&L.
import { accountScoped, builder } from '../../../graphql/builder';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../../graphql/errors';
import { optionalId } from '../../../shared/ids';
import { arrayConnection } from '../../../shared/pagination';
import { CustomerRef, TierEnum } from '../../customers/graphql';
import { BudgetRef } from '../../budgets/graphql';
import type { ReportSettings } from './rules';

import * as service from './service';
import { PNL_DIMENSIONS, type AccountNet, type PnlDimension, type PnlGroup } from './service';
import { PeriodInput } from '../period/graphql';

const SettingsRef = builder.objectRef<ReportSettings>('ReportSettings').implement({
  description:
    'Thresholds of the fairness signals, burn-rate flags and tier review proposals (FINANCE sets them).',
  fields: (t) => ({
    overShareFactor: t.field({
      type: 'Decimal',
      description: 'OVER_SERVED when spend share > this × max(target share, potential share).',
      resolve: (s) => s.overShareFactor,
    }),
    underPotentialShareMin: t.field({
      type: 'Decimal',
      description: 'UNDER_SERVED only for key accounts with at least this share of all potential.',
      resolve: (s) => s.underPotentialShareMin,
    }),
    underSpendFactor: t.field({
      type: 'Decimal',
      description: 'UNDER_SERVED when spend share < this × potential share.',
      resolve: (s) => s.underSpendFactor,
    }),
    underuseRatio: t.field({
      type: 'Decimal',
      description: 'LARGELY_UNUSED when projected spend < this × allocation.',
      resolve: (s) => s.underuseRatio,
    }),
    promotionUpliftMin: t.exposeInt('promotionUpliftMin', {
      description: 'C → A proposed from this total uplift with a won deal.',
    }),
    heavyUtilisation: t.field({
      type: 'Decimal',
      description: 'Heavy spend: budget utilisation at or above this.',
      resolve: (s) => s.heavyUtilisation,
    }),
  }),
});

const FairnessRef = builder.objectRef<service.FairnessView>('FairnessSignal').implement({
  ...accountScoped<service.FairnessView>((f) => f.accountId),
  description: 'An account whose free spend is out of line with its revenue target or potential.',
  fields: (t) => ({
    account: t.field({ type: CustomerRef, description: 'The account.', resolve: (f) => f.accountId }),
    kind: t.exposeString('kind', { description: 'OVER_SERVED or UNDER_SERVED.' }),
    reason: t.exposeString('reason', { description: 'The numbers and the threshold that triggered it.' }),
    spentAmount: t.field({
      type: 'Money',
      description: 'Free spend in the fiscal year.',
      resolve: (f) => f.spent,
    }),
    spendShare: t.field({
      type: 'Decimal',
      description: 'Share of all free spend.',
      resolve: (f) => f.spendShare,
    }),
    targetShare: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'Share of all revenue targets.',
      resolve: (f) => f.targetShare,
    }),
    potentialShare: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'Share of all potential.',
      resolve: (f) => f.potentialShare,
    }),
  }),
});

const BurnRef = builder.objectRef<service.BurnView>('BurnForecast').implement({
  ...accountScoped<service.BurnView>((b) => b.accountId),
  description: 'A budget’s spend projected to the fiscal year end.',
  fields: (t) => ({
    budget: t.field({ type: BudgetRef, description: 'The budget.', resolve: (b) => b.budgetId }),
    status: t.exposeString('status', { description: 'RUNS_OUT_EARLY, LARGELY_UNUSED or ON_TRACK.' }),
    projectedAmount: t.field({
      type: 'Money',
      description: 'Projected spend by the year end.',
      resolve: (b) => b.projected,
    }),
    runOutDate: t.field({
      type: 'Date',
      nullable: true,
      description: 'When it would run out at this pace.',
      resolve: (b) => b.runOutDate,
    }),
    explanation: t.exposeString('explanation', { description: 'How the projection was made.' }),
  }),
});

const ProposalRef = builder.objectRef<service.ProposalView>('TierReviewProposal').implement({
  ...accountScoped<service.ProposalView>((p) => p.accountId),
  description:
    'A candidate tier change from outcomes. Nothing changes until someone applies it with changeTier.',
  fields: (t) => ({
    account: t.field({ type: CustomerRef, description: 'The account.', resolve: (p) => p.accountId }),
    fromTier: t.field({ type: TierEnum, description: 'Tier now.', resolve: (p) => p.from }),
    toTier: t.field({ type: TierEnum, description: 'Tier proposed.', resolve: (p) => p.to }),
    period: t.exposeString('periodLabel', { description: 'The outcomes period.' }),
    reasons: t.exposeStringList('reasons', { description: 'The figures behind it.' }),
    budgetImpact: t.exposeStringList('budgetImpact', {
      description: 'What it would change in budgets and coverage.',
    }),
  }),
});

const PnlDimensionEnum = builder.enumType('PnlDimension', {
  description: 'What the paid-services P&L can be grouped by.',
  values: {
    DEPARTMENT: { description: 'Providing department.' },
    SERVICE: { description: 'Paid service (value: service id).' },
    ACCOUNT: { description: 'Customer (value: account id).' },
    MONTH: { description: 'Fiscal month of acceptance.' },
  } satisfies Record<(typeof PNL_DIMENSIONS)[number], { description: string }>,
});

const PnlRef = builder.objectRef<PnlGroup>('PaidServicePnl').implement({
  description: 'Accepted paid orders: revenue, internal cost and margin.',
  fields: (t) => ({
    keys: t.field({
      type: [
        builder.objectRef<{ dimension: PnlDimension; value: string | null }>('PnlKey').implement({
          description: 'One dimension’s value.',
          fields: (k) => ({
            dimension: k.field({
              type: PnlDimensionEnum,
              description: 'The dimension.',
              resolve: (x) => x.dimension,
            }),
            value: k.exposeString('value', { nullable: true, description: 'Its value.' }),
          }),
        }),
      ],
      description: 'The group’s keys.',
      resolve: (g) =>
        Object.entries(g.keys).map(([dimension, value]) => ({
          dimension: dimension as PnlDimension,
          value: value ?? null,
        })),
    }),
    orders: t.exposeInt('orders', { description: 'Orders accepted.' }),
    revenue: t.field({ type: 'Money', description: 'Revenue.', resolve: (g) => g.revenue }),
    internalCost: t.field({ type: 'Money', description: 'Internal cost.', resolve: (g) => g.internalCost }),
    margin: t.field({ type: 'Money', description: 'Revenue − internal cost.', resolve: (g) => g.margin }),
  }),
});

const NetRef = builder.objectRef<AccountNet>('AccountNetMargin').implement({
  ...accountScoped<AccountNet>((n) => n.accountId),
  description: 'An account’s paid-service margin net of the free investment in it.',
  fields: (t) => ({
    account: t.field({ type: CustomerRef, description: 'The account.', resolve: (n) => n.accountId }),
    paidMargin: t.field({
      type: 'Money',
      description: 'Margin of paid orders accepted in the period.',
      resolve: (n) => n.paidMargin,
    }),
    freeSpend: t.field({
      type: 'Money',
      description: 'Free-service spend posted in the period.',
      resolve: (n) => n.freeSpend,
    }),
    opportunityInvestment: t.field({
      type: 'Money',
      description: 'Pre-sales investment in its opportunities in the period.',
      resolve: (n) => n.opportunityInvestment,
    }),
    net: t.field({
      type: 'Money',
      description: 'paidMargin − freeSpend − opportunityInvestment.',
      resolve: (n) => n.net,
    }),
  }),
});

const readers = { $any: { finance: true, salesLeader: true, admin: true } } as const;

builder.queryFields((t) => ({
  reportSettings: t.field({
    type: SettingsRef,
    description: 'The report thresholds.',
    authScopes: readers,
    resolve: (_r, _a, context) => service.reportSettings(context),
  }),
  fairnessSignals: t.connection(
    {
      type: FairnessRef,
      description:
        'Over-served and under-served accounts of a fiscal year, with the numbers behind each flag.',
      authScopes: readers,
      args: { fiscalYear: t.arg.int({ description: 'Fiscal year.' }) },
      resolve: async (_root, args, context) =>
        arrayConnection(args, await service.fairnessSignals(context, args.fiscalYear)),
    },
    { description: 'A page of fairness signals.' },
    { description: 'A fairness signal and its cursor.' },
  ),
  burnForecasts: t.connection(
    {
      type: BurnRef,
      description:
        'Each budget of a fiscal year projected to the year end, flagging early run-outs and large underuse. FINANCE, SALES_LEADER and ADMIN see all; a CSM their own accounts.',
      authScopes: { authenticated: true },
      args: {
        fiscalYear: t.arg.int({ description: 'Fiscal year.' }),
        at: t.arg({
          type: 'DateTime',
          required: false,
          description: 'Project as of this instant (now when omitted).',
        }),
        accountId: t.arg.id({ required: false, description: 'Only this account’s budget.' }),
      },
      resolve: async (_root, args, context) =>
        arrayConnection(
          args,
          await service.burnRate(
            context,
            args.fiscalYear,
            args.at ?? null,
            optionalId(args.accountId, 'accountId') ?? null,
          ),
        ),
    },
    { description: 'A page of burn forecasts.' },
    { description: 'A burn forecast and its cursor.' },
  ),
  tierReviewProposals: t.connection(
    {
      type: ProposalRef,
      description:
        'Tier change candidates from a fiscal year’s outcomes, with their figures and budget impact. Changes nothing.',
      authScopes: readers,
      args: { fiscalYear: t.arg.int({ description: 'Fiscal year.' }) },
      resolve: async (_root, args, context) =>
        arrayConnection(args, await service.tierReviewProposals(context, args.fiscalYear)),
    },
    { description: 'A page of tier review proposals.' },
    { description: 'A proposal and its cursor.' },
  ),
  paidServicePnl: t.connection(
    {
      type: PnlRef,
      description: 'Revenue, internal cost and margin of paid orders accepted in a period, grouped.',
      authScopes: readers,
      args: {
        period: t.arg({ type: PeriodInput, description: 'The period (by acceptance).' }),
        groupBy: t.arg({ type: [PnlDimensionEnum], description: 'Dimensions.' }),
      },
      resolve: async (_root, args, context) =>
        arrayConnection(
          args,
          await service.paidServicePnl(context, { period: args.period, groupBy: args.groupBy }),
        ),
    },
    { description: 'A page of paid-service P&L groups.' },
    { description: 'A P&L group and its cursor.' },
  ),
  accountNetMargins: t.connection(
    {
      type: NetRef,
      description:
        'Per account: paid margin net of free spend and opportunity investment in a period, best first.',
      authScopes: readers,
      args: { period: t.arg({ type: PeriodInput, description: 'The period.' }) },
      resolve: async (_root, args, context) =>
        arrayConnection(args, await service.accountNetMargins(context, args.period)),
    },
    { description: 'A page of account net margins.' },
    { description: 'An account’s net margin and its cursor.' },
  ),
}));

const SettingsInput = builder.inputType('ReportSettingsInput', {
  description: 'New report thresholds (all of them).',
  fields: (t) => ({
    overShareFactor: t.field({ type: 'Decimal', description: '≥ 1.' }),
    underPotentialShareMin: t.field({ type: 'Decimal', description: 'Above 0, at most 1.' }),
    underSpendFactor: t.field({ type: 'Decimal', description: 'Between 0 and 1.' }),
    underuseRatio: t.field({ type: 'Decimal', description: 'Between 0 and 1.' }),
    promotionUpliftMin: t.int({ description: '1–12.' }),
    heavyUtilisation: t.field({ type: 'Decimal', description: 'Above 0, at most 1.' }),
  }),
});

builder.mutationField('setReportSettings', (t) =>
  t.field({
    type: SettingsRef,
    description: 'Sets the report thresholds. FINANCE only.',
    authScopes: { finance: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: SettingsInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) => service.setReportSettings(context, input),
  }),
);
