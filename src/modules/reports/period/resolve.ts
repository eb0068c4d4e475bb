// The fiscal period a report asks for (a year, a quarter or a month of it), checked, and the page
// bounds of a report's rows.
import type { UseCaseContext } from '../../../shared/context';
import { ValidationError } from '../../../shared/errors';
import { type FiscalPeriod } from '../../../shared/fiscal';
import { validateFiscalYear } from '../../../shared/fiscal';

export type PeriodInput = { fiscalYear: number; quarter?: number | null; month?: number | null };

export function resolvePeriod(context: UseCaseContext, input: PeriodInput): FiscalPeriod {
  const fiscalYear = validateFiscalYear(input.fiscalYear, 'period.fiscalYear');
  if (input.quarter != null && input.month != null)
    throw new ValidationError('period.month', 'give a quarter or a month, not both');
  if (input.quarter != null) {
    if (!Number.isInteger(input.quarter) || input.quarter < 1 || input.quarter > 4)
      throw new ValidationError('period.quarter', 'quarter is 1–4');
    return { kind: 'QUARTER', fiscalYear, quarter: input.quarter, month: null };
  }
  if (input.month != null) {
    if (!Number.isInteger(input.month) || input.month < 1 || input.month > 12)
      throw new ValidationError('period.month', 'month is 1–12 (counted from the fiscal year start)');
    return { kind: 'MONTH', fiscalYear, quarter: null, month: input.month };
  }
  return { kind: 'YEAR', fiscalYear, quarter: null, month: null };
}

/** The page a report answers: `first` rows (1–max, 100 by default) after `offset`. */
export function pageBounds(
  first: number | null | undefined,
  offset: number | null | undefined,
  max: number,
): { limit: number; offset: number } {
  const limit = first ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw new ValidationError('first', `first must be 1–${max}`);
  const skip = offset ?? 0;
  if (!Number.isInteger(skip) || skip < 0) throw new ValidationError('offset', 'offset must be 0 or more');
  return { limit, offset: skip };
}
