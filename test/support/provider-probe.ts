// Run as a plain Node process (tsx): provides a database exactly as a test run would, proves it
// is a real PostgreSQL, stops it, and prints what happened as JSON for provider.test.ts.
import pg from 'pg';
import { defaultProviderDependencies, provideTestDatabase } from './provider';

async function probe(): Promise<void> {
  const dependencies = defaultProviderDependencies();
  dependencies.env = { ...process.env, TEST_DATABASE_URL: '' };
  const provided = await provideTestDatabase(dependencies);
  try {
    const client = new pg.Client({ connectionString: provided.adminUrl });
    await client.connect();
    const { rows } = await client.query<{ version: string }>('select version()');
    await client.end();
    process.stdout.write(
      JSON.stringify({ kind: provided.kind, fallbacks: provided.fallbacks, version: rows[0]!.version }),
    );
  } finally {
    await provided.stop();
  }
}

probe().catch((error: unknown) => {
  process.stderr.write(String(error instanceof Error ? error.stack : error));
  process.exit(1);
});
