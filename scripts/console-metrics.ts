// `npm run console:metrics`: what the console costs a user. Builds it (vite build), sums the
// gzip size of what index.html loads first (and of everything, lazy chunks included), then serves it with the demo on a temporary
// PostgreSQL and times, in Chromium, a signed-in CSM's first account board on localhost: from
// navigation to the first account card on screen, the median of RUNS cold page loads (a new
// browser context each, so nothing is cached). Prints a table and writes the JSON to stdout's end.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { DateTime } from 'luxon';
import pino from 'pino';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { CONSOLE_DIST_DIR, mountConsole } from '../src/console';
import { createDatabase } from '../src/db/knex';
import { migrateToLatest } from '../src/db/migrate';
import { fiscalYearOf } from '../src/shared/fiscal';
import { DEMO_USERS, seedDemo } from '../seeds/demo';
import { launchBrowser } from '../test/support/browser';
import { startTemporaryEmbeddedPostgres } from '../test/support/provider';

const ROOT = path.join(__dirname, '..');
const RUNS = 5;
export const INITIAL_GZIP_BYTES_MAX = 300 * 1024;

const gzipBytesOf = (file: string) =>
  zlib.gzipSync(fs.readFileSync(path.join(CONSOLE_DIST_DIR, file)), { level: 9 }).length;

/** Every script and style the build made, the report screens' lazy chunks (charts) included. */
function allAssets(): { file: string; gzipBytes: number }[] {
  return fs
    .readdirSync(path.join(CONSOLE_DIST_DIR, 'assets'))
    .filter((name) => /\.(js|css)$/.test(name))
    .map((name) => ({ file: `assets/${name}`, gzipBytes: gzipBytesOf(`assets/${name}`) }));
}

function initialAssets(): { file: string; gzipBytes: number }[] {
  const html = fs.readFileSync(path.join(CONSOLE_DIST_DIR, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  return files.map((file) => ({ file, gzipBytes: gzipBytesOf(file) }));
}

async function main(): Promise<number> {
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'console/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
  const assets = initialAssets();
  const gzipBytes = assets.reduce((sum, asset) => sum + asset.gzipBytes, 0);
  const everything = allAssets();
  const allGzipBytes = everything.reduce((sum, asset) => sum + asset.gzipBytes, 0);

  const cluster = await startTemporaryEmbeddedPostgres();
  const config = loadConfig({ NODE_ENV: 'development', CONSOLE: 'dist', LOG_LEVEL: 'silent' });
  const db = createDatabase({ url: cluster.url, poolMax: 8, statementTimeoutMs: 60_000 });
  const app = createApp({ db, config, logger: pino({ level: 'silent' }), fiscalCalendar: config.fiscal });
  const server = http.createServer(app);
  const browser = await launchBrowser();
  const timings: number[] = [];
  try {
    await migrateToLatest(db);
    await seedDemo(db, { config, fiscalYear: fiscalYearOf(config.fiscal, DateTime.now()) });
    await mountConsole(app, config, { server, demoUsers: [] });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const csm = DEMO_USERS.find((user) => user.key === 'csm')!.token;
    for (let run = 0; run < RUNS; run += 1) {
      const context = await browser.newContext({ locale: 'zh-CN' });
      await context.addInitScript((token) => sessionStorage.setItem('service-ledger.token', token), csm);
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${base}/accounts`);
      await page.locator('[data-account] [data-figure="remaining"]').first().waitFor();
      timings.push(performance.now() - started);
      await context.close();
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.destroy();
    await cluster.stop();
  }
  const sorted = [...timings].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const lines = [
    '| initial asset | gzip |',
    '|---|---|',
    ...assets.map((asset) => `| ${asset.file} | ${(asset.gzipBytes / 1024).toFixed(1)} KB |`),
    `| **total** | **${(gzipBytes / 1024).toFixed(1)} KB** (target ≤ ${INITIAL_GZIP_BYTES_MAX / 1024} KB) |`,
    `| everything, loaded as screens open (${everything.length} files, the charts' chunk included) | ${(allGzipBytes / 1024).toFixed(1)} KB |`,
    '',
    `first account board (CSM, demo, localhost, cold context): median ${median.toFixed(0)} ms of ${RUNS} (${sorted.map((t) => t.toFixed(0)).join(', ')} ms)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({ gzipBytes, allGzipBytes, assets, boardMs: { median, runs: timings } })}\n`,
  );
  return gzipBytes <= INITIAL_GZIP_BYTES_MAX ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
