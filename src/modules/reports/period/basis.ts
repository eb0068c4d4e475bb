// Two readings of a fiscal period in the budget reports (cost allocation, ROI):
// BUDGET_YEAR (the default) counts the entries against that fiscal year's budgets, whenever they
// were posted (next year's allocation made in December belongs to next year; a delivery posted in
// January against this year's budget belongs to this year); a quarter or month narrows them to
// those posted in it. POSTING_PERIOD counts every entry posted in the period, whichever year's
// budget it is against.
import type { FiscalPeriod } from '../../../shared/fiscal';

export const REPORT_BASES = ['BUDGET_YEAR', 'POSTING_PERIOD'] as const;
export type ReportBasis = (typeof REPORT_BASES)[number];
export const DEFAULT_REPORT_BASIS: ReportBasis = 'BUDGET_YEAR';

export type BasisScope = {
  /** Only entries against budgets of this fiscal year (null: any year's). */
  budgetYear: number | null;
  /** Only entries posted within the period's instants. */
  postedInPeriod: boolean;
};

export function basisScope(
  basis: ReportBasis,
  period: Pick<FiscalPeriod, 'fiscalYear' | 'kind'>,
): BasisScope {
  if (basis === 'POSTING_PERIOD') return { budgetYear: null, postedInPeriod: true };
  return { budgetYear: period.fiscalYear, postedInPeriod: period.kind !== 'YEAR' };
}
