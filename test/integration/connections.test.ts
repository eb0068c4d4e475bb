// Every connection answers totalCount: the number of items its filter matches across all pages,
// the same on every page, and narrowed like the items to what the caller may read.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { actorOf, contextFor, createFreeService, inDays, key, keyAccountWithBudget } from '../support/money';
import { bookFreeService } from '../../src/modules/budgets/bookings';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;
let budgetId: string;
let accountId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
  const { account, budget } = await keyAccountWithBudget(database.db, org, actorOf(users.finance));
  await keyAccountWithBudget(database.db, org, actorOf(users.finance), { csm: org.otherCsm.id });
  accountId = account.id;
  budgetId = budget.id;
  const service = await createFreeService(database.db, actorOf(users.admin), '10.00');
  for (let i = 0; i < 3; i += 1)
    await bookFreeService(contextFor(database.db, actorOf(users.csm, org.csm.id)), {
      accountId,
      serviceId: service.id,
      plannedDate: inDays(2),
      idempotencyKey: key(),
    });
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

type Page = { totalCount: number; edges: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } };

async function pages(token: string, field: string, args = '') {
  const query = (after: string | null) =>
    `{ ${field}(first: 2${after ? `, after: "${after}"` : ''}${args}) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }`;
  const seen: { totalCount: number; size: number }[] = [];
  let after: string | null = null;
  for (;;) {
    const result: { data: Record<string, Page> | null; errors?: unknown[] } = await server.graphql<
      Record<string, Page>
    >(token, query(after));
    expect(result.errors).toBeUndefined();
    const page: Page = result.data![field]!;
    seen.push({ totalCount: page.totalCount, size: page.edges.length });
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor;
  }
}

test('bookings: the same total on every page, and the pages hold that many', async () => {
  const seen = await pages(users.finance.token, 'bookings');
  expect(seen).toEqual([
    { totalCount: 3, size: 2 },
    { totalCount: 3, size: 1 },
  ]);
});

test('customers: a CSM counts their own accounts only; a filter narrows the count', async () => {
  const all = await pages(users.finance.token, 'customers');
  const total = all[0]!.totalCount;
  expect(all.reduce((n, page) => n + page.size, 0)).toBe(total);
  expect(await pages(users.csm.token, 'customers')).toEqual([{ totalCount: 1, size: 1 }]);
  expect(await pages(users.finance.token, 'customers', ', filter: { search: "no such account" }')).toEqual([
    { totalCount: 0, size: 0 },
  ]);
});

test('a budget’s ledger and the audit log count their items', async () => {
  const ledger = await server.graphql<{ budget: { ledger: { totalCount: number } } }>(
    users.csm.token,
    `{ budget(id: "${budgetId}") { ledger(first: 1) { totalCount } } }`,
  );
  // The allocation and three reservations.
  expect(ledger.data).toEqual({ budget: { ledger: { totalCount: 4 } } });
  const audit = await server.graphql<{ auditLog: { totalCount: number } }>(
    users.admin.token,
    `{ auditLog(first: 1, filter: { action: "booking.book" }) { totalCount } }`,
  );
  expect(audit.data).toEqual({ auditLog: { totalCount: 3 } });
});
