// Jest's handle on pg-control.ts: a PostgreSQL in a temporary directory that a test can stop and
// start while the service keeps running against it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { freePort } from '../../support/ports';

export { freePort };

export type ControlledPostgres = {
  /** Superuser URL of the `postgres` database. */
  url: string;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  close: () => Promise<void>;
};

export async function startControlledPostgres(): Promise<ControlledPostgres> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-fault-pg-'));
  fs.chmodSync(base, 0o755); // as root, the postgres user must reach the data directory
  const root = path.resolve(__dirname, '../../..');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(__dirname, 'pg-control.ts'),
      path.join(base, 'data'),
      String(await freePort()),
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waiting: ((message: { event: string; url?: string; message?: string }) => void)[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      waiting.shift()?.(JSON.parse(line));
    } catch {
      // not one of ours (the library's own output): ignore
    }
  });
  const next = (timeoutMs = 60_000) =>
    new Promise<{ event: string; url?: string; message?: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pg-control did not answer: ${stderr}`)), timeoutMs);
      waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  const command = async (name: 'start' | 'stop', expected: string) => {
    const answer = next();
    child.stdin!.write(`${name}\n`);
    const message = await answer;
    if (message.event !== expected) throw new Error(`pg-control ${name}: ${JSON.stringify(message)}`);
    return message;
  };
  const first = await next();
  if (first.event !== 'started') throw new Error(`pg-control: ${JSON.stringify(first)} ${stderr}`);
  return {
    url: first.url!,
    stop: async () => void (await command('stop', 'stopped')),
    start: async () => void (await command('start', 'started')),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.write('exit\n');
      child.stdin!.end();
      await exited;
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
