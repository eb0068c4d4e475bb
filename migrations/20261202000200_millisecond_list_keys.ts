// Lists paged newest first use [created_at, id] as their cursor key, and a cursor carries the
// time as JavaScript reads it: to the millisecond. PostgreSQL kept microseconds, so a cursor
// taken from one row fell between it and a row of the same millisecond, which the next page then
// skipped (two bookings in one millisecond on either side of a page boundary). These columns now
// keep milliseconds, so a cursor's time is exactly its row's, and id orders rows of one instant.
import type { Knex } from 'knex';

const TABLES = ['bookings', 'budget_transfers', 'paid_orders'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const table of TABLES)
    await knex.raw(`alter table ${table} alter column created_at type timestamptz(3)`);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of TABLES) await knex.raw(`alter table ${table} alter column created_at type timestamptz`);
}
