// What booking a free service would do to the budget, before booking it. Changes nothing.
import { accountScoped, builder } from '../../../graphql/builder';
import * as service from '../service';
import { OverrunPolicyEnum } from './settings';
import { BudgetRef } from './budget';

export const PreviewRef = builder.objectRef<service.BookingPreview>('BookingPreview').implement({
  ...accountScoped<service.BookingPreview>((p) => p.accountId),
  description: 'What booking a free service would do to the budget. Nothing is changed.',
  fields: (t) => ({
    budget: t.field({
      type: BudgetRef,
      nullable: true,
      description: 'The budget that would be charged.',
      resolve: (p) => p.budget,
    }),
    fiscalYear: t.exposeInt('fiscalYear', { description: 'Fiscal year of the planned date.' }),
    settlementPrice: t.field({
      type: 'Money',
      nullable: true,
      description: 'Price that would be reserved.',
      resolve: (p) => p.settlementPrice,
    }),
    remainingBefore: t.field({
      type: 'Money',
      nullable: true,
      description: 'Remaining now.',
      resolve: (p) => p.remainingBefore,
    }),
    remainingAfter: t.field({
      type: 'Money',
      nullable: true,
      description: 'Remaining after the booking.',
      resolve: (p) => p.remainingAfter,
    }),
    overrunPolicy: t.field({
      type: OverrunPolicyEnum,
      description: 'The tier’s overrun policy.',
      resolve: (p) => p.policy,
    }),
    needsException: t.boolean({
      description: 'True when it would need an approved exception.',
      resolve: (p) => p.decision === 'NEEDS_EXCEPTION',
    }),
    wouldOverrun: t.boolean({
      description: 'True when it would take the budget past zero.',
      resolve: (p) => p.decision !== null && p.decision !== 'FITS',
    }),
    problems: t.stringList({
      description: 'Why it could not be booked at all (empty when it can).',
      resolve: (p) => p.problems,
    }),
  }),
});

builder.queryFields((t) => ({
  bookingPreview: t.field({
    type: PreviewRef,
    description:
      'The remaining budget before and after booking a free service, and whether it would need an exception. Changes nothing.',
    authScopes: { authenticated: true },
    args: {
      accountId: t.arg.id({ description: 'Account.' }),
      serviceId: t.arg.id({ description: 'Free service.' }),
      plannedDate: t.arg({ type: 'Date', description: 'Planned date (decides the fiscal year).' }),
    },
    resolve: (_root, args, context) =>
      service.previewBooking(context, {
        accountId: String(args.accountId),
        serviceId: String(args.serviceId),
        plannedDate: args.plannedDate,
      }),
  }),
}));
