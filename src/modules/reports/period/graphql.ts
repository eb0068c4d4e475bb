// The fiscal period a report asks for and the basis it reads the period on (shared by every report).
import { builder } from '../../../graphql/builder';
import { DEFAULT_REPORT_BASIS, type ReportBasis } from './basis';

export const ReportBasisEnum = builder.enumType('ReportBasis', {
  description:
    'Which ledger entries a fiscal period of a budget report holds (cost allocation, ROI). Outcomes (assessments, opportunities) always count by their dates in the period.',
  values: {
    BUDGET_YEAR: {
      description:
        'The default: entries against the budgets of the period’s fiscal year, whenever posted (next year’s allocation made in December belongs to next year); a quarter or month narrows them to those posted in it.',
    },
    POSTING_PERIOD: {
      description: 'Every entry posted in the period, whichever fiscal year’s budget it is against.',
    },
  } satisfies Record<ReportBasis, { description: string }>,
});

export const BASIS_ARG = {
  type: ReportBasisEnum,
  required: false,
  defaultValue: DEFAULT_REPORT_BASIS,
  description: 'By budget year (default) or by posting period.',
} as const;

export const PeriodInput = builder.inputType('FiscalPeriodInput', {
  description: 'A fiscal year, or one quarter or month of it.',
  fields: (t) => ({
    fiscalYear: t.int({ description: 'Fiscal year.' }),
    quarter: t.int({ required: false, description: 'Quarter 1–4.' }),
    month: t.int({ required: false, description: 'Month 1–12, counted from the fiscal year start.' }),
  }),
});
