// SQL for the customers table: accounts, their lists, and the helpers other modules' lists use to
// keep to one CSM's accounts or order by account name (the customers table is read only here).
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { countRows, type Queryable } from '../../../db/transaction';
import { keysetPage } from '../../../db/keyset';
import type { PageRequest } from '../../../shared/pagination';
import type { Tier } from '../rules';

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

/** Shared with tiers.ts (suggestion inputs read whole accounts); not exported by the index. */
export type CustomerRow = {
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

/** Shared with tiers.ts (suggestion inputs read whole accounts); not exported by the index. */
export const toCustomer = (row: CustomerRow): Customer => ({
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

/** The ids of the accounts a person is the CSM of: what a CSM may read. */
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
