// SQL inputs of the fairness signals, burn-rate forecast and paid-services P&L, plus the
// report settings row.
import type { Queryable } from '../../../db/transaction';
import { fromDatabase, toDatabase, type Decimal } from '../../../shared/money';
import type { Tier } from '../../customers/rules';
import type { ReportSettings } from './rules';

/* eslint-disable @typescript-eslint/no-explicit-any -- rows mapped field by field */
export async function findSettings(db: Queryable): Promise<ReportSettings> {
  const row: any = await db('report_settings').where({ id: 1 }).first();
  return {
    overShareFactor: fromDatabase(row.over_share_factor),
    underPotentialShareMin: fromDatabase(row.under_potential_share_min),
    underSpendFactor: fromDatabase(row.under_spend_factor),
    underuseRatio: fromDatabase(row.underuse_ratio),
    promotionUpliftMin: row.promotion_uplift_min,
    heavyUtilisation: fromDatabase(row.heavy_utilisation),
  };
}

export async function updateSettings(
  db: Queryable,
  settings: ReportSettings,
  updatedBy: string | null,
): Promise<ReportSettings> {
  await db('report_settings')
    .where({ id: 1 })
    .update({
      over_share_factor: toDatabase(settings.overShareFactor),
      under_potential_share_min: toDatabase(settings.underPotentialShareMin),
      under_spend_factor: toDatabase(settings.underSpendFactor),
      underuse_ratio: toDatabase(settings.underuseRatio),
      promotion_uplift_min: settings.promotionUpliftMin,
      heavy_utilisation: toDatabase(settings.heavyUtilisation),
      updated_by: updatedBy,
      updated_at: db.raw('now()'),
    });
  return findSettings(db);
}

export type FairnessRow = {
  accountId: string;
  tier: Tier;
  spent: Decimal;
  revenueTarget: Decimal | null;
  potential: Decimal | null;
  spendShare: Decimal;
  targetShare: Decimal | null;
  potentialShare: Decimal | null;
};

/** Each key account's (and any spending account's) shares of spend, revenue target and potential in a fiscal year. */
export async function fairnessInputs(
  db: Queryable,
  fiscalYear: number,
  from: Date,
  to: Date,
  visibleToCsmPersonId: string | null,
): Promise<FairnessRow[]> {
  const result = await db.raw(
    `with spend as (
       select account_id, sum(spent_delta) as spent from ledger_entries where created_at >= ? and created_at < ? group by account_id
     ), target as (
       select account_id, revenue_target from budgets where fiscal_year = ? and revenue_target is not null
     ), potential as (
       select account_id, potential from customer_financials where fiscal_year = ?
     ), totals as (
       select (select sum(spent) from spend) as spent, (select sum(revenue_target) from target) as target, (select sum(potential) from potential) as potential
     )
     select c.id, c.tier, coalesce(s.spent, 0) as spent, t.revenue_target, p.potential,
            round(coalesce(s.spent, 0) / nullif(tot.spent, 0), 6) as spend_share,
            round(t.revenue_target / nullif(tot.target, 0), 6) as target_share,
            round(p.potential / nullif(tot.potential, 0), 6) as potential_share
       from customers c
       cross join totals tot
       left join spend s on s.account_id = c.id
       left join target t on t.account_id = c.id
       left join potential p on p.account_id = c.id
      where (coalesce(s.spent, 0) > 0 or c.tier in ('A', 'C'))
        and (?::uuid is null or c.csm_person_id = ?::uuid)
      order by c.name, c.id`,
    [from, to, fiscalYear, fiscalYear, visibleToCsmPersonId, visibleToCsmPersonId],
  );
  return (result.rows as any[]).map((row) => ({
    accountId: row.id,
    tier: row.tier.trim(),
    spent: fromDatabase(row.spent),
    revenueTarget: row.revenue_target === null ? null : fromDatabase(row.revenue_target),
    potential: row.potential === null ? null : fromDatabase(row.potential),
    spendShare: fromDatabase(row.spend_share ?? '0'),
    targetShare: row.target_share === null ? null : fromDatabase(row.target_share),
    potentialShare: row.potential_share === null ? null : fromDatabase(row.potential_share),
  }));
}

export type BurnRow = {
  budgetId: string;
  accountId: string;
  currency: string;
  allocated: Decimal;
  reserved: Decimal;
  opening: Decimal;
  delivered: Decimal;
};

/** Each open budget of a fiscal year as its ledger stood at `at`. */
export async function burnInputs(
  db: Queryable,
  fiscalYear: number,
  at: Date,
  visibleToCsmPersonId: string | null,
  accountId: string | null = null,
): Promise<BurnRow[]> {
  const result = await db.raw(
    `select b.id, b.account_id, rtrim(b.currency) as currency,
            coalesce(sum(e.allocated_delta), 0) as allocated_amount, coalesce(sum(e.reserved_delta), 0) as reserved_amount,
            coalesce(sum(e.spent_delta) filter (where e.kind = 'OPENING'), 0) as opening,
            coalesce(sum(e.spent_delta) filter (where e.kind = 'SPEND'), 0) as delivered
       from budgets b
       join customers c on c.id = b.account_id
       left join ledger_entries e on e.budget_id = b.id and e.created_at < ?
      where b.fiscal_year = ? and b.closed_at is null and (?::uuid is null or c.csm_person_id = ?::uuid)
        and (?::uuid is null or b.account_id = ?::uuid)
      group by b.id, c.name
      order by c.name, b.id`,
    [at, fiscalYear, visibleToCsmPersonId, visibleToCsmPersonId, accountId, accountId],
  );
  return (result.rows as any[]).map((row) => ({
    budgetId: row.id,
    accountId: row.account_id,
    currency: row.currency,
    allocated: fromDatabase(row.allocated_amount),
    reserved: fromDatabase(row.reserved_amount),
    opening: fromDatabase(row.opening),
    delivered: fromDatabase(row.delivered),
  }));
}

