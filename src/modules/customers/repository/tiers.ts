// SQL for tier history, tiering figures and the tiering policy, and the inputs of tier suggestions.
import { DateTime } from 'luxon';
import { type Queryable } from '../../../db/transaction';
import { fromDatabase, toDatabase } from '../../../shared/money';
import type { Tier, TieringFigures, TieringPolicy } from '../rules';
import { type Customer, type CustomerRow, toCustomer } from './customers';

export type TierChange = {
  id: string;
  accountId: string;
  fromTier: Tier | null;
  toTier: Tier;
  effectiveFrom: DateTime;
  changedBy: string | null;
  reason: string;
};

export type CustomerFinancials = TieringFigures & { accountId: string; fiscalYear: number };

type TierChangeRow = {
  id: string;
  account_id: string;
  from_tier: Tier | null;
  to_tier: Tier;
  effective_from: Date;
  changed_by: string | null;
  reason: string;
};

const toTierChange = (row: TierChangeRow): TierChange => ({
  id: String(row.id),
  accountId: row.account_id,
  fromTier: row.from_tier,
  toTier: row.to_tier,
  effectiveFrom: DateTime.fromJSDate(row.effective_from),
  changedBy: row.changed_by,
  reason: row.reason,
});

export async function insertTierChange(
  db: Queryable,
  change: Omit<TierChange, 'id' | 'effectiveFrom'> & { effectiveFrom?: DateTime },
): Promise<TierChange> {
  const [row] = await db<TierChangeRow>('customer_tier_history')
    .insert({
      account_id: change.accountId,
      from_tier: change.fromTier,
      to_tier: change.toTier,
      effective_from: (change.effectiveFrom?.toJSDate() ?? db.raw('clock_timestamp()')) as Date,
      changed_by: change.changedBy,
      reason: change.reason,
    })
    .returning('*');
  return toTierChange(row as TierChangeRow);
}

export async function findTierHistories(db: Queryable, accountIds: readonly string[]): Promise<TierChange[]> {
  const rows = await db<TierChangeRow>('customer_tier_history')
    .whereIn('account_id', [...accountIds])
    .orderBy([
      { column: 'effective_from', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
  return rows.map(toTierChange);
}

/** The tier in force at an instant: the latest change effective at or before it. */
export async function findTierAsOf(db: Queryable, accountId: string, at: DateTime): Promise<Tier | null> {
  const row = await db<TierChangeRow>('customer_tier_history')
    .where({ account_id: accountId })
    .where('effective_from', '<=', at.toJSDate())
    .orderBy([
      { column: 'effective_from', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first('to_tier');
  return row?.to_tier ?? null;
}

type FinancialsRow = {
  account_id: string;
  fiscal_year: number;
  contribution: string;
  potential: string;
  currency: string;
};

const toFinancials = (row: FinancialsRow): CustomerFinancials => ({
  accountId: row.account_id,
  fiscalYear: row.fiscal_year,
  contribution: fromDatabase(row.contribution),
  potential: fromDatabase(row.potential),
  currency: row.currency.trim(),
});

export async function upsertFinancials(
  db: Queryable,
  figures: CustomerFinancials,
): Promise<CustomerFinancials> {
  const [row] = await db<FinancialsRow>('customer_financials')
    .insert({
      account_id: figures.accountId,
      fiscal_year: figures.fiscalYear,
      contribution: toDatabase(figures.contribution),
      potential: toDatabase(figures.potential),
      currency: figures.currency,
    })
    .onConflict(['account_id', 'fiscal_year'])
    .merge({
      contribution: toDatabase(figures.contribution),
      potential: toDatabase(figures.potential),
      currency: figures.currency,
      updated_at: db.raw('now()') as unknown as string,
    } as never)
    .returning('*');
  return toFinancials(row as FinancialsRow);
}

export async function findFinancials(
  db: Queryable,
  accountIds: readonly string[],
  fiscalYear?: number,
): Promise<CustomerFinancials[]> {
  const query = db<FinancialsRow>('customer_financials')
    .whereIn('account_id', [...accountIds])
    .orderBy('fiscal_year', 'desc');
  if (fiscalYear !== undefined) query.where({ fiscal_year: fiscalYear });
  return (await query).map(toFinancials);
}

type PolicyRow = {
  fiscal_year: number;
  contribution_threshold: string;
  potential_threshold: string;
  currency: string;
};

const toPolicy = (row: PolicyRow): TieringPolicy => ({
  fiscalYear: row.fiscal_year,
  contributionThreshold: fromDatabase(row.contribution_threshold),
  potentialThreshold: fromDatabase(row.potential_threshold),
  currency: row.currency.trim(),
});

export async function findPolicy(db: Queryable, fiscalYear: number): Promise<TieringPolicy | null> {
  const row = await db<PolicyRow>('tiering_policies').where({ fiscal_year: fiscalYear }).first();
  return row ? toPolicy(row) : null;
}

export async function upsertPolicy(
  db: Queryable,
  policy: TieringPolicy,
  updatedBy: string | null,
): Promise<TieringPolicy> {
  const values = {
    contribution_threshold: toDatabase(policy.contributionThreshold),
    potential_threshold: toDatabase(policy.potentialThreshold),
    currency: policy.currency,
    updated_by: updatedBy,
  };
  const [row] = await db('tiering_policies')
    .insert({ fiscal_year: policy.fiscalYear, ...values })
    .onConflict('fiscal_year')
    .merge({ ...values, updated_at: db.raw('now()') })
    .returning('*');
  return toPolicy(row as PolicyRow);
}

/** Accounts with their figures for a year and whether a channel partner serves them, for suggestions. */
export async function findSuggestionInputs(
  db: Queryable,
  fiscalYear: number,
  filter: { visibleToCsmPersonId?: string | null; limit: number },
): Promise<{ customer: Customer; figures: TieringFigures | null }[]> {
  const query = db('customers as c')
    .leftJoin('customer_financials as f', function join() {
      this.on('f.account_id', 'c.id').andOn('f.fiscal_year', db.raw('?', [fiscalYear]));
    })
    .select('c.*', 'f.contribution', 'f.potential', 'f.currency as figures_currency')
    .orderBy('c.name')
    .orderBy('c.id')
    .limit(filter.limit);
  if (filter.visibleToCsmPersonId) query.where('c.csm_person_id', filter.visibleToCsmPersonId);
  const rows = (await query) as (CustomerRow & {
    contribution: string | null;
    potential: string | null;
    figures_currency: string | null;
  })[];
  return rows.map((row) => ({
    customer: toCustomer(row),
    figures:
      row.contribution === null || row.potential === null || row.figures_currency === null
        ? null
        : {
            contribution: fromDatabase(row.contribution),
            potential: fromDatabase(row.potential),
            currency: row.figures_currency.trim(),
          },
  }));
}
