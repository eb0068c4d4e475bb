// Authentication and role refusals through the real HTTP endpoint.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers, createUserWithToken } from '../support/factories';
import { createOrg } from '../support/org';

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

async function rawPost(headers: Record<string, string>, query: string) {
  const response = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

describe('authentication', () => {
  test('a valid token answers me', async () => {
    const result = await server.graphql<{ me: { name: string; roles: string[] } }>(
      users.finance.token,
      '{ me { name roles } }',
    );
    expect(result.status).toBe(200);
    expect(result.data?.me).toEqual({ name: users.finance.user.name, roles: ['FINANCE'] });
  });

  test('me and the user list name the person linked to a user, if any', async () => {
    const org = await createOrg(database.db, users);
    const me = (token: string) =>
      server.graphql<{ me: { personId: string | null } }>(token, '{ me { personId } }');
    expect([(await me(users.csm.token)).data?.me, (await me(users.finance.token)).data?.me]).toEqual([
      { personId: org.csm.id },
      { personId: null },
    ]);
    const list = await server.graphql<{
      users: { totalCount: number; edges: { node: { id: string; personId: string | null } }[] };
    }>(users.admin.token, '{ users(first: 200) { totalCount edges { node { id personId } } } }');
    const byId = new Map(list.data!.users.edges.map(({ node }) => [node.id, node.personId]));
    expect(list.data!.users.totalCount).toBe(list.data!.users.edges.length);
    expect([byId.get(users.otherCsm.user.id), byId.get(users.salesLeader.user.id)]).toEqual([
      org.otherCsm.id,
      null,
    ]);
  });

  test.each([
    ['no Authorization header', {}, 'Authentication required'],
    ['an unknown token', { authorization: 'Bearer not-a-real-token' }, 'unknown or revoked'],
    ['a malformed header', { authorization: 'Basic abc' }, 'must be "Bearer <API token>"'],
    ['a bearer with two parts', { authorization: 'Bearer a b' }, 'must be "Bearer <API token>"'],
  ])('%s is refused with 401', async (_case, headers, message) => {
    const { status, body } = await rawPost(headers, '{ me { name } }');
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.message).toContain(message);
  });

  test('a revoked token stops working at once', async () => {
    const victim = await createUserWithToken(database.db, ['CSM']);
    expect((await server.graphql(victim.token, '{ me { name } }')).status).toBe(200);
    const tokenRow = await database.db('api_tokens').where({ user_id: victim.user.id }).first('id');
    const revoked = await server.graphql<{
      revokeApiToken: { __typename: string; revokedAt: string | null };
    }>(
      users.admin.token,
      `mutation($id: ID!) { revokeApiToken(tokenId: $id) { __typename ... on ApiToken { revokedAt } } }`,
      { id: tokenRow.id },
    );
    expect(revoked.data?.revokeApiToken.__typename).toBe('ApiToken');
    const revokedAt = new Date(String(revoked.data?.revokeApiToken.revokedAt)).getTime();
    const databaseNow = ((await database.db.raw('select now() as at')).rows[0].at as Date).getTime();
    expect(databaseNow - revokedAt).toBeGreaterThanOrEqual(0);
    expect(databaseNow - revokedAt).toBeLessThan(60_000);
    expect((await server.graphql(victim.token, '{ me { name } }')).status).toBe(401);
  });

  test('a deactivated user cannot sign in', async () => {
    const victim = await createUserWithToken(database.db, ['FINANCE']);
    await database.db('users').where({ id: victim.user.id }).update({ active: false });
    expect((await server.graphql(victim.token, '{ me { name } }')).status).toBe(401);
  });

  test('introspection works without a token (GraphiQL loads the schema)', async () => {
    const result = await server.graphql(null, '{ __schema { queryType { name } } }');
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });

  test('a token created by an admin signs in as its user, and only its hash is stored', async () => {
    const created = await server.graphql<{ createApiToken: { secret: string; token: { userId: string } } }>(
      users.admin.token,
      `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { ... on CreatedApiToken { secret token { userId } } } }`,
      { input: { userId: users.csm.user.id, label: 'laptop' } },
    );
    const secret = created.data!.createApiToken.secret;
    expect(secret).toMatch(/^slt_[\w-]{43}$/);
    const me = await server.graphql<{ me: { name: string } }>(secret, '{ me { name } }');
    expect(me.data?.me.name).toBe(users.csm.user.name);
    const stored = await database.db('api_tokens').where({ user_id: users.csm.user.id }).select('token_hash');
    expect(stored.some((row) => row.token_hash.includes(secret))).toBe(false);
    const audit = await database.db('audit_log').where({ action: 'apiToken.create' }).first();
    expect(JSON.stringify(audit)).not.toContain(secret);
  });
});

describe('authorisation by role', () => {
  const adminOnly = [
    ['users', '{ users { edges { node { id } } } }'],
    [
      'createUser',
      'mutation { createUser(input: { name: "X", email: "x@y.example", roles: [CSM] }) { __typename } }',
    ],
  ];
  test.each(['csm', 'finance', 'salesLeader'] as const)(
    '%s is refused admin-only operations',
    async (role) => {
      for (const [field, query] of adminOnly) {
        const result = await server.graphql(users[role].token, query!);
        expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
        expect(result.errors?.[0]?.path).toEqual([field]);
      }
    },
  );

  test.each([
    ['admin', true],
    ['finance', true],
    ['salesLeader', false],
    ['csm', false],
  ] as const)('auditLog for %s allowed: %s', async (role, allowed) => {
    const result = await server.graphql(
      users[role].token,
      '{ auditLog(first: 1) { edges { node { id } } } }',
    );
    expect(result.errors?.[0]?.extensions?.code ?? 'ANSWERED').toBe(allowed ? 'ANSWERED' : 'FORBIDDEN');
  });
});
