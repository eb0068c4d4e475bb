// The audit log: one row per change, written by every use case inside its own transaction so
// the change and its record commit together. The table is append-only (a trigger refuses
// UPDATE and DELETE).
import { DateTime } from 'luxon';
import { countRows, type Queryable } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import type { PageRequest } from '../../shared/pagination';

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId: string;
  accountId?: string | null;
  before?: unknown;
  after?: unknown;
};

export type AuditRecord = {
  id: string;
  occurredAt: DateTime;
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  accountId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
};

export type AuditFilter = {
  entityType?: string | null;
  entityId?: string | null;
  actorUserId?: string | null;
  action?: string | null;
  accountId?: string | null;
  from?: DateTime | null;
  to?: DateTime | null;
};

type AuditRow = {
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  account_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
};

/** JSON snapshots: Decimal and DateTime become their text so before/after read like the API. */
function snapshot(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  // The replacer sees a value after its toJSON ran (a DateTime is text by then, in its own
  // zone), so the original is read from the holder: every instant is written in UTC ("…Z").
  return JSON.stringify(value, function (this: Record<string, unknown>, key, inner: unknown) {
    const original = this[key];
    if (original instanceof DateTime) return original.toUTC().toISO();
    return inner;
  });
}

export async function recordAudit(
  trx: Queryable,
  context: Pick<UseCaseContext, 'actor' | 'requestId'>,
  entry: AuditEntry,
): Promise<void> {
  await trx('audit_log').insert({
    actor_user_id: context.actor?.userId ?? null,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    account_id: entry.accountId ?? null,
    before: snapshot(entry.before),
    after: snapshot(entry.after),
    request_id: context.requestId,
  });
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: String(row.id),
    occurredAt: DateTime.fromJSDate(row.occurred_at),
    actorUserId: row.actor_user_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    accountId: row.account_id,
    before: row.before,
    after: row.after,
    requestId: row.request_id,
  };
}

function filteredAuditRecords(db: Queryable, filter: AuditFilter) {
  const query = db<AuditRow>('audit_log');
  if (filter.entityType) query.where('entity_type', filter.entityType);
  if (filter.entityId) query.where('entity_id', filter.entityId);
  if (filter.actorUserId) query.where('actor_user_id', filter.actorUserId);
  if (filter.action) query.where('action', filter.action);
  if (filter.accountId) query.where('account_id', filter.accountId);
  if (filter.from) query.where('occurred_at', '>=', filter.from.toJSDate());
  if (filter.to) query.where('occurred_at', '<', filter.to.toJSDate());
  return query;
}

/** How many audit records the filter matches, on every page. */
export async function countAuditRecords(db: Queryable, filter: AuditFilter): Promise<number> {
  return countRows(filteredAuditRecords(db, filter));
}

/** Newest first, keyset-paginated on the identity column. */
export async function listAuditRecords(
  db: Queryable,
  filter: AuditFilter,
  page: PageRequest<number>,
): Promise<AuditRecord[]> {
  const query = filteredAuditRecords(db, filter).select('*');
  if (page.after !== null) query.where('id', '<', page.after);
  if (page.before !== null) query.where('id', '>', page.before);
  query.orderBy('id', page.inverted ? 'asc' : 'desc').limit(page.limit);
  const rows = await query;
  return rows.map(toRecord);
}
