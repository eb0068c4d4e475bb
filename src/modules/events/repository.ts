// SQL for events (written by triggers: migrations/20261203000400_events.ts), who has read them,
// and each key-account tier's alert thresholds.
import { DateTime } from 'luxon';
import type { Queryable } from '../../db/transaction';
import { fromDatabase, toDatabase, type Decimal } from '../../shared/money';
import type { PageRequest } from '../../shared/pagination';
import { accountIdsOfCsmQuery } from '../customers/repository';
import type { Tier } from '../customers/rules';

export type StoredEvent = {
  id: string;
  type: string;
  occurredAt: DateTime;
  accountId: string;
  payload: Record<string, unknown>;
  read: boolean;
};

export type EventFilter = { visibleToCsmPersonId: string | null; unreadOnly: boolean; userId: string };

function filteredEvents(db: Queryable, filter: EventFilter) {
  const query = db('events as e');
  if (filter.visibleToCsmPersonId)
    query.whereIn('e.account_id', accountIdsOfCsmQuery(db, filter.visibleToCsmPersonId));
  if (filter.unreadOnly)
    query.whereNotExists(
      db('event_reads as r').whereRaw('r.event_id = e.id').where('r.user_id', filter.userId),
    );
  return query;
}

/** Newest first. */
export async function listEvents(
  db: Queryable,
  filter: EventFilter,
  page: PageRequest<number>,
): Promise<StoredEvent[]> {
  const query = filteredEvents(db, filter).select(
    'e.*',
    db.raw('exists (select 1 from event_reads r where r.event_id = e.id and r.user_id = ?) as read', [
      filter.userId,
    ]),
  );
  if (page.after !== null) query.where('e.id', '<', page.after);
  if (page.before !== null) query.where('e.id', '>', page.before);
  const rows = await query.orderBy('e.id', page.inverted ? 'asc' : 'desc').limit(page.limit);
  return rows.map((row: Record<string, unknown>) => ({
    id: String(row.id),
    type: row.type as string,
    occurredAt: DateTime.fromJSDate(row.occurred_at as Date),
    accountId: row.account_id as string,
    payload: row.payload as Record<string, unknown>,
    read: row.read as boolean,
  }));
}

export async function countEvents(db: Queryable, filter: EventFilter): Promise<number> {
  const [row] = await filteredEvents(db, filter).count('* as n');
  return Number(row!.n);
}

/** Marks as read those of `ids` the filter lets the user see; returns how many were unread. */
export async function markRead(db: Queryable, filter: EventFilter, ids: readonly string[]): Promise<number> {
  const visible = filteredEvents(db, { ...filter, unreadOnly: true })
    .whereIn('e.id', [...ids])
    .select(db.raw('?::uuid', [filter.userId]), 'e.id');
  const result = await db.raw('insert into event_reads (user_id, event_id) ? on conflict do nothing', [
    visible,
  ]);
  return result.rowCount ?? 0;
}

export async function findThresholds(db: Queryable, tier: Tier): Promise<Decimal[]> {
  // As text: node-pg reads a numeric[] as JavaScript numbers, which no money or percentage may be.
  const row = await db('budget_alert_thresholds')
    .where({ tier })
    .first(db.raw('percents::text[] as percents'));
  return ((row?.percents as string[] | undefined) ?? []).map((value) => fromDatabase(value));
}

export async function upsertThresholds(
  db: Queryable,
  tier: Tier,
  percents: readonly Decimal[],
  updatedBy: string | null,
): Promise<void> {
  const value = db.raw('?::numeric[]', [`{${percents.map(toDatabase).join(',')}}`]);
  await db('budget_alert_thresholds')
    .insert({ tier, percents: value, updated_by: updatedBy })
    .onConflict('tier')
    .merge({ percents: value, updated_by: updatedBy, updated_at: db.raw('now()') });
}
