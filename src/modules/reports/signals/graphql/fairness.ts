// Fairness signals: accounts whose free spend is far from their share of target or potential.
import { accountScoped, builder } from '../../../../graphql/builder';
import { arrayConnection } from '../../../../shared/pagination';
import { CustomerRef } from '../../../customers/graphql';

import * as service from '../service';
import { readers } from './settings';

export const FairnessRef = builder.objectRef<service.FairnessView>('FairnessSignal').implement({
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

builder.queryFields((t) => ({
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
}));
