// Drops this run's template and stops what global-setup started (a container or the embedded
// cluster; nothing for a URL, which may be shared with other runs).
import { createDatabase } from '../../src/db/knex';
import type { ProvidedDatabase } from './provider';

export default async function globalTeardown(): Promise<void> {
  const provided = (globalThis as { __testDatabase?: ProvidedDatabase }).__testDatabase;
  if (!provided) return;
  if (process.env.TEST_TEMPLATE_GIVEN === 'true') return await provided.stop(); // the caller's to drop
  const admin = createDatabase({ url: provided.adminUrl, poolMax: 1, statementTimeoutMs: 60_000 });
  try {
    await admin.raw(`drop database if exists ${process.env.TEST_TEMPLATE_DATABASE} with (force)`);
  } finally {
    await admin.destroy();
  }
  await provided.stop();
}
