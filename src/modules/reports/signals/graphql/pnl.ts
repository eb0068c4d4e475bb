// The paid services' P&L and each account's net margin (paid margin less free spend).
import { accountScoped, builder } from '../../../../graphql/builder';
import { arrayConnection } from '../../../../shared/pagination';
import { CustomerRef } from '../../../customers/graphql';

import * as service from '../service';
import { PNL_DIMENSIONS, type AccountNet, type PnlDimension, type PnlGroup } from '../service';
import { PeriodInput } from '../../period/graphql';
import { readers } from './settings';

export const PnlDimensionEnum = builder.enumType('PnlDimension', {
  description: 'What the paid-services P&L can be grouped by.',
  values: {
    DEPARTMENT: { description: 'Providing department.' },
    SERVICE: { description: 'Paid service (value: service id).' },
    ACCOUNT: { description: 'Customer (value: account id).' },
    MONTH: { description: 'Fiscal month of acceptance.' },
  } satisfies Record<(typeof PNL_DIMENSIONS)[number], { description: string }>,
});

export const PnlRef = builder.objectRef<PnlGroup>('PaidServicePnl').implement({
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

export const NetRef = builder.objectRef<AccountNet>('AccountNetMargin').implement({
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

builder.queryFields((t) => ({
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
