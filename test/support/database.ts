// One database per test file, cloned from the migrated template: files run in parallel and
// never see each other's rows. Call in beforeAll; drop in afterAll.
import crypto from 'node:crypto';
import { createDatabase, type Database } from '../../src/db/knex';
import { templateDatabase, withDatabase } from './urls';

export type TestDatabase = { db: Database; url: string; name: string; drop: () => Promise<void> };

function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url)
    throw new Error(
      'TEST_ADMIN_DATABASE_URL is not set: run the tests through jest (global setup provides it)',
    );
  return url;
}

export async function createTestDatabase(options: { poolMax?: number } = {}): Promise<TestDatabase> {
  const name = `ledger_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = createDatabase({ url: adminUrl(), poolMax: 1, statementTimeoutMs: 60_000 });
  try {
    await admin.raw(`create database ${name} template ${templateDatabase()}`);
  } finally {
    await admin.destroy();
  }
  const url = withDatabase(adminUrl(), name);
  const db = createDatabase({ url, poolMax: options.poolMax ?? 10, statementTimeoutMs: 30_000 });
  return {
    db,
    url,
    name,
    drop: async () => {
      await db.destroy();
      const cleanup = createDatabase({ url: adminUrl(), poolMax: 1, statementTimeoutMs: 60_000 });
      try {
        await cleanup.raw(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.destroy();
      }
    },
  };
}
