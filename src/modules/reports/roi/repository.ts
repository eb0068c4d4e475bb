// Per-account input against output for a fiscal period, computed in one SQL statement.
// Input: free spend posted in the period (OPENING and SPEND entries), with the reservation at the
// period's end shown apart. Output: the uplift of each relationship dimension from the first to
// the last assessment dated in the period (needs two), and opportunity amounts hatched,
// registered and won in the period, plus the open pipeline. Ratios divide by the spend.
import type { Queryable } from '../../../db/transaction';
import type { BasisScope } from '../period/basis';
import { fromDatabase, type Decimal } from '../../../shared/money';

export const ROI_SORTS = [
  'WON_PER_SPEND',
  'PIPELINE_PER_SPEND',
  'UPLIFT_PER_10K',
  'SPENT',
  'WON',
  'UTILISATION',
  'NAME',
] as const;
export type RoiSort = (typeof ROI_SORTS)[number];

const SORT_SQL: Record<RoiSort, string> = {
  WON_PER_SPEND: 'won_per_spend desc nulls last',
  PIPELINE_PER_SPEND: 'pipeline_per_spend desc nulls last',
  UPLIFT_PER_10K: 'uplift_per_10k desc nulls last',
  SPENT: 'spent desc',
  WON: 'won desc',
  UTILISATION: 'utilisation desc nulls last',
  NAME: 'name asc',
};

export type RoiRequest = {
  fiscalYear: number;
  from: Date;
  to: Date;
  /** Which entries the period holds (see basis.ts). */
  scope: BasisScope;
  firstDay: string;
  lastDay: string;
  tiers: readonly string[] | null;
  csmPersonId: string | null;
  accountIds: readonly string[] | null;
  sort: RoiSort;
  limit: number;
  offset: number;
};

export type Uplift = { relationshipCloseness: number; solutionAcceptance: number; priceAcceptance: number };

export type RoiRow = {
  accountId: string;
  name: string;
  tier: string;
  csmPersonId: string | null;
  spent: Decimal;
  spendEntries: number;
  reservedAtEnd: Decimal;
  budgetAllocated: Decimal | null;
  budgetSpent: Decimal | null;
  utilisation: Decimal | null;
  assessments: number;
  firstAssessedOn: string | null;
  lastAssessedOn: string | null;
  uplift: Uplift | null;
  hatched: Decimal;
  registered: Decimal;
  won: Decimal;
  pipeline: Decimal;
  wonPerSpend: Decimal | null;
  pipelinePerSpend: Decimal | null;
  upliftPer10k: Decimal | null;
  totalRows: number;
};

const nullableDecimal = (value: string | null) => (value === null ? null : fromDatabase(value));

