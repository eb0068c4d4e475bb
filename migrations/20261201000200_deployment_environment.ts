// Remembers that a production server has run against this database, so tools that load demo
// data (with its published tokens) can refuse it even when run without NODE_ENV=production.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table deployment_environment (
      singleton boolean primary key default true check (singleton),
      production_since timestamptz not null default now()
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop table deployment_environment`);
}
