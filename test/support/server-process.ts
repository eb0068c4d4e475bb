// The real service as its own process (`node dist/src/main.js`, compiled), as production runs it:
// for tests that need several instances, or that kill one.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { TEST_TOKEN_HASH_KEY } from './server';
import { serviceNodeArguments } from '../../scripts/service-command';

const ROOT = path.resolve(__dirname, '../..');

export type ServerProcess = {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output: () => string;
  /** Resolves when the process has exited (at once if it already has). */
  exited: () => Promise<void>;
  /** SIGTERM (graceful) or SIGKILL (kill -9), then waits for the exit. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

export async function startServerProcess(options: {
  databaseUrl: string;
  /** 0 picks a free port; pass the previous port to restart "the same" server. */
  port?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<ServerProcess> {
  const child = spawn(process.execPath, serviceNodeArguments(), {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: options.databaseUrl,
      TOKEN_HASH_KEY: TEST_TOKEN_HASH_KEY,
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DEMO_SEED: 'false',
      LOG_LEVEL: 'warn',
      DB_POOL_MAX: '8',
      CONSOLE: 'off', // the console's own tests ask for it
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  while (!/listening on http:\/\/localhost:(\d+)/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null || child.signalCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const port = Number(/listening on http:\/\/localhost:(\d+)/.exec(output)![1]);
  const exited = () => exit;
  return {
    child,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exit;
    },
  };
}
