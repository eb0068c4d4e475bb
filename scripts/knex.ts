// `npm run knex -- <command>` (e.g. `migrate:status`): the knex CLI against the service's
// database, the same one the other commands use: DATABASE_URL when set; otherwise the embedded
// PostgreSQL, joined when the service is running and started for the command when it is not.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/db/open';

async function run(): Promise<number> {
  const config = loadConfig();
  const database = await openDatabase(config, createLogger('warn'), { shareRunning: true });
  try {
    const root = path.join(__dirname, '..');
    const cli = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(root, 'node_modules/knex/bin/cli.js'),
        '--knexfile',
        path.join(root, 'knexfile.ts'),
        ...process.argv.slice(2),
      ],
      { stdio: 'inherit', cwd: root, env: { ...process.env, DATABASE_URL: database.url } },
    );
    return await new Promise<number>((resolve) => cli.on('exit', (code) => resolve(code ?? 1)));
  } finally {
    await database.close();
  }
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