/** The per-account CTE shared by the ranking and the aggregates (ends with \`joined\`). */
// eslint-disable-next-line max-lines-per-function -- one SQL statement, read whole: each CTE feeds the next, and fragments would hide how
function roiBase(request: Omit<RoiRequest, 'sort' | 'limit' | 'offset'>): {
  sql: string;
  bindings: unknown[];
} {
  return {
    sql: `with params as (
       select ?::timestamptz as t_from, ?::timestamptz as t_to, ?::date as d_first, ?::date as d_last, ?::int as fy,
              date_trunc('month', ?::date)::date as m_first, (date_trunc('month', ?::date) + interval '1 month')::date as m_end,
              ?::boolean as posted_in_period, ?::int as budget_year
     ), flow as (
       -- One pass over rolled-up months plus still-queued entries (reports stay exact while the
       -- job catches up): spend, reservation, activity and fiscal-year budget progress per account.
       select u.account_id, u.budget_id, u.in_period, u.allocated, u.reserved, u.spent, u.spend_entries
         from (
           select rb.account_id, rb.budget_id, rb.month >= p.m_first or not p.posted_in_period as in_period,
                  rb.allocated, rb.reserved, rb.spent, rb.spend_entries
             from ledger_rollup_budgets rb, params p
            where rb.month < p.m_end or not p.posted_in_period
           union all
           select e.account_id, e.budget_id, e.created_at >= p.t_from or not p.posted_in_period,
                  e.allocated_delta, e.reserved_delta, e.spent_delta, case when e.spent_delta <> 0 then 1 else 0 end
             from ledger_rollup_queue q join ledger_entries e on e.id = q.entry_id, params p
            where e.created_at < p.t_to or not p.posted_in_period
         ) u
     ), per_account as (
       select f.account_id,
              -- in_year: the entry is against a budget the basis counts (any year's by posting period).
              coalesce(sum(f.spent) filter (where f.in_period and f.in_year), 0) as spent,
              coalesce(sum(f.spend_entries) filter (where f.in_period and f.in_year), 0) as spend_entries,
              coalesce(sum(f.reserved) filter (where f.in_year), 0) as reserved_at_end,
              sum(f.allocated) filter (where b.fiscal_year = p.fy) as budget_allocated,
              sum(f.spent) filter (where b.fiscal_year = p.fy) as budget_spent,
              bool_or(f.in_period and f.in_year) as active
         from flow f0 join budgets b on b.id = f0.budget_id, params p
        cross join lateral (select f0.*, p.budget_year is null or b.fiscal_year = p.budget_year as in_year) f
        -- By budget year (always the period's year, fy), other years' budgets add nothing to any
        -- column: they are dropped before the sums, which halves the rows summed on two years' data.
        where p.budget_year is null or b.fiscal_year = p.budget_year
        group by f.account_id
     ), accounts as (
       select c.id, c.name, c.tier, c.csm_person_id from customers c
        where (?::text is null or c.tier::text = any(string_to_array(?::text, ',')))
          and (?::uuid is null or c.csm_person_id = ?::uuid)
          and (?::text is null or c.id::text = any(string_to_array(?::text, ',')))
          and (c.tier in ('A', 'C') or c.id in (select account_id from per_account where active))
     ), dated as (
       select r.*, row_number() over (partition by r.account_id order by r.assessed_on, r.created_at) as first_rank,
              row_number() over (partition by r.account_id order by r.assessed_on desc, r.created_at desc) as last_rank,
              count(*) over (partition by r.account_id) as n
         from relationship_assessments r, params p
        where r.account_id in (select id from accounts) and r.assessed_on between p.d_first and p.d_last
     ), assessed as (
       select f.account_id, f.n, f.assessed_on as first_on, l.assessed_on as last_on,
              l.relationship_closeness - f.relationship_closeness as d_closeness,
              l.solution_acceptance - f.solution_acceptance as d_solution,
              l.price_acceptance - f.price_acceptance as d_price
         from dated f join dated l on l.account_id = f.account_id and l.last_rank = 1
        where f.first_rank = 1
     ), opps as (
       select o.account_id,
              coalesce(sum(o.amount) filter (where o.hatched_on between p.d_first and p.d_last), 0) as hatched,
              coalesce(sum(o.amount) filter (where o.registered_on between p.d_first and p.d_last), 0) as registered,
              coalesce(sum(o.amount) filter (where o.stage = 'WON' and o.closed_on between p.d_first and p.d_last), 0) as won,
              coalesce(sum(o.amount) filter (where o.stage in ('HATCHED', 'REGISTERED') and o.hatched_on <= p.d_last), 0) as pipeline
         from opportunities o, params p
        where o.account_id in (select id from accounts)
        group by o.account_id
     ), joined as (
       select a.id, a.name, a.tier, a.csm_person_id,
              coalesce(pa.spent, 0) as spent, coalesce(pa.spend_entries, 0) as spend_entries, coalesce(pa.reserved_at_end, 0) as reserved_at_end,
              pa.budget_allocated, pa.budget_spent,
              round(pa.budget_spent / nullif(pa.budget_allocated, 0), 4) as utilisation,
              coalesce(x.n, 0) as assessments, x.first_on, x.last_on,
              case when x.n >= 2 then x.d_closeness end as d_closeness,
              case when x.n >= 2 then x.d_solution end as d_solution,
              case when x.n >= 2 then x.d_price end as d_price,
              coalesce(o.hatched, 0) as hatched, coalesce(o.registered, 0) as registered, coalesce(o.won, 0) as won, coalesce(o.pipeline, 0) as pipeline
         from accounts a
         left join per_account pa on pa.account_id = a.id
         left join assessed x on x.account_id = a.id
         left join opps o on o.account_id = a.id
     )`,
    bindings: [
      request.from,
      request.to,
      request.firstDay,
      request.lastDay,
      request.fiscalYear,
      request.firstDay,
      request.lastDay,
      request.scope.postedInPeriod,
      request.scope.budgetYear,
      request.tiers?.join(',') ?? null,
      request.tiers?.join(',') ?? null,
      request.csmPersonId,
      request.csmPersonId,
      request.accountIds?.join(',') ?? null,
      request.accountIds?.join(',') ?? null,
    ],
  };
}

