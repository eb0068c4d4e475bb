// Cost allocation for finance: ledger amounts grouped by any combination of dimensions, in SQL.
// A service with several effects splits each amount across them in equal shares of whole cents;
// the leftover cents go to the effects first in alphabetical order, so an entry's shares always
// add up to the entry exactly and effect totals reconcile to the grand total to the cent.
import { DateTime } from 'luxon';
import type { Queryable } from '../../../db/transaction';
import type { FiscalCalendar } from '../../../shared/fiscal';
import { fromDatabase, type Decimal } from '../../../shared/money';
import type { BasisScope } from '../period/basis';

export const DIMENSIONS = [
  'ACCOUNT',
  'TIER',
  'CSM',
  'TEAM',
  'DEPARTMENT',
  'SERVICE',
  'EFFECT',
  'ENTRY_KIND',
  'MONTH',
  'QUARTER',
  'FISCAL_YEAR',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** SQL for each dimension's value; every value is text (or null: no service, no effect, no CSM). */
const DIMENSION_SQL: Record<Dimension, string> = {
  ACCOUNT: 'e.account_id::text',
  TIER: 'e.tier::text',
  CSM: 'c.csm_person_id::text',
  TEAM: 'c.expert_team_id::text',
  DEPARTMENT: 's.providing_department',
  SERVICE: 'b.service_id::text',
  EFFECT: 'x.effect',
  ENTRY_KIND: 'e.kind',
  MONTH: `'FY' || f.fiscal_year || '-M' || lpad(f.fiscal_month::text, 2, '0')`,
  QUARTER: `'FY' || f.fiscal_year || '-Q' || ((f.fiscal_month - 1) / 3 + 1)`,
  FISCAL_YEAR: `'FY' || f.fiscal_year`,
};

export type AllocationFilter = {
  accountIds?: readonly string[] | null;
  tiers?: readonly string[] | null;
  csmPersonIds?: readonly string[] | null;
  serviceIds?: readonly string[] | null;
  departments?: readonly string[] | null;
  effects?: readonly string[] | null;
  kinds?: readonly string[] | null;
};

export type AllocationRequest = {
  calendar: FiscalCalendar;
  from: Date;
  to: Date;
  /** Which entries the period holds (see basis.ts). */
  scope: BasisScope;
  groupBy: readonly Dimension[];
  filter: AllocationFilter;
  limit: number;
  offset: number;
};

/** Each service's effects ranked once (not per entry): rank decides who gets leftover cents. */
export const EFFECT_RANKS_CTE = `effect_ranks as (
      select service_id, effect, row_number() over (partition by service_id order by effect) as rank,
             count(*) over (partition by service_id) as n
        from expert_service_effects
    )`;

export type Measures = {
  allocatedAmount: Decimal;
  reservedAmount: Decimal;
  spentAmount: Decimal;
  entryCount: number;
};
export type AllocationGroup = Measures & { keys: Partial<Record<Dimension, string | null>> };
export type Allocation = { groups: AllocationGroup[]; totalGroups: number; grandTotal: Measures };

/** The whole-cent share of `column` for an effect of rank `x.rank` out of `x.n` (no split without effects). */
export function share(column: string): string {
  return `case when x.n is null then ${column}
    else sign(${column}) * (floor(abs(${column}) * 100 / x.n) + case when x.rank <= mod((abs(${column}) * 100)::bigint, x.n) then 1 else 0 end) / 100 end`;
}

function listFilter(
  column: string,
  values: readonly string[] | null | undefined,
  bindings: unknown[],
): string {
  if (!values || values.length === 0) return '';
  bindings.push(values.join('\u001f'));
  return ` and ${column} = any(string_to_array(?, chr(31)))`;
}

/** Dimensions the rollup keeps; grouping or filtering by account, CSM or team reads the ledger itself. */
const ROLLUP_DIMENSIONS: ReadonlySet<Dimension> = new Set([
  'TIER',
  'DEPARTMENT',
  'SERVICE',
  'EFFECT',
  'ENTRY_KIND',
  'MONTH',
  'QUARTER',
  'FISCAL_YEAR',
]);

export function usesRollup(request: Pick<AllocationRequest, 'groupBy' | 'filter'>): boolean {
  return (
    request.groupBy.every((dimension) => ROLLUP_DIMENSIONS.has(dimension)) &&
    !request.filter.accountIds?.length &&
    !request.filter.csmPersonIds?.length
  );
}

/** First day of the calendar month of an instant in the fiscal time zone (periods start on such days). */
function localMonth(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant).setZone(timeZone).startOf('month').toISODate()!;
}

