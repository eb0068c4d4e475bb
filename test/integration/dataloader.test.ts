// Related objects load in batches: the number of SQL statements for a page of customers with
// their CSM, teams, partner, projects and history does not grow with the page size.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
  for (let index = 0; index < 30; index += 1) {
    await org.customer((['A', 'B', 'C', 'D', 'E'] as const)[index % 5]!, {
      name: `Batch ${String(index).padStart(2, '0')}`,
    });
  }
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const QUERY = `query($first: Int!) { customers(first: $first) { edges { node {
  name csm { name teams { team { name } } } supportTeam { name members { person { name } } } expertTeam { name }
  channelPartner { name } salesRep { name } deliveryProjects { name } tierHistory { toTier } financials { fiscalYear }
} } } }`;

async function countQueries(first: number): Promise<number> {
  // Who the token names is cached per instance (users/token-cache.ts): looked up once here first,
  // so neither count includes it.
  await server.graphql(users.finance.token, '{ me { name } }');
  let count = 0;
  const listener = () => (count += 1);
  database.db.on('query', listener);
  try {
    const result = await server.graphql(users.finance.token, QUERY, { first });
    expect(result.errors).toBeUndefined();
  } finally {
    database.db.off('query', listener);
  }
  return count;
}

test('the statement count is the same for 10 and for 30 customers', async () => {
  // Both pages hold every tier, so every kind of related object is loaded in each.
  const tiersInFirst10 = await database.db.raw(
    `select count(distinct tier)::int as n from (select tier from customers order by name, id limit 10) t`,
  );
  expect(tiersInFirst10.rows[0].n).toBe(5);
  const few = await countQueries(10);
  const many = await countQueries(30);
  expect(many).toBe(few);
  // page (1) + one batch per related kind; a per-row pattern would be well above 30.
  expect(many).toBeLessThan(20);
});
