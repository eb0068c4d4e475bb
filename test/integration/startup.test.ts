// The service as a process: what `npm start` does on a fresh data directory, and the clear
// one-line failures for bad configuration, an unreachable database and a port in use.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { serviceNodeArguments } from '../../scripts/service-command';

const root = path.resolve(__dirname, '../..');

type Run = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function startService(env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, serviceNodeArguments(), {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

test.each([
  [{ PORT: 'abc' }, 'Invalid configuration: PORT must be a whole number from 0 to 65535 (got "abc")'],
  [{ FISCAL_TIME_ZONE: 'Nowhere/Town' }, 'Invalid configuration: FISCAL_TIME_ZONE must be an IANA time zone'],
  [{ NODE_ENV: 'production' }, 'Invalid configuration: TOKEN_HASH_KEY must be set in production'],
])('bad configuration %o exits 2 with one line naming the variable', async (env, message) => {
  const run = startService(env);
  expect(await run.exited).toBe(2);
  expect(run.output().trim().split('\n')).toEqual([expect.stringContaining(message)]);
});

test('an unreachable DATABASE_URL exits 1 with a clear message and no stack trace', async () => {
  const run = startService({ DATABASE_URL: 'postgres://someone:secret@127.0.0.1:1/nothing' });
  expect(await run.exited).toBe(1);
  expect(run.output()).toContain('Cannot reach the database at postgres://someone:***@127.0.0.1:1/nothing');
  expect(run.output()).not.toContain('secret');
  expect(run.output()).not.toMatch(/\n\s+at /);
});

test('a port already in use exits 1 naming the port', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const run = startService({
      DATABASE_URL: database.url,
      HOST: '127.0.0.1',
      PORT: String(port),
      DEMO_SEED: 'false',
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  } finally {
    blocker.close();
  }
});

test('on a fresh embedded data directory it starts, prints the demo tokens, answers me, and stops cleanly on SIGTERM', async () => {
  const dataParent = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-start-'));
  fs.chmodSync(dataParent, 0o755);
  const pgPort = 30_000 + Math.floor(Math.random() * 10_000);
  const startedAt = Date.now();
  const run = startService({
    PORT: '0',
    HOST: '127.0.0.1',
    EMBEDDED_PG_DIR: path.join(dataParent, 'pg'),
    EMBEDDED_PG_PORT: String(pgPort),
  });
  try {
    await waitFor(
      () =>
        /listening on http:\/\/localhost:\d+/.test(run.output()) && run.output().includes('demo_csm_token'),
      30_000,
    );
    const port = /listening on http:\/\/localhost:(\d+)/.exec(run.output())![1];
    expect(run.output()).toContain(`GraphiQL: http://localhost:${port}/graphql`);
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer demo_admin_token' },
      body: JSON.stringify({ query: '{ me { name roles } }' }),
    });
    expect(await response.json()).toEqual({ data: { me: { name: 'Wang Wei (admin)', roles: ['ADMIN'] } } });
    // Typically 2–3 s here, initdb on an empty directory included; the bound is the one the
    // service promises (answers within 30 s), not a guess at this machine's speed.
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    // The embedded server stopped with the service: its port is free again.
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer().once('error', reject);
      probe.listen(pgPort, '127.0.0.1', () => probe.close(() => resolve()));
    });
  } finally {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
    fs.rmSync(dataParent, { recursive: true, force: true });
  }
});

test('SIGTERM during start-up is kept until the service is up, then it stops in order: exit 0, the embedded server stopped', async () => {
  const dataParent = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-start-'));
  fs.chmodSync(dataParent, 0o755);
  const pgPort = 30_000 + Math.floor(Math.random() * 10_000);
  const run = startService({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    EMBEDDED_PG_DIR: path.join(dataParent, 'pg'),
    EMBEDDED_PG_PORT: String(pgPort),
  });
  try {
    // The service has claimed the signals once it says it starts its database (initdb follows).
    await waitFor(() => run.output().includes('starting embedded PostgreSQL'), 30_000);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('stopping as soon as start-up is done');
    expect(run.output()).toMatch(/listening on http:\/\/localhost:\d+[\s\S]*"msg":"stopped"/);
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer().once('error', reject);
      probe.listen(pgPort, '127.0.0.1', () => probe.close(() => resolve()));
    });
  } finally {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
    fs.rmSync(dataParent, { recursive: true, force: true });
  }
});
