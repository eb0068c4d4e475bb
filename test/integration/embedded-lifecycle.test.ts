// The embedded PostgreSQL outlives a crash of the service that started it only until the next
// start: `npm start` after a kill -9 stops the stale postmaster and answers; SIGTERM to the npm
// process alone stops the service and its PostgreSQL; a postmaster that is not ours, or whose
// service still runs, is never touched.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearStalePostmaster } from '../../src/db/stale-postmaster';
import { freePort } from '../support/ports';

const root = path.resolve(__dirname, '../..');
const START_ANSWER_MS_MAX = 30_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const pidIn = (file: string) => Number(fs.readFileSync(file, 'utf8').split('\n')[0]);

async function answers(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo_csm_token' },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    return response.status === 200 && JSON.stringify(await response.json()).includes('Li Na');
  } catch {
    return false;
  }
}

let dir: string;
let started: ChildProcess[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-lifecycle-'));
  started = [];
});
afterEach(async () => {
  for (const child of started) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('close', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  const lock = path.join(dir, 'pg', 'postmaster.pid');
  if (fs.existsSync(lock) && alive(pidIn(lock))) process.kill(pidIn(lock), 'SIGQUIT');
  fs.rmSync(dir, { recursive: true, force: true });
});

function npmStart(env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'development', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.resume();
  child.stderr!.resume();
  started.push(child);
  return child;
}

test('after kill -9 of the service, npm start on the same data directory stops the stale PostgreSQL and answers within 30 s', async () => {
  const env = {
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    EMBEDDED_PG_DIR: path.join(dir, 'pg'),
  };
  const first = npmStart(env);
  await until('the first start answers', () => answers(Number(env.PORT)), START_ANSWER_MS_MAX);
  const service = pidIn(path.join(dir, 'pg.owner'));
  const postmaster = pidIn(path.join(dir, 'pg', 'postmaster.pid'));
  process.kill(service, 'SIGKILL');
  await until('npm start exits', () => first.exitCode !== null || first.signalCode !== null, 10_000);
  // The crash left PostgreSQL running on the directory: the case this test is about.
  expect(alive(postmaster)).toBe(true);

  const startedAt = Date.now();
  const second = npmStart(env);
  await until('the second start answers', () => answers(Number(env.PORT)), START_ANSWER_MS_MAX);
  expect(Date.now() - startedAt).toBeLessThan(START_ANSWER_MS_MAX);
  expect(alive(postmaster)).toBe(false);

  // SIGTERM to the npm process alone, as a process manager sends it: the service and its
  // PostgreSQL stop, nothing is left behind.
  const restartedService = pidIn(path.join(dir, 'pg.owner'));
  const restartedPostmaster = pidIn(path.join(dir, 'pg', 'postmaster.pid'));
  second.kill('SIGTERM');
  await until(
    'the service and PostgreSQL stop',
    () => !alive(restartedService) && !alive(restartedPostmaster),
    15_000,
  );
  expect(fs.existsSync(path.join(dir, 'pg.owner'))).toBe(false);
});

test('a lock file naming a live process that is not our postmaster is removed, and that process is left alone', async () => {
  const dataDir = path.join(dir, 'pg');
  fs.mkdirSync(dataDir);
  fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
  await clearStalePostmaster(dataDir);
  expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
  expect(alive(process.pid)).toBe(true);
});

test('a postmaster whose service still runs is never stopped: the start is refused, naming the owner', async () => {
  const env = {
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    EMBEDDED_PG_DIR: path.join(dir, 'pg'),
  };
  npmStart(env);
  await until('the service answers', () => answers(Number(env.PORT)), START_ANSWER_MS_MAX);
  const owner = pidIn(path.join(dir, 'pg.owner'));
  const postmaster = pidIn(path.join(dir, 'pg', 'postmaster.pid'));
  await expect(clearStalePostmaster(path.join(dir, 'pg'))).rejects.toThrow(
    `belongs to a running service (pid ${owner})`,
  );
  expect(alive(postmaster)).toBe(true);
  expect(await answers(Number(env.PORT))).toBe(true);
});