export async function roi(db: Queryable, request: RoiRequest): Promise<RoiRow[]> {
  const base = roiBase(request);
  const result = await db.raw(
    `${base.sql}
     select j.*,
            round(j.won / nullif(j.spent, 0), 4) as won_per_spend,
            round(j.pipeline / nullif(j.spent, 0), 4) as pipeline_per_spend,
            round((j.d_closeness + j.d_solution + j.d_price) / nullif(j.spent / 10000, 0), 4) as uplift_per_10k,
            count(*) over () as total_rows
       from joined j
      order by ${SORT_SQL[request.sort]}, j.name, j.id
      limit ${Number(request.limit)} offset ${Number(request.offset)}`,
    base.bindings as never,
  );
  /* eslint-disable @typescript-eslint/no-explicit-any -- rows mapped field by field */
  return (result.rows as any[]).map((row) => ({
    accountId: row.id,
    name: row.name,
    tier: row.tier.trim(),
    csmPersonId: row.csm_person_id,
    spent: fromDatabase(row.spent),
    spendEntries: Number(row.spend_entries),
    reservedAtEnd: fromDatabase(row.reserved_at_end),
    budgetAllocated: nullableDecimal(row.budget_allocated),
    budgetSpent: nullableDecimal(row.budget_spent),
    utilisation: nullableDecimal(row.utilisation),
    assessments: Number(row.assessments),
    firstAssessedOn: row.first_on,
    lastAssessedOn: row.last_on,
    uplift:
      row.d_closeness === null
        ? null
        : {
            relationshipCloseness: row.d_closeness,
            solutionAcceptance: row.d_solution,
            priceAcceptance: row.d_price,
          },
    hatched: fromDatabase(row.hatched),
    registered: fromDatabase(row.registered),
    won: fromDatabase(row.won),
    pipeline: fromDatabase(row.pipeline),
    wonPerSpend: nullableDecimal(row.won_per_spend),
    pipelinePerSpend: nullableDecimal(row.pipeline_per_spend),
    upliftPer10k: nullableDecimal(row.uplift_per_10k),
    totalRows: Number(row.total_rows),
  }));
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

export const ROI_GROUPINGS = ['TIER', 'CSM'] as const;
export type RoiGrouping = (typeof ROI_GROUPINGS)[number];

export type RoiAggregate = {
  key: string | null;
  accounts: number;
  spent: Decimal;
  reservedAtEnd: Decimal;
  hatched: Decimal;
  registered: Decimal;
  won: Decimal;
  pipeline: Decimal;
  totalUplift: number;
  assessedAccounts: number;
  wonPerSpend: Decimal | null;
  pipelinePerSpend: Decimal | null;
};

/** ROI summed by tier or by CSM: the ratios of the sums, not sums of ratios. */
export async function roiAggregate(
  db: Queryable,
  request: Omit<RoiRequest, 'sort' | 'limit' | 'offset'>,
  grouping: RoiGrouping,
): Promise<RoiAggregate[]> {
  const base = roiBase(request);
  const key = grouping === 'TIER' ? 'j.tier::text' : 'j.csm_person_id::text';
  const result = await db.raw(
    `${base.sql}
     select ${key} as key, count(*) as accounts, sum(j.spent) as spent, sum(j.reserved_at_end) as reserved_at_end,
            sum(j.hatched) as hatched, sum(j.registered) as registered, sum(j.won) as won, sum(j.pipeline) as pipeline,
            coalesce(sum(j.d_closeness + j.d_solution + j.d_price), 0) as total_uplift,
            count(j.d_closeness) as assessed_accounts,
            round(sum(j.won) / nullif(sum(j.spent), 0), 4) as won_per_spend,
            round(sum(j.pipeline) / nullif(sum(j.spent), 0), 4) as pipeline_per_spend
       from joined j
      group by 1
      order by 1 nulls last`,
    base.bindings as never,
  );
  /* eslint-disable @typescript-eslint/no-explicit-any -- rows mapped field by field */
  return (result.rows as any[]).map((row) => ({
    key: row.key === null ? null : String(row.key).trim(),
    accounts: Number(row.accounts),
    spent: fromDatabase(row.spent),
    reservedAtEnd: fromDatabase(row.reserved_at_end),
    hatched: fromDatabase(row.hatched),
    registered: fromDatabase(row.registered),
    won: fromDatabase(row.won),
    pipeline: fromDatabase(row.pipeline),
    totalUplift: Number(row.total_uplift),
    assessedAccounts: Number(row.assessed_accounts),
    wonPerSpend: nullableDecimal(row.won_per_spend),
    pipelinePerSpend: nullableDecimal(row.pipeline_per_spend),
  }));
  /* eslint-enable @typescript-eslint/no-explicit-any */
}
