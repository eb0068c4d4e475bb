// Root query fields are nullable: one field the caller may not read answers null with an error at
// its path, and the other fields of the same query still answer (a dashboard keeps what it may see).
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

test('a CSM asking for me and for budget transfers gets me, and FORBIDDEN at budgetTransfers only', async () => {
  const result = await server.graphql(
    users.csm.token,
    '{ me { email roles } budgetTransfers { edges { node { id } } } }',
  );
  expect(result.status).toBe(200);
  expect(result.data).toEqual({ me: { email: users.csm.user.email, roles: ['CSM'] }, budgetTransfers: null });
  expect(result.errors).toEqual([
    expect.objectContaining({ path: ['budgetTransfers'], extensions: { code: 'FORBIDDEN' } }),
  ]);
});

test('an unknown object by id is null with NOT_FOUND at its path; the rest answers', async () => {
  const unknown = '00000000-0000-4000-8000-0000000000ff';
  const result = await server.graphql(
    users.finance.token,
    `{ me { email } budget(id: "${unknown}") { id } }`,
  );
  expect(result.data).toEqual({ me: { email: users.finance.user.email }, budget: null });
  expect(result.errors).toEqual([
    expect.objectContaining({ path: ['budget'], extensions: { code: 'NOT_FOUND', field: 'id' } }),
  ]);
});
