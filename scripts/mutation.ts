// `npm run test:mutation`: StrykerJS over the money core (stryker.config.json). One PostgreSQL
// and one migrated template serve every mutant's test run (global setup reuses a template it
// is given), so a mutant costs its tests, not a cluster start. Arguments go to stryker, e.g.
// `npm run test:mutation -- --mutate src/modules/budgets/rules.ts`.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { createDatabase } from '../src/db/knex';
import { migrateToLatest } from '../src/db/migrate';
import { startTemporaryEmbeddedPostgres } from '../test/support/provider';
import { withDatabase } from '../test/support/urls';

async function run(): Promise<number> {
  const given = process.env.TEST_DATABASE_URL;
  const cluster = given
    ? { url: given, stop: async () => undefined }
    : await startTemporaryEmbeddedPostgres();
  const template = `ledger_mutation_template_${crypto.randomBytes(5).toString('hex')}`;
  const admin = createDatabase({ url: cluster.url, poolMax: 1, statementTimeoutMs: 60_000 });
  try {
    await admin.raw(`create database ${template}`);
    const db = createDatabase({
      url: withDatabase(cluster.url, template),
      poolMax: 1,
      statementTimeoutMs: 60_000,
    });
    await migrateToLatest(db).finally(() => db.destroy());
    const stryker = spawn(
      process.execPath,
      [
        path.join(__dirname, '../node_modules/@stryker-mutator/core/bin/stryker.js'),
        'run',
        ...process.argv.slice(2),
      ],
      {
        stdio: 'inherit',
        env: {
          ...process.env,
          TEST_DATABASE_URL: cluster.url,
          TEST_TEMPLATE_DATABASE: template,
          TEST_TEMPLATE_GIVEN: 'true',
          // jest cannot bail (StrykerJS runs every covering test of each mutant), and the property
          // test covers nearly every mutant: 25 sequences here instead of npm test's 100.
          PROPERTY_RUNS: process.env.PROPERTY_RUNS ?? '25',
        },
      },
    );
    return await new Promise<number>((resolve) => stryker.on('exit', (code) => resolve(code ?? 1)));
  } finally {
    await admin.raw(`drop database if exists ${template} with (force)`).catch(() => undefined);
    await admin.destroy();
    await cluster.stop();
  }
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
