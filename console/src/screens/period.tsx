// The period every report asks for: a fiscal year, or one quarter or month of it, and the basis
// (entries of that year's budgets, or entries posted in the period). Shared by the reports.
import { useId } from 'react';
import { t } from '../i18n';
import { usePrefs } from '../prefs';

export type Basis = 'BUDGET_YEAR' | 'POSTING_PERIOD';
export type Period = { fiscalYear: number; quarter: number | null; month: number | null; basis: Basis };

const YEARS_BACK = 3;

/** The export endpoints' query parameters for a period. */
export function periodParams(period: Period): Record<string, string> {
  const params: Record<string, string> = {
    fiscalYear: String(period.fiscalYear),
    basis: period.basis.toLowerCase(),
  };
  if (period.quarter !== null) params.quarter = String(period.quarter);
  if (period.month !== null) params.month = String(period.month);
  return params;
}

export function PeriodPicker({ period, onChange }: { period: Period; onChange: (period: Period) => void }) {
  const { fiscalYear } = usePrefs();
  const id = useId();
  const years = Array.from({ length: YEARS_BACK + 2 }, (_, i) => fiscalYear + 1 - i);
  const part =
    period.quarter !== null ? `Q${period.quarter}` : period.month !== null ? `M${period.month}` : '';
  return (
    <>
      <label htmlFor={`${id}-year`}>{t('period.year')}</label>{' '}
      <select
        id={`${id}-year`}
        value={period.fiscalYear}
        onChange={(event) => onChange({ ...period, fiscalYear: Number(event.target.value) })}
      >
        {years.map((year) => (
          <option key={year} value={year}>
            {t('period.fiscalYear', { year })}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-part`}>{t('period.part')}</label>{' '}
      <select
        id={`${id}-part`}
        value={part}
        onChange={(event) => {
          const value = event.target.value;
          onChange({
            ...period,
            quarter: value.startsWith('Q') ? Number(value.slice(1)) : null,
            month: value.startsWith('M') ? Number(value.slice(1)) : null,
          });
        }}
      >
        <option value="">{t('period.wholeYear')}</option>
        {[1, 2, 3, 4].map((quarter) => (
          <option key={quarter} value={`Q${quarter}`}>
            {t('period.quarter', { quarter })}
          </option>
        ))}
        {Array.from({ length: 12 }, (_, i) => i + 1).map((month) => (
          <option key={month} value={`M${month}`}>
            {t('period.month', { month })}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-basis`}>{t('period.basis')}</label>{' '}
      <select
        id={`${id}-basis`}
        value={period.basis}
        onChange={(event) => onChange({ ...period, basis: event.target.value as Basis })}
      >
        <option value="BUDGET_YEAR">{t('period.basis.BUDGET_YEAR')}</option>
        <option value="POSTING_PERIOD">{t('period.basis.POSTING_PERIOD')}</option>
      </select>
    </>
  );
}
