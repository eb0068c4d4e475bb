// SQL for customers, their tier history, tiering figures and policies, and channel partners.
// Only this file touches those tables.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { countRows, type Queryable } from '../../db/transaction';
import { fromDatabase, toDatabase } from '../../shared/money';
import { keysetPage } from '../../db/keyset';
import type { PageRequest } from '../../shared/pagination';
import type { Tier, TieringFigures, TieringPolicy } from './rules';

export type Customer = {
  id: string;
  externalId: string | null;
  name: string;
  industry: string | null;
  region: string | null;
  salesRepPersonId: string | null;
  channelPartnerId: string | null;
  tier: Tier;
  csmPersonId: string | null;
  supportTeamId: string | null;
  expertTeamId: string | null;
  createdAt: DateTime;
  updatedAt: DateTime;
};

export type CustomerFields = Omit<Customer, 'id' | 'createdAt' | 'updatedAt'>;

export type TierChange = {
  id: string;
  accountId: string;
  fromTier: Tier | null;
  toTier: Tier;
  effectiveFrom: DateTime;
  changedBy: string | null;
  reason: string;
};

export type ChannelPartner = {
  id: string;
  name: string;
  implementerName: string | null;
  implementerContact: string | null;
};

export type CustomerFinancials = TieringFigures & { accountId: string; fiscalYear: number };

type CustomerRow = {
  id: string;
  external_id: string | null;
  name: string;
  industry: string | null;
  region: string | null;
  sales_rep_person_id: string | null;
  channel_partner_id: string | null;
  tier: Tier;
  csm_person_id: string | null;
  support_team_id: string | null;
  expert_team_id: string | null;
  created_at: Date;
  updated_at: Date;
};

const toCustomer = (row: CustomerRow): Customer => ({
  id: row.id,
  externalId: row.external_id,
  name: row.name,
  industry: row.industry,
  region: row.region,
  salesRepPersonId: row.sales_rep_person_id,
  channelPartnerId: row.channel_partner_id,
  tier: row.tier,
  csmPersonId: row.csm_person_id,
  supportTeamId: row.support_team_id,
  expertTeamId: row.expert_team_id,
  createdAt: DateTime.fromJSDate(row.created_at),
  updatedAt: DateTime.fromJSDate(row.updated_at),
});

function toRow(fields: Partial<CustomerFields>): Partial<CustomerRow> {
  const row: Partial<CustomerRow> = {};
  if (fields.externalId !== undefined) row.external_id = fields.externalId;
  if (fields.name !== undefined) row.name = fields.name;
  if (fields.industry !== undefined) row.industry = fields.industry;
  if (fields.region !== undefined) row.region = fields.region;
  if (fields.salesRepPersonId !== undefined) row.sales_rep_person_id = fields.salesRepPersonId;
  if (fields.channelPartnerId !== undefined) row.channel_partner_id = fields.channelPartnerId;
  if (fields.tier !== undefined) row.tier = fields.tier;
  if (fields.csmPersonId !== undefined) row.csm_person_id = fields.csmPersonId;
  if (fields.supportTeamId !== undefined) row.support_team_id = fields.supportTeamId;
  if (fields.expertTeamId !== undefined) row.expert_team_id = fields.expertTeamId;
  return row;
}

export async function insertCustomer(db: Queryable, fields: CustomerFields): Promise<Customer> {
  const [row] = await db<CustomerRow>('customers').insert(toRow(fields)).returning('*');
  return toCustomer(row as CustomerRow);
}

export async function updateCustomer(
  db: Queryable,
  id: string,
  fields: Partial<CustomerFields>,
): Promise<Customer> {
  const [row] = await db<CustomerRow>('customers')
    .where({ id })
    .update({ ...toRow(fields), updated_at: db.raw('now()') as unknown as Date })
    .returning('*');
  return toCustomer(row as CustomerRow);
}

