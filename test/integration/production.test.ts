// Production and the demo's published tokens never meet: DEMO_SEED=true is refused there, the
// seed refuses a production process and any database a production server has run on, and a
// production start refuses a database holding the demo users. The first ADMIN comes from
// `npm run create-admin`, which prints its token once and is refused once an ADMIN exists.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, TEST_TOKEN_HASH_KEY } from '../support/server';
import { serviceNodeArguments } from '../../scripts/service-command';

const root = path.resolve(__dirname, '../..');
const PRODUCTION_KEY = 'a-production-token-hash-key';

type Exit = { code: number; stdout: string; stderr: string };

async function npmScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(root, script), ...args],
      { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Starts the service and resolves with its exit code and output (the tests here expect it to stop). */
function serviceExit(env: NodeJS.ProcessEnv): Promise<Exit> {
  const child = spawn(process.execPath, serviceNodeArguments(), {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    }),
  );
}

let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(async () => database.drop());

test('NODE_ENV=production DEMO_SEED=true is a configuration error: exit 2, nothing loaded', async () => {
  const run = await serviceExit({
    NODE_ENV: 'production',
    DEMO_SEED: 'true',
    TOKEN_HASH_KEY: PRODUCTION_KEY,
    DATABASE_URL: database.url,
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('DEMO_SEED cannot be true in production');
  expect(await database.db('users').count('* as n')).toEqual([{ n: '0' }]);
});

test('npm run seed refuses NODE_ENV=production, and a database a production server has run on', async () => {
  const production = await npmScript('scripts/seed.ts', [], {
    NODE_ENV: 'production',
    TOKEN_HASH_KEY: PRODUCTION_KEY,
    DATABASE_URL: database.url,
  });
  expect(production.code).toBe(2);
  expect(production.stderr).toContain('cannot be loaded with NODE_ENV=production');
  // A production server starts (and marks the database), then stops.
  const server = spawn(process.execPath, serviceNodeArguments(), {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      TOKEN_HASH_KEY: PRODUCTION_KEY,
      DATABASE_URL: database.url,
      PORT: '0',
      LOG_LEVEL: 'warn',
      CONSOLE: 'off', // an API-only production server (the console's dist is not built here)
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exit = new Promise<number | null>((resolve) => server.on('exit', resolve));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) resolve();
    });
    void exit.then((code) =>
      reject(new Error(`the production server exited ${code} before listening: ${output}`)),
    );
  });
  server.kill('SIGTERM');
  expect([await exit, output]).toEqual([0, expect.any(String)]);
  // Run without NODE_ENV, as someone might by mistake: still refused, still nothing loaded.
  const later = await npmScript('scripts/seed.ts', [], { DATABASE_URL: database.url });
  expect(later.code).toBe(2);
  expect(later.stderr).toContain('this database has run in production');
  expect(await database.db('users').count('* as n')).toEqual([{ n: '0' }]);
});

test('a production start refuses a database that holds the demo users', async () => {
  expect((await npmScript('scripts/seed.ts', [], { DATABASE_URL: database.url })).code).toBe(0);
  const run = await serviceExit({
    NODE_ENV: 'production',
    TOKEN_HASH_KEY: PRODUCTION_KEY,
    DATABASE_URL: database.url,
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('holds the demo users');
});

test('create-admin makes the first ADMIN, prints a working token once, and is refused afterwards', async () => {
  const env = { DATABASE_URL: database.url, TOKEN_HASH_KEY: TEST_TOKEN_HASH_KEY };
  const first = await npmScript(
    'scripts/create-admin.ts',
    ['--email', 'Ops@Vendor.example', '--name', 'Ops Admin'],
    env,
  );
  expect(first.code).toBe(0);
  const token = /^(slt_\S+)$/m.exec(first.stdout)?.[1];
  expect(token).toMatch(/^slt_/);
  const server = await startTestServer(database.db);
  try {
    const me = await server.graphql<{ me: { email: string; roles: string[] } }>(
      token!,
      '{ me { email roles } }',
    );
    expect(me.data!.me).toEqual({ email: 'ops@vendor.example', roles: ['ADMIN'] });
  } finally {
    await server.close();
  }
  const audit = await database.db('audit_log').where({ request_id: 'cli:create-admin' }).orderBy('id');
  expect(audit.map((row) => row.action)).toEqual(['user.create', 'token.create']);
  expect(JSON.stringify(audit)).not.toContain(token!);
  const second = await npmScript(
    'scripts/create-admin.ts',
    ['--email', 'other@vendor.example', '--name', 'Other'],
    env,
  );
  expect(second.code).toBe(2);
  expect(second.stderr).toContain('an ADMIN already exists');
  const fresh = await createTestDatabase();
  try {
    const badName = await npmScript(
      'scripts/create-admin.ts',
      ['--email', 'x@vendor.example', '--name', 'Evil\u202Ename'],
      { ...env, DATABASE_URL: fresh.url },
    );
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('--name: name contains U+202E');
  } finally {
    await fresh.drop();
  }
});
