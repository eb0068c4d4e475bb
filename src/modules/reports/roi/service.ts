// Per-account ROI and its sums by tier or CSM: the period resolved, the caller authorised (FINANCE,
// SALES_LEADER and ADMIN see every account; a CSM their own), the SQL report run and explained.
import type { UseCaseContext } from '../../../shared/context';
import { fiscalLabel, fiscalRange, type FiscalPeriod } from '../../../shared/fiscal';
import { formatMoney } from '../../../shared/money';
import { csmScope } from '../../customers/access';
import { basisScope, DEFAULT_REPORT_BASIS, type ReportBasis } from '../period/basis';
import {
  roi,
  roiAggregate,
  type RoiAggregate,
  type RoiGrouping,
  type RoiRow,
  type RoiSort,
} from './repository';
import { pageBounds, resolvePeriod, type PeriodInput } from '../period/resolve';

export const ROI_ROWS_MAX = 1000;

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

export { ROI_GROUPINGS, ROI_SORTS, type RoiAggregate, type RoiSort, type Uplift } from './repository';
