// Runs once before all test files: provides PostgreSQL, migrates a template database of this
// run's own (dropped by global teardown), and tells the workers (through the environment) where
// to clone their own databases from.
import { createDatabase } from '../../src/db/knex';
import { migrateToLatest } from '../../src/db/migrate';
import { defaultProviderDependencies, provideTestDatabase } from './provider';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { withDatabase } from './urls';

export default async function globalSetup(): Promise<void> {
  const provided = await provideTestDatabase(defaultProviderDependencies());
  (globalThis as { __testDatabase?: typeof provided }).__testDatabase = provided;
  process.stdout.write(
    `\ntest database: ${provided.kind}${provided.fallbacks.length ? ` (fell back: ${provided.fallbacks.join('; ')})` : ''}\n`,
  );
  // A template prepared by the caller (npm run test:mutation: one for every mutant's run) is used
  // as it is; otherwise this run makes and migrates its own.
  if (process.env.TEST_TEMPLATE_GIVEN === 'true' && process.env.TEST_TEMPLATE_DATABASE) {
    process.env.TEST_ADMIN_DATABASE_URL = provided.adminUrl;
    process.env.TEST_PROVIDER_KIND = provided.kind;
    return;
  }
  // Tests that start the service as a process run the compiled service: compile it if stale.
  execFileSync(process.execPath, [path.resolve(__dirname, '../../scripts/build-if-stale.mjs')], {
    stdio: 'inherit',
  });
  const templateName = `ledger_test_template_${crypto.randomBytes(5).toString('hex')}`;
  const admin = createDatabase({ url: provided.adminUrl, poolMax: 1, statementTimeoutMs: 60_000 });
  try {
    await admin.raw(`create database ${templateName}`);
  } finally {
    await admin.destroy();
  }
  const template = createDatabase({
    url: withDatabase(provided.adminUrl, templateName),
    poolMax: 1,
    statementTimeoutMs: 60_000,
  });
  try {
    await migrateToLatest(template);
  } finally {
    await template.destroy();
  }
  process.env.TEST_ADMIN_DATABASE_URL = provided.adminUrl;
  process.env.TEST_TEMPLATE_DATABASE = templateName;
  process.env.TEST_PROVIDER_KIND = provided.kind;
}
