// Migrations are knex TypeScript files in /migrations, append-only: a landed migration is never
// edited. The service runs them at start-up; `npm run migrate` runs the same function.
// The service runs compiled (dist/, see tsconfig.build.json) or from source (tsx, the tests and
// scripts): the migration source below lists the same names either way (the .ts file names the
// knex_migrations table has always held) and loads the module beside this file, .js or .ts.
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { Database } from './knex';
import { migrateQueue } from '../jobs/graphile';

const compiled = path.extname(__filename) === '.js';
/** migrations/ beside src/: the sources, or their compiled forms under dist/. */
export const MIGRATIONS_DIRECTORY = path.resolve(__dirname, '../../migrations');
const MODULE_EXTENSION = compiled ? '.js' : '.ts';

const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs
      .readdirSync(MIGRATIONS_DIRECTORY)
      .filter((file) => file.endsWith(MODULE_EXTENSION) && !file.endsWith('.d.ts'))
      .map((file) => `${path.basename(file, MODULE_EXTENSION)}.ts`)
      .sort();
  },
  getMigrationName: (name) => name,
  async getMigration(name) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- knex loads migrations by path
    return require(path.join(MIGRATIONS_DIRECTORY, `${path.basename(name, '.ts')}${MODULE_EXTENSION}`));
  },
};

export const migrationConfig: Knex.MigratorConfig = {
  migrationSource,
  tableName: 'knex_migrations',
};

/** graphile-worker's schema first (the triggers that enqueue jobs call it), then ours. */
export async function migrateToLatest(db: Database): Promise<string[]> {
  await migrateQueue(db);
  const [, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return applied;
}
