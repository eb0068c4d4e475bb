// Burn-rate forecasts: where each budget's spend is heading by the end of the fiscal year.
import { accountScoped, builder } from '../../../../graphql/builder';
import { optionalId } from '../../../../shared/ids';
import { arrayConnection } from '../../../../shared/pagination';
import { BudgetRef } from '../../../budgets/graphql';

import * as service from '../service';

export const BurnRef = builder.objectRef<service.BurnView>('BurnForecast').implement({
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

builder.queryFields((t) => ({
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
}));
