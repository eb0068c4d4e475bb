// The benchmark script keeps working: a tiny run against the test cluster generates data,
// drives bookings, times the reports, verifies the ledger and writes its JSON figures.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../..');

test('npm run bench at a tiny scale completes and verifies the ledger', async () => {
  const before = new Set(
    fs.existsSync(path.join(root, 'bench/results')) ? fs.readdirSync(path.join(root, 'bench/results')) : [],
  );
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
  const written = fs.readdirSync(path.join(root, 'bench/results')).filter((file) => !before.has(file));
  expect(written).toHaveLength(1);
  const figures = JSON.parse(fs.readFileSync(path.join(root, 'bench/results', written[0]!), 'utf8'));
  expect(Object.keys(figures.booking)).toEqual(['spread/1', 'spread/4', 'hot/1', 'hot/4']);
  expect(figures.reports.allocation.graphql.median).toBeGreaterThan(0);
  fs.rmSync(path.join(root, 'bench/results', written[0]!));
});
