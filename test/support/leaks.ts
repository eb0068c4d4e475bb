// What "another CSM's account data" is, read from the database at the moment of the check: the
// ids of every account the viewer is not the CSM of, and of its budgets, bookings, opportunities,
// assessments, orders, projects and transfers, plus the accounts' names. leaksIn finds any of them
// in an answer's data, outside error members (which only echo what the caller sent).
import type { Database } from '../../src/db/knex';

export type Markers = { ids: Set<string>; names: Set<string> };

export async function foreignMarkers(db: Database, viewerPersonId: string): Promise<Markers> {
  const { rows } = await db.raw(
    `with foreign_accounts as (select id, name from customers where csm_person_id is distinct from ?)
     select id::text as id, name from foreign_accounts
     union all select b.id::text, null from budgets b join foreign_accounts a on a.id = b.account_id
     union all select b.id::text, null from bookings b join foreign_accounts a on a.id = b.account_id
     union all select o.id::text, null from opportunities o join foreign_accounts a on a.id = o.account_id
     union all select r.id::text, null from relationship_assessments r join foreign_accounts a on a.id = r.account_id
     union all select p.id::text, null from paid_orders p join foreign_accounts a on a.id = p.account_id
     union all select d.id::text, null from delivery_projects d join foreign_accounts a on a.id = d.account_id
     union all select t.id::text, null from budget_transfers t join foreign_accounts a on a.id = t.account_id`,
    [viewerPersonId],
  );
  const markers: Markers = { ids: new Set(), names: new Set() };
  for (const row of rows as { id: string; name: string | null }[]) {
    markers.ids.add(row.id);
    if (row.name) markers.names.add(row.name);
  }
  return markers;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** The paths in `data` that carry a foreign id or name. */
export function leaksIn(data: unknown, markers: Markers, path = 'data'): string[] {
  if (typeof data === 'string') {
    const ids = (data.match(UUID) ?? []).filter((id) => markers.ids.has(id));
    if (ids.length > 0 || markers.names.has(data)) return [`${path} = ${JSON.stringify(data)}`];
    return [];
  }
  if (Array.isArray(data)) return data.flatMap((item, index) => leaksIn(item, markers, `${path}.${index}`));
  if (data !== null && typeof data === 'object') {
    const typename = (data as { __typename?: unknown }).__typename;
    if (typeof typename === 'string' && typename.endsWith('Error')) return [];
    return Object.entries(data).flatMap(([key, value]) => leaksIn(value, markers, `${path}.${key}`));
  }
  return [];
}
