// Request limits: each refusal names its limit; CSRF needs a header on preflight-free requests;
// production turns introspection and GraphiQL off unless configured on.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const nest = (depth: number): string =>
  depth === 0 ? 'name' : `csm { teams { team { members { person { ${nest(depth - 1)} } } } } }`;

test.each([
  ['depth', `{ customers { edges { node { ${nest(3)} } } } }`, 'Query depth limit of 12 exceeded, found 19'],
  [
    'aliases',
    `{ ${Array.from({ length: 21 }, (_, i) => `a${i}: me { name }`).join(' ')} }`,
    'Aliases limit of 20 exceeded, found 21',
  ],
  [
    'directives',
    `{ me { ${Array.from({ length: 21 }, () => 'name @include(if: true)').join(' ')} } }`,
    'Directives limit of 20 exceeded, found 21',
  ],
  ['tokens', `{ me { ${'name '.repeat(5001)} } }`, 'Token limit of 5000 exceeded'],
])('a query over the %s limit is refused, naming the limit', async (_limit, query, message) => {
  const result = await server.graphql(users.admin.token, query);
  expect(result.data ?? null).toBeNull();
  expect(result.errors?.map((e) => e.message).join(' ')).toContain(message);
});

test('the cost limit is configurable and named', async () => {
  const strict = await startTestServer(database.db, { GRAPHQL_MAX_COST: '100' });
  try {
    const result = await strict.graphql(
      users.admin.token,
      '{ customers(first: 50) { edges { node { name csm { name teams { team { name } } } supportTeam { name } } } } }',
    );
    expect(result.errors?.[0]?.message).toContain('Query Cost limit of 100 exceeded, found');
    expect((await strict.graphql(users.admin.token, '{ me { name } }')).errors).toBeUndefined();
  } finally {
    await strict.close();
  }
});

test('a GET (no preflight) without the CSRF header is refused; with it, it runs', async () => {
  const url = `${server.baseUrl}/graphql?query=${encodeURIComponent('{ me { name } }')}`;
  const refused = await fetch(url, { headers: { authorization: `Bearer ${users.admin.token}` } });
  expect(refused.status).toBe(403);
  expect(await refused.text()).toContain('Required CSRF header(s) not present');
  const allowed = await fetch(url, {
    headers: { authorization: `Bearer ${users.admin.token}`, 'x-graphql-yoga-csrf': '1' },
  });
  expect(allowed.status).toBe(200);
  expect(await allowed.json()).toEqual({ data: { me: { name: users.admin.user.name } } });
});

test('production: introspection and GraphiQL are off unless configured on', async () => {
  const production = await startTestServer(database.db, { NODE_ENV: 'production' });
  const opened = await startTestServer(database.db, { NODE_ENV: 'production', INTROSPECTION: 'true' });
  try {
    const closed = await production.graphql(users.admin.token, '{ __schema { queryType { name } } }');
    expect(closed.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await opened.graphql(users.admin.token, '{ __schema { queryType { name } } }')).data).toEqual({
      __schema: { queryType: { name: 'Query' } },
    });
    const page = await fetch(`${production.baseUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect((await page.text()).toLowerCase()).not.toContain('graphiql');
  } finally {
    await production.close();
    await opened.close();
  }
});
