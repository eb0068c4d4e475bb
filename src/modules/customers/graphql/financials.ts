// An account's tiering figures per fiscal year, and setting them (ADMIN or FINANCE).
import { accountScoped, builder } from '../../../graphql/builder';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../../graphql/errors';
import type { CustomerFinancials } from '../service';
import * as service from '../service';
import { CustomerRef } from './customer';

export const FinancialsRef = builder.objectRef<CustomerFinancials>('CustomerFinancials').implement({
  ...accountScoped<CustomerFinancials>((f) => f.accountId),
  description: 'Figures used for tiering in one fiscal year.',
  fields: (t) => ({
    fiscalYear: t.exposeInt('fiscalYear', { description: 'Fiscal year.' }),
    contribution: t.field({
      type: 'Money',
      description: 'Contribution (revenue) in the year.',
      resolve: (f) => f.contribution,
    }),
    potential: t.field({
      type: 'Money',
      description: 'Estimated reachable revenue.',
      resolve: (f) => f.potential,
    }),
    currency: t.field({
      type: 'Currency',
      description: 'Currency of both figures.',
      resolve: (f) => f.currency,
    }),
  }),
});

export const SetFinancialsInput = builder.inputType('SetCustomerFinancialsInput', {
  description: 'Tiering figures of an account for a fiscal year (replaces earlier figures of that year).',
  fields: (t) => ({
    accountId: t.id({ description: 'Account.' }),
    fiscalYear: t.int({ description: 'Fiscal year.' }),
    contribution: t.field({ type: 'Money', description: 'Contribution (revenue), ≥ 0, 2 decimals.' }),
    potential: t.field({ type: 'Money', description: 'Estimated reachable revenue, ≥ 0, 2 decimals.' }),
    currency: t.field({
      type: 'Currency',
      required: false,
      description: 'Currency; the default when omitted.',
    }),
  }),
});

builder.mutationFields((t) => ({
  setCustomerFinancials: t.field({
    type: CustomerRef,
    description: 'Sets an account’s tiering figures for a fiscal year. ADMIN or FINANCE.',
    authScopes: { $any: { admin: true, finance: true } },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: SetFinancialsInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: async (_root, { input }, context) =>
      (
        await service.setCustomerFinancials(context, {
          ...input,
          accountId: String(input.accountId),
          currency: input.currency ?? context.config.defaultCurrency,
        })
      ).accountId,
  }),
}));