/** Rolled-up rows, exposed under the aliases the dimension SQL uses (amounts already split by effect). */
function rollupRowsSql(request: AllocationRequest, bindings: unknown[]): string {
  bindings.push(request.calendar.startMonth);
  let where = '';
  if (request.scope.postedInPeriod) {
    bindings.push(
      localMonth(request.from, request.calendar.timeZone),
      localMonth(request.to, request.calendar.timeZone),
    );
    where += ' and r.month >= ?::date and r.month < ?::date';
  }
  if (request.scope.budgetYear !== null) {
    bindings.push(request.scope.budgetYear);
    where += ' and r.budget_year = ?';
  }
  where += commonConditions(request, bindings);
  const keys = request.groupBy.map((dimension, index) => `${DIMENSION_SQL[dimension]} as k${index}`);
  return `select ${keys.length ? `${keys.join(', ')},` : ''} r.allocated, r.reserved, r.spent, r.entries as counted
        from ledger_rollup_effects r
        cross join lateral (select r.tier, r.kind) e
        cross join lateral (select r.service_id) b
        cross join lateral (select r.effect) x
        left join expert_services s on s.id = r.service_id
        cross join lateral (select r.month - make_interval(months => ? - 1) as shifted) z
        cross join lateral (select extract(year from z.shifted)::int as fiscal_year, extract(month from z.shifted)::int as fiscal_month) f
       where true ${where}
      union all
      `;
}

export async function allocation(db: Queryable, request: AllocationRequest): Promise<Allocation> {
  const split = request.groupBy.includes('EFFECT') || (request.filter.effects?.length ?? 0) > 0;
  // With the rollup: rolled-up rows plus the entries still queued; otherwise the whole ledger.
  const rollup = usesRollup(request);
  const bindings: unknown[] = [];
  const rollupRows = rollup ? rollupRowsSql(request, bindings) : '';
  bindings.push(request.calendar.timeZone, request.calendar.startMonth);
  const where = entryConditions(request, bindings);
  const keys = request.groupBy.map((dimension, index) => `${DIMENSION_SQL[dimension]} as k${index}`);
  const groupColumns = request.groupBy.map((_, index) => `k${index}`);
  const sql = `
    with ${EFFECT_RANKS_CTE}, rows as (
      ${rollupRows}
      select ${keys.length ? `${keys.join(', ')},` : ''}
             ${share('e.allocated_delta')} as allocated, ${share('e.reserved_delta')} as reserved, ${share('e.spent_delta')} as spent,
             case when x.rank is null or x.rank = 1 then 1 else 0 end as counted
        from ledger_entries e
        ${rollup ? 'join ledger_rollup_queue q on q.entry_id = e.id' : ''}
        join customers c on c.id = e.account_id
        join budgets bu on bu.id = e.budget_id
        cross join lateral (select (e.created_at at time zone ?) - make_interval(months => ? - 1) as shifted) z
        cross join lateral (select extract(year from z.shifted)::int as fiscal_year, extract(month from z.shifted)::int as fiscal_month) f
        left join bookings b on b.id = e.booking_id
        left join expert_services s on s.id = b.service_id
        ${split ? 'left join effect_ranks x on x.service_id = b.service_id' : 'cross join (select null::text as effect, null::bigint as rank, null::bigint as n) x'}
       where true ${where}
    ), groups as (
      select ${groupColumns.length ? `${groupColumns.join(', ')},` : ''}
             sum(allocated) as allocated, sum(reserved) as reserved, sum(spent) as spent, sum(counted) as entries
        from rows ${groupColumns.length ? `group by ${groupColumns.join(', ')}` : ''}
    )
    select g.*, count(*) over () as total_groups,
           sum(g.allocated) over () as grand_allocated, sum(g.reserved) over () as grand_reserved,
           sum(g.spent) over () as grand_spent, sum(g.entries) over () as grand_entries
      from groups g
     ${groupColumns.length ? `order by ${groupColumns.map((c) => `${c} nulls last`).join(', ')}` : ''}
     limit ${Number(request.limit)} offset ${Number(request.offset)}`;
  const result = await db.raw(sql, bindings as never);
  const rows = result.rows as Record<string, string | null>[];
  const first = rows[0];
  return {
    totalGroups: first ? Number(first.total_groups) : 0,
    grandTotal: first
      ? grandTotalOf(first)
      : await grandTotalBeyondPage(db, sql, bindings, request.offset > 0),
    groups: rows.map((row) => ({
      keys: Object.fromEntries(
        request.groupBy.map((dimension, index) => [dimension, row[`k${index}`] ?? null]),
      ),
      allocatedAmount: fromDatabase(row.allocated),
      reservedAmount: fromDatabase(row.reserved),
      spentAmount: fromDatabase(row.spent),
      entryCount: Number(row.entries),
    })),
  };
}

