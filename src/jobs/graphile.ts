// graphile-worker wired to the service: its schema installed beside our migrations, its messages
// sent to the service's pino logger, its pool built from the same connection string as knex.
import { Logger as GraphileLogger, runMigrations, type LogLevel } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/knex';

/** The connection string knex was opened with (createDatabase always passes one). */
export function connectionStringOf(db: Database): string {
  const connection = db.client.config.connection as { connectionString?: string };
  if (!connection.connectionString) throw new Error('the database was opened without a connection string');
  return connection.connectionString;
}

/** graphile-worker's log lines, through pino: its info is our debug (it announces every job). */
export function graphileLogger(logger: Pick<Logger, 'debug' | 'warn' | 'error'> | null): GraphileLogger {
  return new GraphileLogger(() => (level: LogLevel, message: string, meta?: unknown) => {
    if (!logger) return;
    const fields = { worker: meta ?? {} };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else logger.debug(fields, message);
  });
}

/**
 * A small pool for the queue, apart from the request pool: jobs never starve requests. A lost
 * connection (idle in the pool or checked out) goes to `onLost` and is replaced, never a crash.
 */
export function queuePool(db: Database, max: number, onLost: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: connectionStringOf(db),
    max,
    application_name: 'service-ledger-jobs',
    connectionTimeoutMillis: 5_000,
  });
  pool.on('error', onLost);
  pool.on('connect', (client) => client.on('error', onLost));
  return pool;
}

/** Installs or upgrades graphile-worker's schema (graphile_worker); safe to run concurrently. */
export async function migrateQueue(db: Database): Promise<void> {
  const pgPool = queuePool(db, 1, () => undefined);
  try {
    await runMigrations({ pgPool, logger: graphileLogger(null) });
  } finally {
    await pgPool.end();
  }
}
