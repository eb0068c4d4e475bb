// The token cache across instances: two server processes on one database, TOKEN_CACHE_MS=3000.
// A token revoked through one instance is refused by that instance at once and by the other
// within the bound, not later; before the bound the other still answers from its cache, which
// shows the cache is on (and the bound is real, not a lookup per request in disguise).
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createStandardUsers, createUserWithToken } from '../support/factories';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const BOUND_MS = 3_000;
let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let revoker: ServerProcess;
let other: ServerProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  users = await createStandardUsers(database.db);
  const env = { TOKEN_CACHE_MS: String(BOUND_MS) };
  [revoker, other] = await Promise.all([
    startServerProcess({ databaseUrl: database.url, env }),
    startServerProcess({ databaseUrl: database.url, env }),
  ]);
});
afterAll(async () => {
  await Promise.all([revoker?.stop(), other?.stop()]);
  await database.drop();
});

async function status(server: ServerProcess, token: string, query = '{ me { name } }'): Promise<number> {
  const response = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  await response.text();
  return response.status;
}

test(`a revoked token: refused at once where revoked, within ${BOUND_MS} ms on another instance`, async () => {
  const victim = await createUserWithToken(database.db, ['CSM']);
  expect(await status(revoker, victim.token)).toBe(200);
  const cachedAt = Date.now();
  expect(await status(other, victim.token)).toBe(200);
  const { id } = await database.db('api_tokens').where({ user_id: victim.user.id }).first('id');
  expect(
    await status(
      revoker,
      users.admin.token,
      `mutation { revokeApiToken(tokenId: "${id}") { __typename ... on ApiToken { revokedAt } } }`,
    ),
  ).toBe(200);
  expect(await status(revoker, victim.token)).toBe(401);
  // The other instance answers from its cache until the bound...
  const served = await status(other, victim.token);
  if (Date.now() - cachedAt < BOUND_MS - 500) expect(served).toBe(200);
  // ...and refuses the token once the bound has passed since it was looked up.
  let refusedAfterMs = Number.NaN;
  for (;;) {
    if ((await status(other, victim.token)) === 401) {
      refusedAfterMs = Date.now() - cachedAt;
      break;
    }
    if (Date.now() - cachedAt > BOUND_MS + 5_000) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(refusedAfterMs).toBeLessThanOrEqual(BOUND_MS + 1_000);
});

test('a token unknown at first and created afterwards works at once (unknown tokens are not cached)', async () => {
  const user = await createUserWithToken(database.db, ['FINANCE']);
  await database.db('api_tokens').where({ user_id: user.user.id }).update({ revoked_at: new Date() });
  expect(await status(other, user.token)).toBe(401);
  await database.db('api_tokens').where({ user_id: user.user.id }).update({ revoked_at: null });
  expect(await status(other, user.token)).toBe(200);
});
