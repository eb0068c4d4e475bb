// `npm run seed`: loads the demo data (idempotent) into DATABASE_URL or the embedded database.
import { DateTime } from 'luxon';
import { fiscalYearOf } from '../src/shared/fiscal';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/db/open';
import { migrateToLatest } from '../src/db/migrate';
import { DemoRefusedError, seedDemo } from '../seeds/demo';

async function run(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, createLogger('warn'), { shareRunning: true });
  try {
    await migrateToLatest(database.db);
    await seedDemo(database.db, {
      config,
      fiscalYear: fiscalYearOf(config.fiscal, DateTime.now()),
    });
    process.stdout.write('demo data loaded\n');
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof DemoRefusedError ? 2 : 1);
});
