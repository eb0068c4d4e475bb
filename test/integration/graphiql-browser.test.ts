// GraphiQL in a real browser with no network beyond this machine: every asset it loads comes from
// the service (the installed @graphql-yoga/graphiql package), and a query run from its editor
// answers. Any request to another host is refused and fails the test.
import type { Browser } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { launchBrowser } from '../support/browser';
import { insertToken, insertUser } from '../../src/modules/users/repository';
import { hashToken } from '../../src/modules/users/tokens';
import { TEST_TOKEN_HASH_KEY } from '../support/server';

let database: TestDatabase;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db, { GRAPHIQL: 'true' });
  // GraphiQL's headers editor starts with the demo admin's token; give this database that user.
  const user = await insertUser(database.db, {
    name: 'GraphiQL admin',
    email: 'graphiql@test.example',
    roles: ['ADMIN'],
  });
  await insertToken(database.db, {
    userId: user.id,
    label: 'demo',
    tokenHash: hashToken(TEST_TOKEN_HASH_KEY, 'demo_admin_token'),
  });
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server.close();
  await database.drop();
});

test('GraphiQL loads from the service alone and runs a query', async () => {
  const page = await browser.newPage();
  const origin = new URL(server.baseUrl).origin;
  const elsewhere: string[] = [];
  const loaded: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) {
      loaded.push(url.slice(origin.length));
      await route.continue();
    } else {
      elsewhere.push(url);
      await route.abort();
    }
  });
  await page.goto(`${server.baseUrl}/graphql?query=${encodeURIComponent('{ me { name roles } }')}`);
  await page.locator('.graphiql-execute-button').click({ timeout: 30_000 });
  await page.locator('.result-window').getByText('GraphiQL admin').waitFor({ timeout: 30_000 });
  const result = await page.locator('.result-window').innerText();
  expect(result.replace(/\s+/g, '')).toContain('"me":{"name":"GraphiQLadmin","roles":["ADMIN"]}');
  expect(elsewhere).toEqual([]);
  expect(loaded).toEqual(
    expect.arrayContaining(['/graphiql-assets/yoga-graphiql.umd.js', '/graphiql-assets/graphiql.css']),
  );
  await page.close();
}, 120_000);
