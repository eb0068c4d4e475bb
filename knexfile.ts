// knex CLI configuration. Run it as `npm run knex -- migrate:status` (scripts/knex.ts), which
// sets DATABASE_URL to the service's database, embedded or not. Called directly, it reads
// DATABASE_URL or the embedded PostgreSQL's port (EMBEDDED_PG_PORT). The service itself does not
// read this file: it migrates at start-up with the same settings from src/db/migrate.ts.
import type { Knex } from 'knex';
import { migrationConfig } from './src/db/migrate';

const connection =
  process.env.DATABASE_URL ??
  `postgres://postgres:postgres@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? '54329'}/postgres`;

const config: Knex.Config = {
  client: 'pg',
  connection,
  migrations: migrationConfig,
  seeds: { directory: './seeds', extension: 'ts', loadExtensions: ['.ts'] },
};

export default config;
module.exports = config;
