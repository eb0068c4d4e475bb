// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/db/open';
import { migrateToLatest } from '../src/db/migrate';

async function run(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(
    config,
    createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel),
    { shareRunning: true },
  );
  try {
    const applied = await migrateToLatest(database.db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n');
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