export const PNL_DIMENSIONS = ['DEPARTMENT', 'SERVICE', 'ACCOUNT', 'MONTH'] as const;
export type PnlDimension = (typeof PNL_DIMENSIONS)[number];
const PNL_SQL: Record<PnlDimension, string> = {
  DEPARTMENT: 's.providing_department',
  SERVICE: 'o.service_id::text',
  ACCOUNT: 'o.account_id::text',
  MONTH: `'FY' || extract(year from z.shifted)::int || '-M' || lpad(extract(month from z.shifted)::int::text, 2, '0')`,
};

export type PnlGroup = {
  keys: Partial<Record<PnlDimension, string>>;
  orders: number;
  revenue: Decimal;
  internalCost: Decimal;
  margin: Decimal;
};

/** Accepted paid orders in a period (by acceptance time): revenue, internal cost and margin. */
export async function paidPnl(
  db: Queryable,
  input: { from: Date; to: Date; timeZone: string; startMonth: number; groupBy: readonly PnlDimension[] },
): Promise<PnlGroup[]> {
  const keys = input.groupBy.map((d, i) => `${PNL_SQL[d]} as k${i}`);
  const groups = input.groupBy.map((_, i) => `k${i}`);
  const result = await db.raw(
    `select ${keys.length ? `${keys.join(', ')},` : ''} count(*) as orders, sum(o.revenue) as revenue, sum(o.internal_cost) as internal_cost,
            sum(o.revenue - o.internal_cost) as margin
       from paid_orders o
       join expert_services s on s.id = o.service_id
       cross join lateral (select (o.accepted_at at time zone ?) - make_interval(months => ? - 1) as shifted) z
      where o.state = 'ACCEPTED' and o.accepted_at >= ? and o.accepted_at < ?
      ${groups.length ? `group by ${groups.join(', ')} order by ${groups.join(', ')}` : ''}`,
    [input.timeZone, input.startMonth, input.from, input.to],
  );
  return (result.rows as any[]).map((row) => ({
    keys: Object.fromEntries(input.groupBy.map((d, i) => [d, row[`k${i}`]])),
    orders: Number(row.orders),
    revenue: fromDatabase(row.revenue),
    internalCost: fromDatabase(row.internal_cost),
    margin: fromDatabase(row.margin),
  }));
}

export type AccountNet = {
  accountId: string;
  paidMargin: Decimal;
  freeSpend: Decimal;
  opportunityInvestment: Decimal;
  net: Decimal;
};

/** Per account: paid-service margin (accepted in the period) net of free-service spend and opportunity investment in it. */
export async function accountNetMargin(
  db: Queryable,
  input: { from: Date; to: Date; firstDay: string; lastDay: string; visibleToCsmPersonId: string | null },
): Promise<AccountNet[]> {
  const result = await db.raw(
    `with paid as (
       select account_id, sum(revenue - internal_cost) as margin from paid_orders
        where state = 'ACCEPTED' and accepted_at >= ? and accepted_at < ? group by account_id
     ), free as (
       select account_id, sum(spent_delta) as spent from ledger_entries where created_at >= ? and created_at < ? group by account_id
     ), invested as (
       select account_id, sum(cost) as cost from opportunity_investments where spent_on between ? and ? group by account_id
     )
     select c.id, coalesce(p.margin, 0) as margin, coalesce(f.spent, 0) as spent, coalesce(i.cost, 0) as invested,
            coalesce(p.margin, 0) - coalesce(f.spent, 0) - coalesce(i.cost, 0) as net
       from customers c
       left join paid p on p.account_id = c.id
       left join free f on f.account_id = c.id
       left join invested i on i.account_id = c.id
      where (p.margin is not null or f.spent is not null or i.cost is not null)
        and (?::uuid is null or c.csm_person_id = ?::uuid)
      order by net desc, c.name`,
    [
      input.from,
      input.to,
      input.from,
      input.to,
      input.firstDay,
      input.lastDay,
      input.visibleToCsmPersonId,
      input.visibleToCsmPersonId,
    ],
  );
  return (result.rows as any[]).map((row) => ({
    accountId: row.id,
    paidMargin: fromDatabase(row.margin),
    freeSpend: fromDatabase(row.spent),
    opportunityInvestment: fromDatabase(row.invested),
    net: fromDatabase(row.net),
  }));
}
/* eslint-enable @typescript-eslint/no-explicit-any */
