// The tier: its enum, an account's tier history, and changing a tier (with the blockers that refuse it).
import { accountScoped, builder } from '../../../graphql/builder';
import { optionalId } from '../../../shared/ids';
import { COMMON_MUTATION_ERRORS, ErrorInterface, INPUT_ARG_DESCRIPTION } from '../../../graphql/errors';
import type { TierChange } from '../service';
import { TIER_MEANINGS, TIERS, type TierChangeBlocker } from '../rules';
import * as service from '../service';
import { CustomerRef } from './customer';

export const TierEnum = builder.enumType('Tier', {
  description: 'Customer tier. A and C are key accounts (CSM, free expert services, operating budget).',
  values: Object.fromEntries(
    TIERS.map((tier) => [
      tier,
      {
        description: `${TIER_MEANINGS[tier].meaning} (${TIER_MEANINGS[tier].group.toLowerCase().replace('_', ' ')})`,
      },
    ]),
  ) as Record<(typeof TIERS)[number], { description: string }>,
});

export const TierChangeRef = builder.objectRef<TierChange>('TierChange').implement({
  ...accountScoped<TierChange>((c) => c.accountId),
  description: 'One entry of an account’s effective-dated tier history.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Sequence number.' }),
    fromTier: t.field({
      type: TierEnum,
      nullable: true,
      description: 'Tier before (null for the first entry).',
      resolve: (c) => c.fromTier,
    }),
    toTier: t.field({ type: TierEnum, description: 'Tier from then on.', resolve: (c) => c.toTier }),
    effectiveFrom: t.field({
      type: 'DateTime',
      description: 'When the tier took effect.',
      resolve: (c) => c.effectiveFrom,
    }),
    changedByUserId: t.exposeID('changedBy', { nullable: true, description: 'User who changed it.' }),
    reason: t.exposeString('reason', { description: 'Why.' }),
  }),
});

export const TierChangeBlockerRef = builder.objectRef<TierChangeBlocker>('TierChangeBlocker').implement({
  description: 'A key-account resource that must be resolved before the account leaves A/C.',
  fields: (t) => ({
    resource: t.exposeString('resource', { description: 'CSM, OPEN_BOOKINGS or BUDGET.' }),
    message: t.exposeString('message', { description: 'What to do about it.' }),
  }),
});

builder.objectType(service.TierChangeBlockedError, {
  name: 'TierChangeBlockedError',
  description: 'The account still holds key-account resources; each blocker says what to resolve first.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof service.TierChangeBlockedError,
  fields: (t) => ({
    blockers: t.field({
      type: [TierChangeBlockerRef],
      description: 'What blocks the change.',
      resolve: (e) => e.blockers,
    }),
  }),
});

export const ChangeTierInput = builder.inputType('ChangeTierInput', {
  description:
    'A tier change. Leaving A/C is refused while the account holds key-account resources, unless released here.',
  fields: (t) => ({
    accountId: t.id({ description: 'Account.' }),
    tier: t.field({ type: TierEnum, description: 'New tier.' }),
    reason: t.string({ description: 'Why (required, recorded in the history).' }),
    releaseCsm: t.boolean({
      required: false,
      description: 'Release the CSM together with a move out of A/C.',
    }),
    channelPartnerId: t.id({
      required: false,
      description: 'The partner who will serve the account (needed when moving to E without one).',
    }),
  }),
});

builder.queryFields((t) => ({
  tierHistory: t.field({
    type: [TierChangeRef],
    description: 'An account’s tier history, newest first.',
    authScopes: { authenticated: true },
    args: { accountId: t.arg.id({ description: 'Account id.' }) },
    resolve: (_root, args, context) => service.tierHistory(context, String(args.accountId)),
  }),
}));

builder.mutationFields((t) => ({
  changeTier: t.field({
    type: CustomerRef,
    description: 'Changes an account’s tier with a reason, recorded in its history. ADMIN or SALES_LEADER.',
    authScopes: { $any: { admin: true, salesLeader: true } },
    errors: { types: [service.TierChangeBlockedError, ...COMMON_MUTATION_ERRORS] },
    args: { input: t.arg({ type: ChangeTierInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.changeTier(context, {
        ...input,
        accountId: String(input.accountId),
        channelPartnerId: optionalId(input.channelPartnerId, 'input.channelPartnerId'),
      }),
  }),
}));
