// Request limits: each refusal names its limit; CSRF needs a header on preflight-free requests;
// production turns introspection and GraphiQL off unless configured on.
import http from 'node:http';
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

test('a token over its rate limit gets 429 with Retry-After; another token is unaffected', async () => {
  const limited = await startTestServer(database.db, { RATE_LIMIT_PER_MINUTE: '3' });
  try {
    for (let i = 0; i < 3; i += 1)
      expect((await limited.graphql(users.csm.token, '{ me { name } }')).status).toBe(200);
    const response = await fetch(`${limited.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${users.csm.token}` },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(response.status).toBe(429);
    // 3 a minute is one per 20 s; the bucket refills a little while the three requests run.
    expect([19, 20]).toContain(Number(response.headers.get('retry-after')));
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({
      extensions: { code: 'RATE_LIMITED' },
      message: expect.stringContaining('Rate limit of 3 requests per minute'),
    });
    expect((await limited.graphql(users.finance.token, '{ me { name } }')).status).toBe(200);
  } finally {
    await limited.close();
  }
});

test('the CSV exports draw on the same per-token budget as GraphQL', async () => {
  const limited = await startTestServer(database.db, { RATE_LIMIT_PER_MINUTE: '2' });
  const exportRoi = () =>
    fetch(`${limited.baseUrl}/export/roi.csv?fiscalYear=${new Date().getFullYear()}`, {
      headers: { authorization: `Bearer ${users.finance.token}` },
    });
  try {
    expect((await limited.graphql(users.finance.token, '{ me { name } }')).status).toBe(200);
    expect((await exportRoi()).status).toBe(200);
    const refused = await exportRoi();
    expect(refused.status).toBe(429);
    // 2 a minute is one per 30 s.
    expect([29, 30]).toContain(Number(refused.headers.get('retry-after')));
    expect(await refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await limited.graphql(users.finance.token, '{ me { name } }')).status).toBe(429);
  } finally {
    await limited.close();
  }
});

test('logs never contain the bearer token, at any level', async () => {
  const { default: pino } = await import('pino');
  const http = await import('node:http');
  const { createApp } = await import('../../src/app');
  const { REDACTED_PATHS } = await import('../../src/logger');
  const { testConfig } = await import('../support/server');
  const lines: string[] = [];
  // debug: every request's line is written, the refused ones included.
  const logger = pino(
    { level: 'debug', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    { write: (line: string) => lines.push(line) },
  );
  const config = testConfig();
  const app = http.createServer(
    createApp({ db: database.db, config, logger, fiscalCalendar: config.fiscal }),
  );
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  try {
    const port = (app.address() as { port: number }).port;
    const ids: string[] = [];
    for (const token of [users.admin.token, `${users.admin.token}x`]) {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ me { name } }' }),
      });
      await response.text();
      ids.push(response.headers.get('x-request-id')!);
    }
    // Lines are written when a response is done: wait for both requests' lines.
    for (const deadline = Date.now() + 5_000; !ids.every((id) => lines.some((line) => line.includes(id)));) {
      if (Date.now() > deadline) throw new Error('no request log lines within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const all = lines.join('\n');
    expect(all).not.toContain(users.admin.token);
    expect(all).not.toContain('Bearer');
  } finally {
    app.closeAllConnections();
    await new Promise((resolve) => app.close(resolve));
  }
});

test('batched requests (an array of operations) are refused: one operation per request', async () => {
  const response = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${users.admin.token}` },
    body: JSON.stringify([{ query: '{ me { name } }' }, { query: '{ me { id } }' }]),
  });
  const body = (await response.json()) as { errors?: { message: string }[]; data?: unknown };
  expect(response.status).toBe(400);
  expect(body.data).toBeUndefined();
  expect(body.errors?.[0]).toEqual({
    message: 'Batching is not supported.',
    extensions: { code: 'BAD_REQUEST' },
  });
});

/** Streams `total` bytes as a chunked body (no Content-Length) to /graphql; resolves with the status. */
function postChunked(baseUrl: string, total: number, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL('/graphql', baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        request.destroy();
      },
    );
    request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < total && !request.destroyed) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
      if (!request.destroyed) request.end();
    };
    pump();
  });
}

test('a chunked body (no Content-Length) over the limit is refused with 413 on the bytes read, even without a token', async () => {
  const statuses = await Promise.all(
    Array.from({ length: 8 }, () => postChunked(server.baseUrl, 20_000_000)),
  );
  expect(statuses).toEqual(Array(8).fill(413));
  // Under the limit, a chunked body is read and answered as usual.
  const query = JSON.stringify({ query: '{ me { name } }' });
  const response = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${users.admin.token}` },
    body: new Blob([query + ' '.repeat(900_000)]).stream(),
    duplex: 'half',
  } as RequestInit);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { me: { name: expect.any(String) } } });
});

test('requests without a valid token are limited per address, before any token lookup', async () => {
  const limited = await startTestServer(database.db, { ANONYMOUS_RATE_LIMIT_PER_MINUTE: '3' });
  try {
    const anonymous = () => limited.graphql(null, '{ __typename }');
    expect((await Promise.all([anonymous(), anonymous(), anonymous()])).map((r) => r.status)).toEqual([
      200, 200, 200,
    ]);
    const refused = await anonymous();
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]).toMatchObject({
      message: expect.stringContaining('requests without a valid token from this address'),
      extensions: { code: 'RATE_LIMITED' },
    });
  } finally {
    await limited.close();
  }
  const tokens = await startTestServer(database.db, { ANONYMOUS_RATE_LIMIT_PER_MINUTE: '3' });
  try {
    const random = () => tokens.graphql(`slt_random_${Math.random()}`, '{ me { name } }');
    const statuses: number[] = [];
    const firstThree = await tokenLookupsDuring(async () => {
      for (let i = 0; i < 3; i += 1) statuses.push((await random()).status);
    });
    expect(statuses).toEqual([401, 401, 401]);
    expect(firstThree).toBe(3);
    // The fourth unknown token from this address is refused without looking it up.
    expect(await tokenLookupsDuring(async () => statuses.push((await random()).status))).toBe(0);
    expect(statuses[3]).toBe(429);
  } finally {
    await tokens.close();
  }
});

/** Counts the statements the app's knex instance sends that read api_tokens, while `run` runs. */
async function tokenLookupsDuring(run: () => Promise<unknown>): Promise<number> {
  let lookups = 0;
  const listener = (query: { sql: string }) => {
    if (query.sql.includes('api_tokens')) lookups += 1;
  };
  database.db.on('query', listener);
  try {
    await run();
  } finally {
    database.db.off('query', listener);
  }
  return lookups;
}