export async function findCustomerById(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Customer | null> {
  const query = db<CustomerRow>('customers').where({ id });
  if (options.forUpdate) query.forUpdate();
  const row = await query.first();
  return row ? toCustomer(row) : null;
}

/** The ids of the accounts a person is the CSM of: what a CSM may read. */
/**
 * For other modules' lists: the ids of one CSM's accounts, as a subquery to filter by
 * (\`query.whereIn('x.account_id', accountIdsOfCsmQuery(db, personId))\`). The customers table
 * is read here only.
 */
export function accountIdsOfCsmQuery(db: Queryable, csmPersonId: string): Knex.QueryBuilder {
  return db('customers').select('id').where({ csm_person_id: csmPersonId });
}

/** For other modules' lists ordered by account name: joins the account as \`account\`; order and select by the column answered. */
export function joinAccountName(query: Knex.QueryBuilder, accountIdColumn: string): { nameColumn: string } {
  query.join('customers as account', 'account.id', accountIdColumn);
  return { nameColumn: 'account.name' };
}

export async function findAccountIdsOfCsm(db: Queryable, csmPersonId: string): Promise<Set<string>> {
  const rows: { id: string }[] = await db('customers').select('id').where({ csm_person_id: csmPersonId });
  return new Set(rows.map((row) => row.id));
}

export async function findCustomersByIds(db: Queryable, ids: readonly string[]): Promise<Customer[]> {
  return (await db<CustomerRow>('customers').whereIn('id', [...ids])).map(toCustomer);
}

export async function findCustomersByExternalIds(
  db: Queryable,
  externalIds: readonly string[],
): Promise<Customer[]> {
  return (await db<CustomerRow>('customers').whereIn('external_id', [...externalIds])).map(toCustomer);
}

export type CustomerFilter = {
  tiers?: readonly Tier[] | null;
  csmPersonId?: string | null;
  region?: string | null;
  industry?: string | null;
  search?: string | null;
  /** Restricts the list to one CSM's accounts (the caller's own, for a CSM). */
  visibleToCsmPersonId?: string | null;
};

function filteredCustomers(db: Queryable, filter: CustomerFilter) {
  const query = db<CustomerRow>('customers');
  if (filter.tiers && filter.tiers.length > 0) query.whereIn('tier', [...filter.tiers]);
  if (filter.csmPersonId) query.where('csm_person_id', filter.csmPersonId);
  if (filter.visibleToCsmPersonId !== undefined && filter.visibleToCsmPersonId !== null) {
    query.where('csm_person_id', filter.visibleToCsmPersonId);
  }
  if (filter.region) query.where('region', filter.region);
  if (filter.industry) query.where('industry', filter.industry);
  if (filter.search)
    query.whereRaw(`name ilike ? escape '\\'`, [`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
  return query;
}

/** How many accounts the filter matches, on every page. */
export async function countCustomers(db: Queryable, filter: CustomerFilter): Promise<number> {
  return countRows(filteredCustomers(db, filter));
}

/** Ordered by name then id; the key is [name, id]. */
export async function listCustomers(
  db: Queryable,
  filter: CustomerFilter,
  page: PageRequest<[string, string]>,
): Promise<Customer[]> {
  const query = filteredCustomers(db, filter).select('*');
  return (await keysetPage(query, ['name', 'id'], page)).map(toCustomer);
}

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

type PartnerRow = {
  id: string;
  name: string;
  implementer_name: string | null;
  implementer_contact: string | null;
};
const toPartner = (row: PartnerRow): ChannelPartner => ({
  id: row.id,
  name: row.name,
  implementerName: row.implementer_name,
  implementerContact: row.implementer_contact,
});

export async function insertChannelPartner(
  db: Queryable,
  partner: Omit<ChannelPartner, 'id'>,
): Promise<ChannelPartner> {
  const [row] = await db<PartnerRow>('channel_partners')
    .insert({
      name: partner.name,
      implementer_name: partner.implementerName,
      implementer_contact: partner.implementerContact,
    })
    .returning('*');
  return toPartner(row as PartnerRow);
}

export async function updateChannelPartner(
  db: Queryable,
  id: string,
  changes: Partial<Omit<ChannelPartner, 'id'>>,
): Promise<ChannelPartner> {
  const [row] = await db<PartnerRow>('channel_partners')
    .where({ id })
    .update({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.implementerName !== undefined && { implementer_name: changes.implementerName }),
      ...(changes.implementerContact !== undefined && { implementer_contact: changes.implementerContact }),
    })
    .returning('*');
  return toPartner(row as PartnerRow);
}

export async function findChannelPartnersByIds(
  db: Queryable,
  ids: readonly string[],
): Promise<ChannelPartner[]> {
  return (await db<PartnerRow>('channel_partners').whereIn('id', [...ids])).map(toPartner);
}

export async function findChannelPartnerByName(db: Queryable, name: string): Promise<ChannelPartner | null> {
  const row = await db<PartnerRow>('channel_partners').whereRaw('lower(name) = lower(?)', [name]).first();
  return row ? toPartner(row) : null;
}

export async function listChannelPartners(db: Queryable, limit: number): Promise<ChannelPartner[]> {
  return (await db<PartnerRow>('channel_partners').orderBy('name').limit(limit)).map(toPartner);
}
