// For tests that force an order on row locks: wait until transactions queue behind a lock the
// test holds, so what it lets through next is known rather than timed.
import type { Database } from '../../src/db/knex';

/**
 * Waits until `count` transactions of the database wait for a lock. Given `unlessSettled`, it
 * also stops (without error) once that has settled: the work it waited for needed no lock.
 */
export async function lockWaiters(
  db: Database,
  count: number,
  unlessSettled?: Promise<unknown>,
): Promise<void> {
  let settled = false;
  void unlessSettled?.finally(() => (settled = true));
  for (let poll = 0; poll < 1000 && !settled; poll += 1) {
    const { rows } = await db.raw(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if ((rows as { n: number }[])[0]!.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!settled) throw new Error(`${count} transactions never waited for a lock at once`);
}