/** The SQL conditions on a ledger entry for the period's basis and the filters, binding their values. */
function entryConditions(request: AllocationRequest, bindings: unknown[]): string {
  let where = '';
  if (request.scope.postedInPeriod) {
    bindings.push(request.from, request.to);
    where += ' and e.created_at >= ? and e.created_at < ?';
  }
  if (request.scope.budgetYear !== null) {
    bindings.push(request.scope.budgetYear);
    where += ' and bu.fiscal_year = ?';
  }
  where += listFilter('e.account_id::text', request.filter.accountIds, bindings);
  where += listFilter('c.csm_person_id::text', request.filter.csmPersonIds, bindings);
  return where + commonConditions(request, bindings);
}

/** The filters ledger entries and rolled-up rows share (under the same aliases), binding their values. */
function commonConditions(request: AllocationRequest, bindings: unknown[]): string {
  return (
    listFilter('e.tier::text', request.filter.tiers, bindings) +
    listFilter('b.service_id::text', request.filter.serviceIds, bindings) +
    listFilter('s.providing_department', request.filter.departments, bindings) +
    listFilter('e.kind', request.filter.kinds, bindings) +
    listFilter('x.effect', request.filter.effects, bindings)
  );
}

const NO_MEASURES: Measures = {
  allocatedAmount: fromDatabase('0'),
  reservedAmount: fromDatabase('0'),
  spentAmount: fromDatabase('0'),
  entryCount: 0,
};

/** The grand total every row of the answer carries (window sums over all groups). */
function grandTotalOf(row: Record<string, string | null>): Measures {
  return {
    allocatedAmount: fromDatabase(row.grand_allocated),
    reservedAmount: fromDatabase(row.grand_reserved),
    spentAmount: fromDatabase(row.grand_spent),
    entryCount: Number(row.grand_entries),
  };
}

/** A page past the last group still reports the grand total (asked again from the first row). */
async function grandTotalBeyondPage(
  db: Queryable,
  text: string,
  bindings: unknown[],
  beyond: boolean,
): Promise<Measures> {
  if (!beyond) return NO_MEASURES;
  const result = await db.raw(
    text.replace(/limit \d+ offset \d+\s*$/, 'limit 1 offset 0'),
    bindings as never,
  );
  const row = result.rows[0] as Record<string, string | null> | undefined;
  return row ? grandTotalOf(row) : NO_MEASURES;
}
