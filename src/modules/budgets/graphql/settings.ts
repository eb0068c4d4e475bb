// The year's operating ratio and each key-account tier's overrun policy: read by all, set by FINANCE.
import { builder } from '../../../graphql/builder';
import { COMMON_MUTATION_ERRORS } from '../../../graphql/errors';
import { TierEnum } from '../../customers/graphql';
import * as service from '../service';
import type { Decimal } from '../../../shared/money';

export const OverrunPolicyEnum = builder.enumType('OverrunPolicy', {
  description: 'What happens when a booking is larger than the remaining budget.',
  values: {
    STOP: { description: 'Refused unless filed as an exception that a SALES_LEADER approves (the default).' },
    WARN: { description: 'Allowed and flagged as an overrun.' },
  },
});

export const OperatingRatioRef = builder
  .objectRef<{ fiscalYear: number; ratio: Decimal }>('OperatingRatio')
  .implement({
    description: 'The default operating ratio of a fiscal year: budget = revenue target × ratio.',
    fields: (t) => ({
      fiscalYear: t.exposeInt('fiscalYear', { description: 'Fiscal year.' }),
      ratio: t.field({ type: 'Decimal', description: 'Ratio (0.02 = 2%).', resolve: (r) => r.ratio }),
    }),
  });

export const OverrunSettingRef = builder
  .objectRef<{ tier: 'A' | 'B' | 'C' | 'D' | 'E'; policy: 'STOP' | 'WARN' }>('OverrunPolicySetting')
  .implement({
    description: 'The overrun policy of a key-account tier.',
    fields: (t) => ({
      tier: t.field({ type: TierEnum, description: 'A or C.', resolve: (r) => r.tier }),
      policy: t.field({ type: OverrunPolicyEnum, description: 'STOP or WARN.', resolve: (r) => r.policy }),
    }),
  });

builder.queryFields((t) => ({
  operatingRatio: t.field({
    type: 'Decimal',
    nullable: true,
    description: 'The default operating ratio of a fiscal year (0.02 = 2%), if set.',
    authScopes: { authenticated: true },
    args: { fiscalYear: t.arg.int({ description: 'Fiscal year.' }) },
    resolve: (_root, args, context) => service.operatingRatioOf(context, args.fiscalYear),
  }),
  overrunPolicy: t.field({
    type: OverrunPolicyEnum,
    description: 'The overrun policy of a key-account tier (STOP unless set).',
    authScopes: { authenticated: true },
    args: { tier: t.arg({ type: TierEnum, description: 'A or C.' }) },
    resolve: (_root, args, context) => service.overrunPolicyOf(context, args.tier),
  }),
}));

builder.mutationFields((t) => ({
  setOperatingRatio: t.field({
    type: OperatingRatioRef,
    description: 'Sets the default operating ratio of a fiscal year (0.02 = 2%). FINANCE only.',
    authScopes: { finance: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: {
      fiscalYear: t.arg.int({ description: 'Fiscal year.' }),
      ratio: t.arg({ type: 'Decimal', description: 'Ratio, > 0 and ≤ 1.' }),
    },
    resolve: (_root, args, context) => service.setOperatingRatio(context, args),
  }),
  setOverrunPolicy: t.field({
    type: OverrunSettingRef,
    description: 'Sets the overrun policy of a key-account tier. FINANCE only.',
    authScopes: { finance: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: {
      tier: t.arg({ type: TierEnum, description: 'A or C.' }),
      policy: t.arg({ type: OverrunPolicyEnum, description: 'STOP or WARN.' }),
    },
    resolve: (_root, args, context) => service.setOverrunPolicy(context, args),
  }),
}));
