// The access log of GraphQL traffic: one info line per request that executed an operation, with
// the request id, the operation's name and type, the user, the HTTP status, the duration and the
// outcome; refusals before execution (401, malformed) at debug; never the token.
import http from 'node:http';
import pino from 'pino';
import { createApp } from '../../src/app';
import { REDACTED_PATHS } from '../../src/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createStandardUsers } from '../support/factories';
import { testConfig } from '../support/server';

let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let server: http.Server;
let port: number;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  users = await createStandardUsers(database.db);
  const logger = pino(
    { level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const config = testConfig();
  server = http.createServer(createApp({ db: database.db, config, logger, fiscalCalendar: config.fiscal }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await database.drop();
});

async function post(token: string | null, body: string): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers, body });
  await response.text();
  return response.headers.get('x-request-id')!;
}

/** The info lines of one request, once the operation's line (if any) has been written. */
async function linesOf(requestId: string, expectOperation: boolean) {
  const ofRequest = () =>
    lines.filter((line) => line.requestId === requestId || (line.req as { id?: string })?.id === requestId);
  for (const deadline = Date.now() + 5_000; expectOperation && ofRequest().length === 0;) {
    if (Date.now() > deadline) throw new Error(`no log line for ${requestId} within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return ofRequest();
}

test('an operation is one info line: name, type, user, duration and outcome', async () => {
  const id = await post(users.csm.token, JSON.stringify({ query: 'query WhoAmI { me { name } }' }));
  const [line, ...more] = await linesOf(id, true);
  expect(more).toEqual([]);
  expect(line).toMatchObject({
    level: 30,
    msg: 'graphql operation',
    operationName: 'WhoAmI',
    operationType: 'query',
    userId: users.csm.user.id,
    outcome: 'ok',
    errorCodes: [],
    status: 200,
  });
  expect(typeof line!.durationMs === 'number' && line!.durationMs >= 0).toBe(true);
  expect(JSON.stringify(lines)).not.toContain(users.csm.token);
});

test('errors are named by their codes; an unnamed operation has no name', async () => {
  const id = await post(users.csm.token, JSON.stringify({ query: '{ budgetTransfers { totalCount } }' }));
  expect(await linesOf(id, true)).toEqual([
    expect.objectContaining({
      operationName: null,
      operationType: 'query',
      outcome: 'errors',
      errorCodes: ['FORBIDDEN'],
    }),
  ]);
  const chosen = await post(
    users.finance.token,
    JSON.stringify({ query: 'query A { me { name } } mutation B { __typename }', operationName: 'B' }),
  );
  expect(await linesOf(chosen, true)).toEqual([
    expect.objectContaining({ operationName: 'B', operationType: 'mutation', outcome: 'ok' }),
  ]);
});

test('refusals before execution and the HTTP line itself stay out of the info log', async () => {
  const anonymous = await post(null, JSON.stringify({ query: '{ me { name } }' }));
  const malformed = await post(users.csm.token, '{"query": "{ me { ');
  // A request that is logged comes after both, so theirs would have been written by then.
  const later = await post(users.csm.token, JSON.stringify({ query: '{ me { name } }' }));
  await linesOf(later, true);
  expect([await linesOf(anonymous, false), await linesOf(malformed, false)]).toEqual([[], []]);
  expect(lines.filter((line) => line.msg === 'request completed')).toEqual([]);
});
