// Report use cases: resolve the fiscal period, authorise (FINANCE, SALES_LEADER and ADMIN see
// everything; a CSM sees ROI for their own accounts only), and run the SQL reports.
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole, type Role } from '../../shared/auth';
import { ValidationError } from '../../shared/errors';
import { fiscalLabel, fiscalRange, type FiscalPeriod } from '../../shared/fiscal';
import { formatMoney } from '../../shared/money';
import { csmScope } from '../customers/access';
import { validateFiscalYear } from '../../shared/fiscal';
import { allocation, type Allocation, type AllocationFilter, type Dimension } from './allocation';
import { basisScope, DEFAULT_REPORT_BASIS, type ReportBasis } from './basis';
import { roi, roiAggregate, type RoiAggregate, type RoiGrouping, type RoiRow, type RoiSort } from './roi';

/** Who reads the cost and ROI reports (a CSM reads their own accounts' figures elsewhere). */
export const REPORT_READERS: readonly Role[] = ['FINANCE', 'SALES_LEADER', 'ADMIN'];

export const ALLOCATION_GROUPS_MAX = 1000;
export const ROI_ROWS_MAX = 1000;

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

function pageBounds(
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

export type AllocationView = Allocation & {
  period: FiscalPeriod;
  groupBy: readonly Dimension[];
  basis: ReportBasis;
};

export async function costAllocation(
  context: UseCaseContext,
  input: {
    period: PeriodInput;
    groupBy: readonly Dimension[];
    filter: AllocationFilter;
    basis?: ReportBasis | null;
    first?: number | null;
    offset?: number | null;
  },
): Promise<AllocationView> {
  requireAnyRole(context.actor, REPORT_READERS, 'cost allocation is for FINANCE and SALES_LEADER');
  const groupBy = [...new Set(input.groupBy)];
  if (groupBy.length > 6) throw new ValidationError('groupBy', 'group by at most 6 dimensions');
  const period = resolvePeriod(context, input.period);
  const range = fiscalRange(context.fiscalCalendar, period);
  const page = pageBounds(input.first, input.offset, ALLOCATION_GROUPS_MAX);
  const basis = input.basis ?? DEFAULT_REPORT_BASIS;
  const result = await allocation(context.db, {
    calendar: context.fiscalCalendar,
    from: range.start.toJSDate(),
    to: range.end.toJSDate(),
    scope: basisScope(basis, period),
    groupBy,
    filter: input.filter,
    ...page,
  });
  return { ...result, period, groupBy, basis };
}

export type RoiView = RoiRow & { explanation: string[]; periodLabel: string };

export async function accountRoi(
  context: UseCaseContext,
  input: {
    period: PeriodInput;
    sort?: RoiSort | null;
    tiers?: readonly string[] | null;
    csmPersonId?: string | null;
    accountIds?: readonly string[] | null;
    basis?: ReportBasis | null;
    first?: number | null;
    offset?: number | null;
  },
): Promise<{ rows: RoiView[]; totalCount: number; period: FiscalPeriod; basis: ReportBasis }> {
  const scope = csmScope(context.actor);
  const period = resolvePeriod(context, input.period);
  // A CSM's rows are their own accounts'; asking for another CSM's matches none of them, as any
  // list filter that matches nothing (no hint whose person id it is).
  const basis = input.basis ?? DEFAULT_REPORT_BASIS;
  if (scope && input.csmPersonId && input.csmPersonId !== scope)
    return { period, basis, totalCount: 0, rows: [] };
  const range = fiscalRange(context.fiscalCalendar, period);
  const page = pageBounds(input.first, input.offset, ROI_ROWS_MAX);
  const rows = await roi(context.db, {
    fiscalYear: period.fiscalYear,
    from: range.start.toJSDate(),
    to: range.end.toJSDate(),
    scope: basisScope(basis, period),
    firstDay: range.firstDay,
    lastDay: range.lastDay,
    tiers: input.tiers ?? null,
    csmPersonId: scope ?? input.csmPersonId ?? null,
    accountIds: input.accountIds ?? null,
    sort: input.sort ?? 'WON_PER_SPEND',
    ...page,
  });
  const label = fiscalLabel(period);
  const where = inputScope(basis, period);
  return {
    period,
    basis,
    totalCount: rows[0]?.totalRows ?? 0,
    rows: rows.map((row) => ({
      ...row,
      periodLabel: label,
      explanation: explain(row, label, where, range.firstDay, range.lastDay, context.fiscalCalendar.timeZone),
    })),
  };
}

/** Which ledger entries an ROI row's input counts, in words. */
function inputScope(basis: ReportBasis, period: FiscalPeriod): string {
  if (basis === 'POSTING_PERIOD') return 'posted in the period, against any fiscal year’s budget';
  const budgets = `against the FY${period.fiscalYear} budget`;
  return period.kind === 'YEAR' ? `${budgets}, whenever posted` : `${budgets} posted in the period`;
}

function explain(
  row: RoiRow,
  label: string,
  scope: string,
  firstDay: string,
  lastDay: string,
  timeZone: string,
): string[] {
  const lines = [
    `period ${label}: ${firstDay} to ${lastDay} (${timeZone})`,
    `input: ${formatMoney(row.spent)} spent in ${row.spendEntries} ledger entries ${scope} (opening use and delivered free services); ${formatMoney(row.reservedAtEnd)} still reserved at the period's end, shown apart`,
  ];
  lines.push(
    row.uplift
      ? `uplift: last assessment (${row.lastAssessedOn}) minus first (${row.firstAssessedOn}) of ${row.assessments} assessments dated in the period, on a 1–5 scale`
      : `uplift: not computed, it needs two assessments dated in the period (found ${row.assessments})`,
  );
  lines.push(
    `output: opportunities hatched ${formatMoney(row.hatched)}, registered ${formatMoney(row.registered)}, won ${formatMoney(row.won)} in the period; open pipeline ${formatMoney(row.pipeline)}`,
  );
  lines.push(
    row.spent.isZero()
      ? 'ratios: none, nothing was spent in the period'
      : 'ratios: won ÷ spent, pipeline ÷ spent, total uplift ÷ (spent ÷ 10,000), rounded to 4 decimals',
  );
  if (row.budgetAllocated)
    lines.push(
      `utilisation: FY budget spent ${formatMoney(row.budgetSpent!)} ÷ allocated ${formatMoney(row.budgetAllocated)} up to the period's end`,
    );
  return lines;
}

/** ROI summed by tier or CSM for a period. A CSM gets the sums of their own accounts. */
export async function roiSummary(
  context: UseCaseContext,
  input: { period: PeriodInput; groupBy: RoiGrouping; basis?: ReportBasis | null },
): Promise<{ period: FiscalPeriod; groups: RoiAggregate[] }> {
  const scope = csmScope(context.actor);
  const period = resolvePeriod(context, input.period);
  const range = fiscalRange(context.fiscalCalendar, period);
  const groups = await roiAggregate(
    context.db,
    {
      fiscalYear: period.fiscalYear,
      from: range.start.toJSDate(),
      to: range.end.toJSDate(),
      scope: basisScope(input.basis ?? DEFAULT_REPORT_BASIS, period),
      firstDay: range.firstDay,
      lastDay: range.lastDay,
      tiers: null,
      csmPersonId: scope,
      accountIds: null,
    },
    input.groupBy,
  );
  return { period, groups };
}
