// Migrations are knex TypeScript files in /migrations, append-only: a landed migration is never
// edited. The service runs them at start-up; `npm run migrate` runs the same function.
import path from 'node:path';
import type { Database } from './knex';

export const MIGRATIONS_DIRECTORY = path.resolve(__dirname, '../../migrations');

export const migrationConfig = {
  directory: MIGRATIONS_DIRECTORY,
  extension: 'ts',
  loadExtensions: ['.ts'],
  tableName: 'knex_migrations',
};

export async function migrateToLatest(db: Database): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}
