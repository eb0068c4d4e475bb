// Runs once before all test files: provides PostgreSQL, migrates a template database, and
// tells the workers (through the environment) where to clone their own databases from.
import { createDatabase } from '../../src/db/knex';
import { migrateToLatest } from '../../src/db/migrate';
import { defaultProviderDependencies, provideTestDatabase } from './provider';
import { TEMPLATE_DATABASE, withDatabase } from './urls';

export default async function globalSetup(): Promise<void> {
  const provided = await provideTestDatabase(defaultProviderDependencies());
  (globalThis as { __testDatabase?: typeof provided }).__testDatabase = provided;
  process.stdout.write(
    `\ntest database: ${provided.kind}${provided.fallbacks.length ? ` (fell back: ${provided.fallbacks.join('; ')})` : ''}\n`,
  );
  const admin = createDatabase({ url: provided.adminUrl, poolMax: 1, statementTimeoutMs: 60_000 });
  try {
    await admin.raw(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.raw(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.destroy();
  }
  const template = createDatabase({
    url: withDatabase(provided.adminUrl, TEMPLATE_DATABASE),
    poolMax: 1,
    statementTimeoutMs: 60_000,
  });
  try {
    await migrateToLatest(template);
  } finally {
    await template.destroy();
  }
  process.env.TEST_ADMIN_DATABASE_URL = provided.adminUrl;
  process.env.TEST_PROVIDER_KIND = provided.kind;
}
