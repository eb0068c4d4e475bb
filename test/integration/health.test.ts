// Liveness and readiness probes.
import { createDatabase } from '../../src/db/knex';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createStandardUsers } from '../support/factories';
import { startTestServer } from '../support/server';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

test('healthz and readyz answer when the database does', async () => {
  const server = await startTestServer(database.db);
  try {
    expect(await (await fetch(`${server.baseUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get('x-request-id')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  } finally {
    await server.close();
  }
});

test('readyz is 503 when the database cannot be reached, while healthz stays up', async () => {
  const unreachable = createDatabase({
    url: 'postgres://nobody:x@127.0.0.1:1/none',
    poolMax: 1,
    statementTimeoutMs: 1000,
  });
  const server = await startTestServer(unreachable);
  try {
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
  } finally {
    await server.close();
    await unreachable.destroy();
  }
});

test('a request body over the limit is refused with 413', async () => {
  const server = await startTestServer(database.db);
  try {
    const response = await fetch(`${server.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ me { name } } #${'x'.repeat(1_100_000)}` }),
    });
    expect(response.status).toBe(413);
  } finally {
    await server.close();
  }
});

test('an unreachable database is a retryable 503 that leaks nothing', async () => {
  const unreachable = createDatabase({
    url: 'postgres://nobody:x@127.0.0.1:1/none',
    poolMax: 1,
    statementTimeoutMs: 1000,
  });
  const server = await startTestServer(unreachable);
  try {
    const result = await server.graphql(`some_token`, '{ me { name } }');
    const text = JSON.stringify(result);
    expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|at \w+ \(/);
    expect(result.status).toBe(503);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
  } finally {
    await server.close();
    await unreachable.destroy();
  }
});

test('unexpected failures are masked for the client: no SQL, no stack, a code to quote', async () => {
  const users = await createStandardUsers(database.db);
  const server = await startTestServer(database.db);
  // Fault injection: the insert fails inside the database for a reason no client could cause.
  await database.db.raw(`
    create function fail_team_insert() returns trigger language plpgsql as $$
    begin raise exception 'injected failure in select * from teams'; end $$;
    create trigger inject_failure before insert on teams for each row execute function fail_team_insert();`);
  try {
    const result = await server.graphql(
      users.admin.token,
      `mutation { createTeam(input: { name: "Masked", kind: SUPPORT }) { __typename } }`,
    );
    expect(JSON.stringify(result)).not.toMatch(/injected|select|teams|at \w+ \(/);
    expect(result.errors?.[0]).toMatchObject({
      message: 'Unexpected error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  } finally {
    await database.db.raw('drop trigger inject_failure on teams; drop function fail_team_insert();');
    await server.close();
  }
});
