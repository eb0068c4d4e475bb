// knex CLI configuration (`npm run knex -- migrate:status`). The service itself does not read
// this file: it migrates at start-up with the same settings from src/db/migrate.ts.
import type { Knex } from 'knex';
import { migrationConfig } from './src/db/migrate';

const connection = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:54329/postgres';

const config: Knex.Config = {
  client: 'pg',
  connection,
  migrations: migrationConfig,
  seeds: { directory: './seeds', extension: 'ts', loadExtensions: ['.ts'] },
};

export default config;
module.exports = config;
