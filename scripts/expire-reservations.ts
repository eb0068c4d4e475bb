// `npm run expire-reservations`: the same sweep the server runs on an interval, once.
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/db/open';
import { migrateToLatest } from '../src/db/migrate';
import { expireLapsedBookings } from '../src/modules/budgets/service';

async function run(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, createLogger('warn'), { shareRunning: true });
  try {
    await migrateToLatest(database.db);
    const expired = await expireLapsedBookings({
      db: database.db,
      actor: null,
      requestId: 'cli:expire-reservations',
      fiscalCalendar: config.fiscal,
      config,
    });
    process.stdout.write(`${expired} lapsed reservation(s) released\n`);
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
