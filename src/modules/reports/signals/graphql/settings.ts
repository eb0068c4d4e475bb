// The thresholds of the signals, read and set by the roles that read the reports.
import { builder } from '../../../../graphql/builder';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../../../graphql/errors';
import type { ReportSettings } from '../rules';

import * as service from '../service';

export const SettingsRef = builder.objectRef<ReportSettings>('ReportSettings').implement({
  description:
    'Thresholds of the fairness signals, burn-rate flags and tier review proposals (FINANCE sets them).',
  fields: (t) => ({
    overShareFactor: t.field({
      type: 'Decimal',
      description: 'OVER_SERVED when spend share > this × max(target share, potential share).',
      resolve: (s) => s.overShareFactor,
    }),
    underPotentialShareMin: t.field({
      type: 'Decimal',
      description: 'UNDER_SERVED only for key accounts with at least this share of all potential.',
      resolve: (s) => s.underPotentialShareMin,
    }),
    underSpendFactor: t.field({
      type: 'Decimal',
      description: 'UNDER_SERVED when spend share < this × potential share.',
      resolve: (s) => s.underSpendFactor,
    }),
    underuseRatio: t.field({
      type: 'Decimal',
      description: 'LARGELY_UNUSED when projected spend < this × allocation.',
      resolve: (s) => s.underuseRatio,
    }),
    promotionUpliftMin: t.exposeInt('promotionUpliftMin', {
      description: 'C → A proposed from this total uplift with a won deal.',
    }),
    heavyUtilisation: t.field({
      type: 'Decimal',
      description: 'Heavy spend: budget utilisation at or above this.',
      resolve: (s) => s.heavyUtilisation,
    }),
  }),
});

export const readers = { $any: { finance: true, salesLeader: true, admin: true } } as const;

export const SettingsInput = builder.inputType('ReportSettingsInput', {
  description: 'New report thresholds (all of them).',
  fields: (t) => ({
    overShareFactor: t.field({ type: 'Decimal', description: '≥ 1.' }),
    underPotentialShareMin: t.field({ type: 'Decimal', description: 'Above 0, at most 1.' }),
    underSpendFactor: t.field({ type: 'Decimal', description: 'Between 0 and 1.' }),
    underuseRatio: t.field({ type: 'Decimal', description: 'Between 0 and 1.' }),
    promotionUpliftMin: t.int({ description: '1–12.' }),
    heavyUtilisation: t.field({ type: 'Decimal', description: 'Above 0, at most 1.' }),
  }),
});

builder.mutationField('setReportSettings', (t) =>
  t.field({
    type: SettingsRef,
    description: 'Sets the report thresholds. FINANCE only.',
    authScopes: { finance: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: SettingsInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) => service.setReportSettings(context, input),
  }),
);

builder.queryFields((t) => ({
  reportSettings: t.field({
    type: SettingsRef,
    description: 'The report thresholds.',
    authScopes: readers,
    resolve: (_r, _a, context) => service.reportSettings(context),
  }),
}));
