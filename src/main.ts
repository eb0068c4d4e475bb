// Process entry: configuration → database (embedded unless DATABASE_URL) → migrations → demo
// data → HTTP server. SIGTERM/SIGINT stop accepting, let in-flight requests finish, then close
// the pool and the embedded database. Start-up failures exit non-zero with one clear line.
import http from 'node:http';
import { DateTime } from 'luxon';
import { fiscalYearOf } from './shared/fiscal';
import { ConfigError, loadConfig, type Config } from './config';
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

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
  const logger = createLogger(config.logLevel);

  let database: OpenDatabase;
  try {
    database = await openDatabase(config, logger);
  } catch (error) {
    fail(
      error instanceof DatabaseUnavailableError || error instanceof Error ? error.message : String(error),
      1,
    );
  }
  const { db } = database;

  const applied = await migrateToLatest(db);
  if (applied.length > 0) logger.info({ migrations: applied }, 'migrations applied');
  // Production never runs beside the demo's published tokens, and marks the database as its own.
  if (config.env === 'production') {
    if (
      (await countUsersWithEmails(
        db,
        DEMO_USERS.map((user) => user.email),
      )) > 0
    ) {
      await database.close().catch(() => undefined);
      fail(
        'Refusing to start in production: this database holds the demo users, whose API tokens are published. Use a fresh database, then npm run create-admin',
        2,
      );
    }
    await markProductionDatabase(db);
  }
  let demo = false;
  if (config.demoSeed) {
    if (await databaseIsEmpty(db)) {
      await seedDemo(db, {
        config,
        fiscalYear: fiscalYearOf(config.fiscal, DateTime.now()),
      });
      logger.info('demo data loaded');
    }
    demo = true;
  }

  const app = createApp({ db, config, logger, fiscalCalendar: config.fiscal });
  const server = http.createServer(app);
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

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (sweep) clearInterval(sweep);
    if (rollup) clearInterval(rollup);
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    const forceTimer = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
    forceTimer.unref();
    server.close(async () => {
      clearTimeout(forceTimer);
      await consoleMount
        .close()
        .catch((error) => logger.error({ err: error }, 'error while closing the console'));
      await database
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

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
