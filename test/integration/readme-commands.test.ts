// Every shell command in README.md, run as written (only the port changed to the test's own), on
// one fresh data directory: first with no service running (each command starts the embedded
// PostgreSQL for itself), then beside a running `npm start` (each command joins its PostgreSQL).
// A command added to the README without a line in COMMANDS below fails here.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/ports';

const root = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** Shell commands of the README's ```sh blocks, continuation lines joined, with the comment lines after each. */
function readmeCommands(): { command: string; comments: string[] }[] {
  const commands: { command: string; comments: string[] }[] = [];
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    let pending = '';
    for (const line of block[1]!.split('\n')) {
      if (line.startsWith('#')) {
        commands.at(-1)?.comments.push(line.replace(/^#\s?/, ''));
        continue;
      }
      if (line.trim() === '') continue;
      pending += line.replace(/\\$/, '').trim() + ' ';
      if (!line.endsWith('\\')) {
        commands.push({ command: pending.trim().replace(/\s+#.*$/, ''), comments: [] });
        pending = '';
      }
    }
  }
  return commands;
}

/** Commands named inline in the README's prose (`npm run …`, `npx …`, with any variables before them). */
function inlineCommands(): string[] {
  const spans = [...readme.matchAll(/`((?:[A-Z_]+=\S+ )*(?:npm|npx)\s[^`]+)`/g)].map((m) =>
    m[1]!.replace(/\s+/g, ' '),
  );
  return [...new Set(spans)];
}

/** Run here, with a service and without one (the README's names for them, in a block or inline). */
const COMMANDS = [
  'npm run migrate',
  'npm run seed',
  'npm run import:customers -- seeds/customers.csv --as admin@demo.example',
  'npm run expire-reservations',
  'npm run knex -- migrate:status',
];
/** Every other README command, and where it is run or why it is not. */
const ELSEWHERE: Record<string, string> = {
  'npm ci && npm start': 'this test starts the service with `npm start` (npm ci is the install)',
  'npm ci && npm test': 'CI runs it (.ci/run)',
  'npm start': 'this test starts the service with it',
  'npm test': 'CI runs it (.ci/run)',
  'NODE_ENV=production TOKEN_HASH_KEY=… DATABASE_URL=postgres://… npm run create-admin -- --email ops@vendor.example --name "Ops Admin"':
    'test/integration/production.test.ts runs create-admin against a production database',
  'npm run create-admin -- --email E --name N': 'the same, in the list of commands',
  'npm run import:customers -- FILE': 'the general form of the import run here',
  'npm run bench': 'test/integration/bench.test.ts runs the bench (at a small size)',
  'npm run bench -- --accounts 2000 --entries 100000 --duration 3 --runs 2':
    'test/integration/bench.test.ts runs the bench (at a small size)',
  'npm run typecheck': 'part of npm test',
  'npm run browser:ensure': 'part of npm test',
  'npm run lint': 'part of npm test',
  'npm run test:faults': 'part of npm test',
  'FAULT_SEED=n npm run test:faults': 'npm test runs the fault suite with its fixed seed',
  'npm run format': 'rewrites files; npm test runs its check (prettier --check, in lint)',
  'npm run schema': 'test/integration/schema-drift.test.ts prints the schema the same way and compares',
  'npm run test:mutation': 'about an hour; run by hand, its result is in the README',
  'npm run test:mutation -- --mutate src/shared/money.ts': 'the same, for one file',
  'npm run test:mutation -- --summary': 'run below: it only reads test/mutation/',
  'npm run test:mutation -- --survivors': 'run below: its list must be test/mutation/SURVIVORS.md',
  'npm run console:build': 'test/integration/console-browser.test.ts builds the console with it',
  'CONSOLE_SCREENSHOTS=1 npx jest console-browser':
    'npm test runs console-browser (its screenshots to a temporary directory)',
  'npm run console:metrics': 'test/integration/console-browser.test.ts runs it and checks the size target',
  'FUZZ_SEED=n FUZZ_RUNS=n npx jest bad-input': 'npm test runs bad-input with its fixed seed',
  'MODEL_SEED=n MODEL_OPS=n npx jest money-model': 'npm test runs money-model with its fixed seed',
};

type Run = { code: number | null; stdout: string; output: string };

function sh(command: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd: root, env: asUser(env) });
    let [stdout, output] = ['', ''];
    child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), (output += chunk.toString())));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, output });
    });
  });
}

/** A user's environment: this process's, without jest's NODE_ENV=test, plus the test's own. */
function asUser(own: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_ENV: _jest, ...inherited } = process.env;
  return { ...inherited, ...own };
}

let base: string;
let env: NodeJS.ProcessEnv;
let service: ChildProcess | null = null;

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-commands-'));
  env = {
    EMBEDDED_PG_DIR: path.join(base, 'postgres'),
    EMBEDDED_PG_PORT: String(await freePort()),
    PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
    NODE_ENV: '',
  };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
});

afterAll(async () => {
  if (service && service.exitCode === null) {
    const exited = new Promise((resolve) => service!.once('exit', resolve));
    service.kill('SIGINT');
    await exited;
  }
  fs.rmSync(base, { recursive: true, force: true });
});

test('every command in the README is either run here or named with where it is run', () => {
  const blocks = readmeCommands();
  const named = [...blocks.map((c) => c.command).filter((c) => !c.startsWith('curl ')), ...inlineCommands()];
  expect([...new Set(named)].sort()).toEqual([...COMMANDS, ...Object.keys(ELSEWHERE)].sort());
  // The curl examples: the first states its answer, the two CSV exports do not.
  const curls = blocks.filter((c) => c.command.startsWith('curl '));
  expect(curls.map((c) => c.comments.length > 0)).toEqual([true, false, false]);
});

test('the mutation summary prints the table of every mutated file from the kept results', async () => {
  const run = await sh('npm run test:mutation -- --summary', env);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('| file | score | killed | timed out | survived | not covered | ignored |');
  expect(run.stdout).toContain('| src/shared/money.ts |');
});

test('the survivors list is every undetected mutant of the kept results, as committed in test/mutation/SURVIVORS.md', async () => {
  const run = await sh('npm run test:mutation -- --survivors', env);
  expect(run.code).toBe(0);
  const kept = fs.readFileSync(path.join(root, 'test/mutation/SURVIVORS.md'), 'utf8');
  expect(kept.slice(kept.indexOf('### '))).toBe(run.stdout.slice(run.stdout.indexOf('### ')));
});

test('each command exits 0 on a fresh data directory with no service running', async () => {
  for (const command of COMMANDS) {
    const run = await sh(command, env);
    expect([command, run.code, run.code === 0 ? '' : run.output]).toEqual([command, 0, '']);
  }
  expect(fs.existsSync(path.join(env.EMBEDDED_PG_DIR!, 'postmaster.pid'))).toBe(false);
}, 300_000);

test('beside a running service each command exits 0, and the curl examples answer as the README says', async () => {
  let output = '';
  service = spawn('bash', ['-c', 'exec npm start'], { cwd: root, env: asUser(env) });
  service.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  service.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (!output.includes('demo_admin_token')) {
    if (Date.now() > deadline || service.exitCode !== null)
      throw new Error(`service did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const command of COMMANDS) {
    const run = await sh(command, env);
    expect([command, run.code, run.code === 0 ? '' : run.output]).toEqual([command, 0, '']);
    expect(run.output).toContain('using the PostgreSQL already running');
  }
  const port = env.PORT!;
  for (const { command, comments } of readmeCommands().filter((c) => c.command.startsWith('curl '))) {
    const run = await sh(`${command.replaceAll('localhost:4000', `localhost:${port}`)} -f -S`, env);
    expect([command, run.code]).toEqual([command, 0]);
    // A stated answer is the answer; a CSV export starts with its header row.
    if (comments.length > 0) expect(JSON.parse(run.stdout)).toEqual(JSON.parse(comments.join('\n')));
    else expect(run.stdout.split('\r\n')[0]).toMatch(/^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)+$/);
  }
  // The console is at / (Vite's dev middleware under npm start): its page and its entry module,
  // compiled on request, and the demo users the sign-in page offers.
  const page = await fetch(`http://localhost:${port}/`);
  expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('<div id="root"></div>')]);
  const entry = await fetch(`http://localhost:${port}/src/main.tsx`);
  expect([entry.status, entry.headers.get('content-type')]).toEqual([
    200,
    expect.stringContaining('javascript'),
  ]);
  const demoUsers = (await (await fetch(`http://localhost:${port}/console/demo-users`)).json()) as {
    token: string;
  }[];
  expect(demoUsers.map((user) => user.token)).toContain('demo_csm_token');
  expect(output).toContain(`Console: http://localhost:${port}/`);
  const exited = new Promise<number | null>((resolve) => service!.once('exit', (code) => resolve(code)));
  service.kill('SIGINT');
  expect(await exited).toBe(0);
}, 300_000);
