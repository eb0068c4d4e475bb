// The tiering policy of a fiscal year and the tier suggestions it gives.
import { accountScoped, builder } from '../../../graphql/builder';
import { arrayConnection } from '../../../shared/pagination';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../../graphql/errors';
import { type TieringPolicy } from '../rules';
import * as service from '../service';
import { TierEnum } from './tier';
import { CustomerRef } from './customer';

export const TieringPolicyRef = builder.objectRef<TieringPolicy>('TieringPolicy').implement({
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

export const TierSuggestionRef = builder.objectRef<service.TierSuggestionView>('TierSuggestion').implement({
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

export const SetTieringPolicyInput = builder.inputType('SetTieringPolicyInput', {
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

builder.queryFields((t) => ({
  tieringPolicy: t.field({
    type: TieringPolicyRef,
    nullable: true,
    description: 'The tiering policy of a fiscal year, if set.',
    authScopes: { authenticated: true },
    args: { fiscalYear: t.arg.int({ description: 'Fiscal year.' }) },
    resolve: (_root, args, context) => service.tieringPolicy(context, args.fiscalYear),
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
}));

builder.mutationFields((t) => ({
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
}));
