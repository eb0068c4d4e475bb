// The knex instance and the pg type parsing every repository relies on: NUMERIC and BIGINT stay
// strings (decimal.js reads them), DATE stays an ISO string (no JavaScript Date shifting a day
// across time zones), timestamptz arrives as a Date and repositories turn it into luxon.
import knex, { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from 'pino';

const PG_OID_DATE = 1082;
pg.types.setTypeParser(PG_OID_DATE, (value: string) => value);

export type Database = Knex;

export type DatabaseOptions = {
  url: string;
  poolMax: number;
  statementTimeoutMs: number;
  applicationName?: string;
  /** Where knex's own messages go; by default they are dropped (callers report failures themselves). */
  logger?: Pick<Logger, 'debug' | 'warn'>;
};

export function createDatabase(options: DatabaseOptions): Database {
  return knex({
    client: 'pg',
    connection: {
      connectionString: options.url,
      application_name: options.applicationName ?? 'service-ledger',
      statement_timeout: options.statementTimeoutMs,
      connectionTimeoutMillis: 5_000,
    },
    pool: { min: 0, max: options.poolMax },
    acquireConnectionTimeout: 10_000,
    // knex would print connection failures with stack traces straight to the console; the
    // service reports them once, clearly, where they matter.
    log: {
      warn: (message: unknown) => options.logger?.debug({ knex: String(message) }, 'knex warning'),
      error: (message: unknown) => options.logger?.debug({ knex: String(message) }, 'knex error'),
      deprecate: (method: string, alternative: string) =>
        options.logger?.warn({ method, alternative }, 'knex deprecation'),
      debug: () => undefined,
    },
  });
}

/** Asks the database a trivial question; throws with a readable message when it cannot answer. */
export async function checkDatabase(db: Database): Promise<void> {
  await db.raw('select 1');
}

/** A URL with the password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}
