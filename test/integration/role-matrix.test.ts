// The role matrix: every query and mutation × every role, with the outcome each must get. One
// test walks the whole table over HTTP; another fails when the schema has a root field the table
// does not list, so a new field cannot ship without a decision on who may use it.
//
// Each call selects every readable field below its root field (test/support/deep-selection.ts),
// and for the two CSMs no path of the answer may carry another CSM's account data: nested objects
// of accounts the viewer may not read must come back null with NOT_FOUND, never with their data.
//
// The table itself, with the legend, is test/support/operation-table.ts (the bad-input matrix
// reuses its valid inputs).
import { GraphQLObjectType } from 'graphql';
import { schema } from '../../src/graphql/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/server';
import {
  buildFixture,
  MUTATIONS,
  QUERIES,
  ROLES,
  type Fixture,
  type Role,
  type Row,
} from '../support/operation-table';
import { deepen } from '../support/deep-selection';
import { foreignMarkers, leaksIn } from '../support/leaks';

let database: TestDatabase;
let server: TestServer;
let fixture: Fixture;

beforeAll(async () => {
  database = await createTestDatabase();
  // The deep selections are far larger than any client's query: lift the document limits.
  server = await startTestServer(database.db, {
    RATE_LIMIT_PER_MINUTE: '100000',
    GRAPHQL_MAX_TOKENS: '100000',
    GRAPHQL_MAX_DEPTH: '40',
    GRAPHQL_MAX_COST: '10000000',
  });
  fixture = await buildFixture(database.db, server);
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

function outcomeOf(
  field: string,
  response: GraphQLResponse,
  row: Row,
  data: Record<string, unknown>,
): string {
  // Only an error on the root field itself decides the outcome; nested ones are checked apart.
  const error = response.errors?.find((e) => !e.path || e.path.length <= 1);
  if (error) {
    const code = error.extensions?.code;
    if (code === 'UNAUTHENTICATED' && response.status === 401) return 'UNAUTH';
    if (code === 'FORBIDDEN') return 'FORBIDDEN';
    if (code === 'NOT_FOUND') return 'NOT_FOUND';
    return `ERROR ${code}: ${error.message}`;
  }
  const value = data[field] as { __typename?: string; message?: string } | null | undefined;
  if (value && typeof value === 'object' && value.__typename?.endsWith('Error')) {
    if (value.__typename === 'ForbiddenError') return 'FORBIDDEN';
    if (value.__typename === 'NotFoundError') return 'NOT_FOUND';
    return `${value.__typename}: ${value.message}`;
  }
  if (!(field in data)) return 'NO ANSWER';
  if (row.sees && !row.sees(data, fixture)) return 'FILTERED';
  return 'ALLOW';
}

async function auditCount(): Promise<number> {
  const [{ n }] = (await database.db('audit_log').count('* as n')) as [{ n: string }];
  return Number(n);
}

/** The person a CSM role is; null for the roles that read every account. */
function viewerPerson(role: Role): string | null {
  if (role === 'csmOwn') return fixture.org.csm.id;
  if (role === 'csmOther') return fixture.org.otherCsm.id;
  return null;
}

async function walk(kind: 'query' | 'mutation', rows: Record<string, Row>) {
  const mismatches: string[] = [];
  for (const [field, row] of Object.entries(rows)) {
    const document = deepen(schema, row.document, field);
    for (const [index, role] of ROLES.entries()) {
      const expected = row.expected[index]!;
      const variables = await row.variables(fixture);
      const before = kind === 'mutation' ? await auditCount() : 0;
      const response = await server.graphql(fixture.tokens[role], document, variables);
      const data = (response.data ?? {}) as Record<string, unknown>;
      const actual = outcomeOf(field, response, row, data);
      if (actual !== expected) mismatches.push(`${field} as ${role}: expected ${expected}, got ${actual}`);
      // A refusal changes nothing: not even an audit row.
      if (kind === 'mutation' && expected !== 'ALLOW' && (await auditCount()) !== before)
        mismatches.push(`${field} as ${role}: refused, yet an audit row was written`);
      // Below an answered root field, the only error allowed is an unreadable object hidden as NOT_FOUND.
      const person = viewerPerson(role);
      for (const nested of response.errors?.filter((e) => (e.path?.length ?? 0) > 1) ?? []) {
        if (person === null || nested.extensions?.code !== 'NOT_FOUND')
          mismatches.push(
            `${field} as ${role}: ${nested.extensions?.code} at ${nested.path?.join('.')}: ${nested.message}`,
          );
      }
      if (person !== null) {
        const leaks = leaksIn(response.data, await foreignMarkers(database.db, person));
        for (const leak of leaks) mismatches.push(`${field} as ${role}: another CSM's data at ${leak}`);
      }
    }
  }
  return mismatches;
}

test('every query answers each role as the table says', async () => {
  expect(await walk('query', QUERIES)).toEqual([]);
});

test('every mutation answers each role as the table says, and a refusal changes nothing', async () => {
  expect(await walk('mutation', MUTATIONS)).toEqual([]);
});

test('every root field of the schema has a row in the table, and every row a field', () => {
  const fields = (type: GraphQLObjectType | null | undefined) => Object.keys(type?.getFields() ?? {}).sort();
  expect({ queries: Object.keys(QUERIES).sort(), mutations: Object.keys(MUTATIONS).sort() }).toEqual({
    queries: fields(schema.getQueryType()),
    mutations: fields(schema.getMutationType()),
  });
});
