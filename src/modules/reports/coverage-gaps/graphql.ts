// GraphQL for the coverage-gap report: every missing assignment across accounts.
import { accountScoped, builder } from '../../../graphql/builder';
import { CustomerRef } from '../../customers/graphql';
import { GapKindEnum } from '../../routing/graphql';
import * as service from './service';
import type { CoverageGapRow } from './service';

const CoverageGapRef = builder.objectRef<CoverageGapRow>('CoverageGap').implement({
  ...accountScoped<CoverageGapRow>((g) => g.accountId),
  description: 'A missing assignment on one account.',
  fields: (t) => ({
    kind: t.field({ type: GapKindEnum, description: 'What is missing.', resolve: (g) => g.kind }),
    account: t.field({ type: CustomerRef, description: 'The account.', resolve: (g) => g.accountId }),
    projectId: t.exposeID('projectId', { nullable: true, description: 'The project concerned, if any.' }),
    message: t.exposeString('message', { description: 'In words.' }),
  }),
});

builder.queryFields((t) => ({
  coverageGaps: t.connection(
    {
      type: CoverageGapRef,
      description:
        'Every missing assignment across accounts, key accounts first, a page at a time. A CSM sees their own accounts.',
      authScopes: { authenticated: true },
      args: {
        kinds: t.arg({ type: [GapKindEnum], required: false, description: 'Only these kinds of gap.' }),
      },
      resolve: (_root, args, context) => service.coverageGaps(context, args, args.kinds ?? null),
    },
    { description: 'A page of coverage gaps.' },
    { description: 'A coverage gap and its cursor.' },
  ),
}));
