// The GraphQL-over-HTTP spec audit of the graphql-http package (its serverAudits), against the
// real server: every MUST and every SHOULD passes. The audits send an API token (every operation
// here needs one); MAY audits are run too and must not fail fatally, but are not required.
import { serverAudits, type Audit } from 'graphql-http';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';

let database: TestDatabase;
let server: TestServer;
let token: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  token = (await createStandardUsers(database.db)).csm.token;
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const withToken = (input: string | URL | Request, init?: RequestInit) => {
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

const audits: Audit[] = serverAudits({ url: () => `${server.baseUrl}/graphql`, fetchFn: withToken });
const required = audits.filter((audit) => !audit.name.startsWith('MAY'));

test('the audit has its full list of requirements (graphql-http 1.23.1: 13 MUST, 23 SHOULD, 25 MAY)', () => {
  const count = (level: string) => audits.filter((audit) => audit.name.startsWith(`${level} `)).length;
  expect([count('MUST'), count('SHOULD'), count('MAY')]).toEqual([13, 23, 25]);
});

test.each(required.map((audit) => [audit.id, audit.name, audit] as const))(
  '%s %s',
  async (_id, _name, audit) => {
    const result = await audit.fn();
    expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
  },
);

test('MAY audits run without a fatal error', async () => {
  for (const audit of audits.filter((a) => a.name.startsWith('MAY'))) {
    const result = await audit.fn();
    expect(['ok', 'warn', 'notice']).toContain(result.status);
  }
});
