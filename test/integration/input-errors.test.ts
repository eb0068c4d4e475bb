// One answer for bad input: whether a value comes in a variable (under any variable name) or is
// written in the query text, the error has code VALIDATION_FAILED and `extensions.field` is the
// argument path (input.actualCost), with the location in the query. The HTTP status follows the
// GraphQL-over-HTTP spec: 200 when the client accepts application/json, 400 when it accepts
// application/graphql-response+json. Errors in the document itself keep graphql's codes.
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

type Answer = {
  status: number;
  errors: { message: string; locations?: unknown[]; extensions: { code: string; field?: string } }[];
  data?: unknown;
};

async function post(
  query: string,
  variables: Record<string, unknown> = {},
  accept = 'application/json',
): Promise<Answer> {
  const response = await fetch(`${server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${users.csm.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}

const BOOKING = '00000000-0000-4000-8000-000000000001';
const KEY = 'key-0123456789';
const deliver = (input: string, signature = '') =>
  `mutation${signature} { deliverBooking(input: ${input}) { __typename } }`;

// [label, query, variables, the field named]
const cases: [string, string, Record<string, unknown>, string][] = [
  [
    'a variable named $input with a bad field',
    deliver('$input', '($input: DeliverBookingInput!)'),
    { input: { bookingId: BOOKING, actualCost: '1e3', idempotencyKey: KEY } },
    'input.actualCost',
  ],
  [
    'a variable named $i with a bad field',
    deliver('$i', '($i: DeliverBookingInput!)'),
    { i: { bookingId: BOOKING, actualCost: '1e3', idempotencyKey: KEY } },
    'input.actualCost',
  ],
  [
    'a variable holding one field of a literal object',
    deliver(`{ bookingId: "${BOOKING}", actualCost: $cost, idempotencyKey: "${KEY}" }`, '($cost: Money)'),
    { cost: '1e3' },
    'input.actualCost',
  ],
  [
    'a variable missing a required field',
    deliver('$i', '($i: DeliverBookingInput!)'),
    { i: { actualCost: '10', idempotencyKey: KEY } },
    'input.bookingId',
  ],
  ['a required variable not given', deliver('$i', '($i: DeliverBookingInput!)'), {}, 'input'],
  [
    'a literal of the wrong form',
    deliver(`{ bookingId: "${BOOKING}", actualCost: "1e3", idempotencyKey: "${KEY}" }`),
    {},
    'input.actualCost',
  ],
  [
    'a literal of the wrong JSON type',
    deliver(`{ bookingId: "${BOOKING}", actualCost: 12.5, idempotencyKey: "${KEY}" }`),
    {},
    'input.actualCost',
  ],
  [
    'a literal object missing a required field',
    deliver(`{ actualCost: "10", idempotencyKey: "${KEY}" }`),
    {},
    'input.bookingId',
  ],
  [
    'a literal object with a field its type does not have',
    deliver(`{ bookingId: "${BOOKING}", idempotencyKey: "${KEY}", tip: "5" }`),
    {},
    'input.tip',
  ],
  ['a required argument left out', 'mutation { deliverBooking { __typename } }', {}, 'input'],
  [
    'a bad literal in a list, by index',
    '{ costAllocation(period: { fiscalYear: 2026 }, groupBy: [TIER], filter: { kinds: [SPEND, SPLURGE] }) { totalCount } }',
    {},
    'filter.kinds.1',
  ],
];

test.each(cases)(
  '%s: VALIDATION_FAILED naming the argument path',
  async (_label, query, variables, field) => {
    const answer = await post(query, variables);
    expect(answer.status).toBe(200);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors[0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect(answer.errors[0]!.locations).toEqual([expect.objectContaining({ line: 1 })]);
  },
);

test.each(cases)(
  '%s: answered 400 to a client accepting application/graphql-response+json',
  async (_label, query, variables, field) => {
    const answer = await post(query, variables, 'application/graphql-response+json');
    expect(answer.status).toBe(400);
    expect(answer.errors[0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field });
  },
);

test('a refusal by the service itself has the same code and path style', async () => {
  const answer = await post(`{ bookings(first: 201) { edges { node { id } } } }`, {});
  expect(answer.errors[0]!.extensions).toEqual({ code: 'VALIDATION_FAILED', field: 'first' });
});

test('a NUL character is refused naming the argument path, not the variable', async () => {
  const answer = await post(`mutation($c: CancelBookingInput!) { cancelBooking(input: $c) { __typename } }`, {
    c: { bookingId: BOOKING, reason: 'a\u0000b', idempotencyKey: KEY },
  });
  expect(answer.errors[0]!.extensions).toEqual({ code: 'VALIDATION_FAILED', field: 'input.reason' });
});

test('a NUL character written in the query text is refused every time the document is sent', async () => {
  const query = `mutation { cancelBooking(input: { bookingId: "${BOOKING}", reason: "a\\u0000b", idempotencyKey: "${KEY}" }) { __typename } }`;
  // The second answer comes from the document's cached search, and must refuse as the first.
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const answer = await post(query, {});
    expect(answer.errors[0]!.message).toBe(
      'a string in the query contains a NUL character, which text cannot hold',
    );
    expect(answer.errors[0]!.extensions).toEqual({
      code: 'VALIDATION_FAILED',
      field: 'a string in the query',
    });
  }
});

test('errors in the document itself keep graphql’s codes', async () => {
  const unknownField = await post('{ me { shoeSize } }');
  expect(unknownField.errors[0]!.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  const syntax = await post('{ me { ');
  expect(syntax.errors[0]!.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
});
