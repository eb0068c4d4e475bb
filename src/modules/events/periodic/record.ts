// Periodic events carry a dedupe key: a check that runs again (another hour, another instance, a
// retry) writes nothing new, and its job counts only what it wrote.
import type { Queryable } from '../../../db/transaction';

export type PeriodicEvent = {
  type: 'budget.forecast_overrun' | 'reservation.expiring' | 'fiscal_year.closing';
  accountId: string;
  payload: Record<string, string | number | boolean | null>;
  dedupeKey: string;
};

/** Answers whether the event is new. */
export async function recordPeriodicEvent(db: Queryable, event: PeriodicEvent): Promise<boolean> {
  const result = await db.raw(
    `insert into events (type, account_id, payload, dedupe_key) values (?, ?, ?, ?)
     on conflict (dedupe_key) where dedupe_key is not null do nothing`,
    [event.type, event.accountId, JSON.stringify(event.payload), event.dedupeKey],
  );
  return (result.rowCount ?? 0) > 0;
}
