// The benchmark script keeps working: a tiny run against the test cluster generates data,
// drives bookings, times the reports, verifies the ledger and writes its JSON figures. It uses
// a database and a results folder of its own, so it runs again and again against a persistent
// TEST_DATABASE_URL and never writes into the repository.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDatabase } from '../../src/db/knex';

const root = path.resolve(__dirname, '../..');
const databaseName = `bench_test_${crypto.randomBytes(5).toString('hex')}`;
const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));

afterAll(async () => {
  fs.rmSync(resultsDir, { recursive: true, force: true });
  const admin = createDatabase({
    url: process.env.TEST_ADMIN_DATABASE_URL!,
    poolMax: 1,
    statementTimeoutMs: 60_000,
  });
  try {
    await admin.raw(`drop database if exists ${databaseName} with (force)`);
  } finally {
    await admin.destroy();
  }
});

test('npm run bench at a tiny scale completes and verifies the ledger', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'bench/index.ts'),
      '--database-url',
      process.env.TEST_ADMIN_DATABASE_URL!,
      '--accounts',
      '60',
      '--entries',
      '3000',
      '--duration',
      '1',
      '--runs',
      '1',
      '--report-runs',
      '2',
      '--concurrency',
      '1,4',
      '--database-name',
      databaseName,
      '--results-dir',
      resultsDir,
    ],
    {
      cwd: root,
      timeout: 120_000,
      env: { ...process.env, TOKEN_HASH_KEY: 'bench-token-hash-key-0123456789' },
    },
  );
  expect(stdout).toContain('generated 60 accounts and 3000 ledger entries');
  expect(stdout).toMatch(/booking hot\s+4 clients: service [\d.]+ TPS/);
  expect(stdout).toMatch(/ledger check: \d+ budgets, none below zero, every total equals its ledger/);
  const written = fs.readdirSync(resultsDir);
  expect(written).toHaveLength(1);
  const figures = JSON.parse(fs.readFileSync(path.join(resultsDir, written[0]!), 'utf8'));
  expect(Object.keys(figures.booking)).toEqual(['spread/1', 'spread/4', 'hot/1', 'hot/4']);
  expect(figures.reports.allocation.graphql.median).toBeGreaterThan(0);
});
