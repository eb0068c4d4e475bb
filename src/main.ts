// Process entry: configuration → database (embedded unless DATABASE_URL) → migrations → demo
// data → HTTP server. SIGTERM/SIGINT stop accepting, let in-flight requests finish, then close
// the pool and the embedded database. Start-up failures exit non-zero with one clear line.
import http from 'node:http';
import { DateTime } from 'luxon';
import { fiscalYearOf } from './shared/fiscal';
import { ConfigError, loadConfig, type Config } from './config';
import type { Logger } from 'pino';
import { createLogger } from './logger';
import { openDatabase, DatabaseUnavailableError, type OpenDatabase } from './db/open';
import { migrateToLatest } from './db/migrate';
import { createApp } from './app';
import { mountConsole, type ConsoleMount } from './console';
import { expireLapsedBookings } from './modules/budgets/service';
import { rollUpAll } from './modules/reports/rollup';
import { pruneIdempotencyKeys } from './shared/idempotency';
import { DEMO_USERS, databaseIsEmpty, seedDemo } from '../seeds/demo';
import { countUsersWithEmails, markProductionDatabase } from './modules/users/bootstrap';

/** How often the service checks that the process that started it is still there. */
const PARENT_CHECK_INTERVAL_MS = 1_000;

function fail(message: string, exitCode: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(exitCode);
}

function listen(server: http.Server, config: Config): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
}

async function openDatabaseOrExit(config: Config, logger: Logger): Promise<OpenDatabase> {
  try {
    return await openDatabase(config, logger);
  } catch (error) {
    fail(
      error instanceof DatabaseUnavailableError || error instanceof Error ? error.message : String(error),
      1,
    );
  }
}

/** Migrations, the production guard and the demo data. Answers whether the demo is on. */
async function prepareDatabase(database: OpenDatabase, config: Config, logger: Logger): Promise<boolean> {
  const { db } = database;
  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  // Production never runs beside the demo's published tokens, and marks the database as its own.
  if (config.env === 'production') {
    const demoUsers = await countUsersWithEmails(
      db,
      DEMO_USERS.map((user) => user.email),
    );
    if (demoUsers > 0) {
      await database.close().catch(() => undefined);
      fail(
        'Refusing to start in production: this database holds the demo users, whose API tokens are published. Use a fresh database, then npm run create-admin',
        2,
      );
    }
    await markProductionDatabase(db);
  }
  if (!config.demoSeed) return false;
  if (await databaseIsEmpty(db)) {
    await seedDemo(db, { config, fiscalYear: fiscalYearOf(config.fiscal, DateTime.now()) });
    logger.info('demo data loaded');
  }
  return true;
}

/** The console mounted and the port listened on; either failing closes the database and exits. */
async function serve(
  server: http.Server,
  app: Parameters<typeof mountConsole>[0],
  database: OpenDatabase,
  config: Config,
  demo: boolean,
): Promise<ConsoleMount> {
  let consoleMount: ConsoleMount;
  try {
    consoleMount = await mountConsole(app, config, { server, demoUsers: demo ? DEMO_USERS : [] });
  } catch (error) {
    await database.close().catch(() => undefined);
    fail(`Cannot serve the console: ${(error as Error).message}`, 1);
  }
  try {
    await listen(server, config);
  } catch (error) {
    await database.close().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    fail(
      code === 'EADDRINUSE'
        ? `Port ${config.port} on ${config.host} is already in use: stop the other process or set PORT`
        : `Cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
      1,
    );
  }
  return consoleMount;
}

function printBanner(server: http.Server, config: Config, demo: boolean): void {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const lines = [`Service ledger listening on http://localhost:${port}`];
  if (config.console !== 'off') lines.push(`Console: http://localhost:${port}/`);
  if (config.graphiql) lines.push(`GraphiQL: http://localhost:${port}/graphql`);
  if (demo) {
    lines.push('Demo API tokens (send as "Authorization: Bearer <token>"):');
    for (const user of DEMO_USERS)
      lines.push(`  ${user.roles.join(',').padEnd(13)} ${user.name.padEnd(26)} ${user.token}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The periodic work of every instance; answers the function that stops it. */
function startBackgroundWork(db: OpenDatabase['db'], config: Config, logger: Logger): () => void {
  // Lapsed reservations are released, and idempotency keys past their retention pruned, by a
  // sweep on an interval; any instance may run it (rows another instance holds are skipped).
  const sweepContext = { db, actor: null, requestId: 'expiry-sweep', fiscalCalendar: config.fiscal, config };
  const sweep =
    config.expirySweepIntervalMs > 0
      ? setInterval(() => {
          expireLapsedBookings(sweepContext)
            .then((expired) => expired > 0 && logger.info({ expired }, 'lapsed reservations released'))
            .catch((error) => logger.error({ err: error }, 'expiry sweep failed'));
          pruneIdempotencyKeys(db, config.idempotencyKeyRetentionHours)
            .then((pruned) => pruned > 0 && logger.info({ pruned }, 'expired idempotency keys pruned'))
            .catch((error) => logger.error({ err: error }, 'idempotency key pruning failed'));
        }, config.expirySweepIntervalMs)
      : null;
  sweep?.unref();
  // Report rollups catch up in the background; reports stay exact meanwhile (rollup + queue).
  let rolling = false;
  const rollup =
    config.rollupIntervalMs > 0
      ? setInterval(() => {
          if (rolling) return;
          rolling = true;
          rollUpAll(db, config.fiscal)
            .catch((error) => logger.error({ err: error }, 'ledger roll-up failed'))
            .finally(() => (rolling = false));
        }, config.rollupIntervalMs)
      : null;
  rollup?.unref();
  return () => {
    if (sweep) clearInterval(sweep);
    if (rollup) clearInterval(rollup);
  };
}

/** SIGTERM/SIGINT (or the parent gone): stop accepting, finish in-flight requests, close, exit 0. */
function stopOnSignal(
  server: http.Server,
  closers: { stopBackgroundWork: () => void; consoleMount: ConsoleMount; database: OpenDatabase },
  config: Config,
  logger: Logger,
): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    closers.stopBackgroundWork();
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const forceTimer = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
    forceTimer.unref();
    server.close(async () => {
      clearTimeout(forceTimer);
      await closers.consoleMount
        .close()
        .catch((error) => logger.error({ err: error }, 'error while closing the console'));
      await closers.database
        .close()
        .catch((error) => logger.error({ err: error }, 'error while closing the database'));
      logger.info('stopped');
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Started by a wrapper (npm, a shell) that was killed without passing the signal on: the
  // service is then reparented, and stops rather than keep PostgreSQL and the port as an orphan.
  const parent = process.ppid;
  const orphanWatch = setInterval(() => {
    if (process.ppid !== parent) shutdown('parent process exited');
  }, PARENT_CHECK_INTERVAL_MS);
  orphanWatch.unref();
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const database = await openDatabaseOrExit(config, logger);
  const demo = await prepareDatabase(database, config, logger);
  const app = createApp({ db: database.db, config, logger, fiscalCalendar: config.fiscal });
  const server = http.createServer(app);
  const consoleMount = await serve(server, app, database, config, demo);
  printBanner(server, config, demo);
  const stopBackgroundWork = startBackgroundWork(database.db, config, logger);
  stopOnSignal(server, { stopBackgroundWork, consoleMount, database }, config, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
