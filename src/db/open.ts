// Opens the service's database: DATABASE_URL when set, otherwise the embedded PostgreSQL with its
// data in EMBEDDED_PG_DIR. Either way the caller gets a knex instance and one close() for both.
import type { Logger } from 'pino';
import type { Config } from '../config';
import { checkDatabase, createDatabase, redactUrl, type Database } from './knex';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './embedded';

export type OpenDatabase = { db: Database; url: string; embedded: boolean; close: () => Promise<void> };

export class DatabaseUnavailableError extends Error {}

/**
 * `shareRunning`: a command (seed, migrate, import, expiry) joins the embedded PostgreSQL a
 * running service started on the same directory, and leaves it running; the service itself never
 * shares (a second service on one directory is refused).
 */
export async function openDatabase(
  config: Config,
  logger: Logger,
  options: { shareRunning?: boolean } = {},
): Promise<OpenDatabase> {
  let embedded: EmbeddedPostgresHandle | null = null;
  let url = config.databaseUrl;
  if (!url) {
    logger.info(
      { dataDir: config.embeddedPostgres.dataDir, port: config.embeddedPostgres.port },
      'starting embedded PostgreSQL',
    );
    embedded = await startEmbeddedPostgres({
      dataDir: config.embeddedPostgres.dataDir,
      port: config.embeddedPostgres.port,
      persistent: true,
      onLog: (line) => logger.debug({ postgres: line.trim() }, 'embedded postgres'),
      onNotice: (line) => logger.warn(line),
      shareRunning: options.shareRunning ?? false,
    });
    url = embedded.url('postgres');
  }
  const db = createDatabase({
    url,
    poolMax: config.dbPoolMax,
    statementTimeoutMs: config.dbStatementTimeoutMs,
  });
  const close = async () => {
    await db.destroy();
    if (embedded) await embedded.stop();
  };
  try {
    await checkDatabase(db);
  } catch (error) {
    await close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUnavailableError(`Cannot reach the database at ${redactUrl(url)}: ${reason}`);
  }
  return { db, url, embedded: embedded !== null, close };
}
