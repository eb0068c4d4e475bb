// CSV import: every row checked first, all-or-nothing or good rows only, idempotent on external id.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, TEST_TOKEN_HASH_KEY, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const IMPORT = `mutation($csv: String!, $mode: ImportMode) {
  importCustomers(csv: $csv, mode: $mode, source: "test.csv") {
    ... on CustomerImportReport { imported rowsRead created updated unchanged rejected errors { line column message } }
  }
}`;
type Report = {
  imported: boolean;
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: { line: number; column: string | null; message: string }[];
};
const runImport = async (csv: string, mode?: string) =>
  (await server.graphql<{ importCustomers: Report }>(users.admin.token, IMPORT, { csv, mode })).data!
    .importCustomers;

const header = 'external_id,name,tier,industry,region,channel_partner,fiscal_year,contribution,potential';

describe('importCustomers', () => {
  test('a good file imports, and importing it again changes nothing', async () => {
    const csv = [
      header,
      `IMP-1,Imported One,A,Retail,East,,2026,3000000.00,9000000`,
      `IMP-2,"Imported, Two",E,Food,South,${org.partner.name},,,`,
      `IMP-3,Imported Three,D,,,,,,`,
    ].join('\n');
    expect(await runImport(csv)).toEqual({
      imported: true,
      rowsRead: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      errors: [],
    });
    const two = await database.db('customers').where({ external_id: 'IMP-2' }).first();
    expect(two).toMatchObject({ name: 'Imported, Two', tier: 'E', channel_partner_id: org.partner.id });
    const history = await database.db('customer_tier_history').where({ account_id: two.id });
    expect(history).toMatchObject([
      { to_tier: 'E', reason: 'CSV import (test.csv)', changed_by: users.admin.user.id },
    ]);
    const financials = await database
      .db('customer_financials')
      .join('customers', 'customers.id', 'customer_financials.account_id')
      .where({ external_id: 'IMP-1' })
      .first('contribution');
    expect(financials.contribution).toBe('3000000.00');

    const auditBefore = await database.db('audit_log').where({ action: 'customer.update' }).count('* as n');
    expect(await runImport(csv)).toEqual({
      imported: true,
      rowsRead: 3,
      created: 0,
      updated: 0,
      unchanged: 3,
      rejected: 0,
      errors: [],
    });
    expect(await database.db('customers').where('external_id', 'like', 'IMP-%').count('* as n')).toEqual([
      { n: '3' },
    ]);
    expect(await database.db('audit_log').where({ action: 'customer.update' }).count('* as n')).toEqual(
      auditBefore,
    );

    const changed = csv.replace('IMP-3,Imported Three,D', 'IMP-3,Imported Three,C');
    expect(await runImport(changed)).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const three = await database.db('customers').where({ external_id: 'IMP-3' }).first();
    expect(three.tier).toBe('C');
    expect(
      await database.db('customer_tier_history').where({ account_id: three.id }).orderBy('id'),
    ).toMatchObject([{ to_tier: 'D' }, { from_tier: 'D', to_tier: 'C', reason: 'CSV import (test.csv)' }]);
  });

  const bad = [
    header,
    `BAD-1,Good Row,B,,,,,,`,
    `BAD-2,,B,,,,,,`,
    `BAD-3,Wrong Tier,F,,,,,,`,
    `BAD-4,No Partner,E,,,,,,`,
    `BAD-5,Bad Money,B,,,,2026,1e6,100`,
    `BAD-6,Unknown Partner,E,,,No Such Partner,,,`,
    `BAD-1,Duplicate,B,,,,,,`,
    `BAD-8,Half Figures,B,,,,2026,100,`,
  ].join('\n');

  test('all or nothing: one bad row imports nothing, and every bad row is reported with its line', async () => {
    const report = await runImport(bad);
    expect(report).toMatchObject({ imported: false, rowsRead: 8, created: 0, rejected: 8 });
    expect(report.errors.map((error) => [error.line, error.column])).toEqual([
      [3, 'name'],
      [4, 'tier'],
      [5, 'channel_partner'],
      [6, 'contribution'],
      [8, 'external_id'],
      [9, 'fiscal_year'],
      [7, 'channel_partner'],
    ]);
    expect(report.errors.find((error) => error.line === 6)?.message).toContain('plain decimal');
    expect(report.errors.find((error) => error.line === 8)?.message).toContain('already appears on line 2');
    expect(await database.db('customers').where('external_id', 'like', 'BAD-%').count('* as n')).toEqual([
      { n: '0' },
    ]);
  });

  test('good rows only: the good rows are imported and the bad ones reported', async () => {
    const report = await runImport(bad, 'GOOD_ROWS_ONLY');
    expect(report).toMatchObject({ imported: true, rowsRead: 8, created: 1, rejected: 7 });
    expect(report.errors).toHaveLength(7);
    expect(await database.db('customers').where('external_id', 'like', 'BAD-%').pluck('external_id')).toEqual(
      ['BAD-1'],
    );
  });

  test('a re-import that would strip a key account of its CSM is refused for that row', async () => {
    const account = await org.customer('A', { name: 'Has CSM' });
    await database.db('customers').where({ id: account.id }).update({ external_id: 'CSM-1' });
    const csv = [header, 'CSM-1,Has CSM,B,Manufacturing,East,,,,', 'CSM-2,Fresh,D,,,,,,'].join('\n');
    const strict = await runImport(csv);
    expect(strict).toMatchObject({ imported: false, created: 0 });
    expect(strict.errors).toEqual([
      { line: 2, column: 'tier', message: expect.stringContaining('releaseCsm') },
    ]);
    expect(await database.db('customers').where({ external_id: 'CSM-2' }).first()).toBeUndefined();
    const lenient = await runImport(csv, 'GOOD_ROWS_ONLY');
    expect(lenient).toMatchObject({ imported: true, created: 1, rejected: 1 });
    expect((await database.db('customers').where({ id: account.id }).first()).tier).toBe('A');
  });

  test('file-level problems: missing and unknown columns, broken CSV', async () => {
    expect((await runImport('name,tier,colour\nX,A,red')).errors.map((e) => e.message)).toEqual([
      'column external_id is missing',
      expect.stringContaining('unknown column colour'),
    ]);
    expect((await runImport(`${header}\nX,"unterminated,A`)).errors[0]!.message).toContain('not valid CSV');
  });

  test('only ADMIN may import', async () => {
    const result = await server.graphql(users.finance.token, IMPORT, { csv: header });
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('npm run import:customers', () => {
  test('imports a file, reports bad rows with line numbers, exits non-zero on bad rows', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-'));
    const file = path.join(dir, 'customers.csv');
    fs.writeFileSync(
      file,
      [header, 'CLI-1,Cli One,B,,,,,,', 'CLI-2,Cli Two,Q,,,,,,', 'CLI-3,Cli Three,D,,,,,,'].join('\n'),
    );
    const root = path.resolve(__dirname, '../..');
    const env = {
      PATH: process.env.PATH,
      DATABASE_URL: database.url,
      TOKEN_HASH_KEY: TEST_TOKEN_HASH_KEY,
      LOG_LEVEL: 'silent',
    };
    const run = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', path.join(root, 'scripts/import-customers.ts'), ...args],
        { cwd: root, env },
      ).then(
        (result) => ({ code: 0, ...result }),
        (error: { code: number; stdout: string; stderr: string }) => ({
          code: error.code,
          stdout: error.stdout,
          stderr: error.stderr,
        }),
      );
    const strict = await run(file);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('line 3 (tier): tier must be one of A, B, C, D, E');
    expect(strict.stdout).toContain('nothing imported: 3 rows read, 0 created');
    const lenient = await run(file, '--good-rows-only', '--as', users.admin.user.email);
    expect(lenient.stdout).toContain('imported: 3 rows read, 2 created, 0 updated, 0 unchanged, 1 rejected');
    const again = await run(file, '--good-rows-only');
    expect(again.stdout).toContain('0 created, 0 updated, 2 unchanged, 1 rejected');
    expect(
      await database
        .db('customers')
        .where('external_id', 'like', 'CLI-%')
        .orderBy('external_id')
        .pluck('external_id'),
    ).toEqual(['CLI-1', 'CLI-3']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
