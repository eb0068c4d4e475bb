// Tier review proposals from the year's outcomes (they change nothing).
import { accountScoped, builder } from '../../../../graphql/builder';
import { arrayConnection } from '../../../../shared/pagination';
import { CustomerRef, TierEnum } from '../../../customers/graphql';

import * as service from '../service';
import { readers } from './settings';

export const ProposalRef = builder.objectRef<service.ProposalView>('TierReviewProposal').implement({
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

builder.queryFields((t) => ({
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
}));
