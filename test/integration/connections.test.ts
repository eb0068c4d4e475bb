// Every connection answers totalCount: the number of items its filter matches across all pages,
// the same on every page, and narrowed like the items to what the caller may read.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { actorOf, contextFor, createFreeService, inDays, key, keyAccountWithBudget } from '../support/money';
import { bookFreeService } from '../../src/modules/budgets/service';

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

const year = () => new Date().getFullYear(); // any year works: the totals need only agree with the pages
const LISTS: [string, string, string, number][] = [
  // [field, token, other arguments, at least this many items here]
  ['budgets', 'finance', '', 2],
  ['budgets', 'csm', '', 1],
  ['budgetTransfers', 'finance', ', pendingOnly: false', 0],
  ['users', 'admin', '', 5],
  ['people', 'csm', '', 3],
  ['coverageGaps', 'finance', '', 0],
  ['paidOrders', 'finance', '', 0],
  ['tierSuggestions', 'finance', '', 0],
  ['accountRoi', 'finance', `, period: { fiscalYear: ${year()} }, basis: POSTING_PERIOD`, 2],
  [
    'costAllocation',
    'finance',
    `, period: { fiscalYear: ${year()} }, groupBy: [ACCOUNT, ENTRY_KIND], basis: POSTING_PERIOD`,
    3,
  ],
  ['fairnessSignals', 'finance', `, fiscalYear: ${year()}`, 0],
  ['burnForecasts', 'finance', `, fiscalYear: ${year()}`, 0],
  ['tierReviewProposals', 'finance', `, fiscalYear: ${year()}`, 0],
  ['accountNetMargins', 'finance', `, period: { fiscalYear: ${year()} }`, 0],
  ['paidServicePnl', 'finance', `, period: { fiscalYear: ${year()} }, groupBy: [ACCOUNT]`, 0],
];

test.each(LISTS)(
  '%s: a connection with the same total on every page, and the pages hold that many',
  async (field, who, args, atLeast) => {
    const token = users[who as keyof typeof users].token;
    const seen = await pages(token, field, args);
    const total = seen[0]!.totalCount;
    expect(seen.every((page) => page.totalCount === total)).toBe(true);
    expect(seen.reduce((n, page) => n + page.size, 0)).toBe(total);
    expect(total).toBeGreaterThanOrEqual(atLeast);
  },
);

test('a report paged by position goes back with last and before, and refuses last alone', async () => {
  const query = (paging: string) =>
    `{ costAllocation(period: { fiscalYear: ${year()} }, groupBy: [ACCOUNT, ENTRY_KIND], basis: POSTING_PERIOD, ${paging}) {
      totalCount edges { cursor node { keys { value } } } pageInfo { hasNextPage hasPreviousPage } } }`;
  type Groups = {
    costAllocation: {
      totalCount: number;
      edges: { cursor: string; node: { keys: { value: string | null }[] } }[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean };
    };
  };
  const all = (await server.graphql<Groups>(users.finance.token, query('first: 200'))).data!.costAllocation;
  expect(all.totalCount).toBeGreaterThanOrEqual(3);
  const last = all.edges[all.edges.length - 1]!.cursor;
  const back = (await server.graphql<Groups>(users.finance.token, query(`last: 2, before: "${last}"`))).data!
    .costAllocation;
  expect(back.edges.map((edge) => edge.node)).toEqual(all.edges.slice(-3, -1).map((edge) => edge.node));
  expect(back.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: all.totalCount > 3 });
  const alone = await server.graphql(users.finance.token, query('last: 2'));
  expect(
    alone.errors?.map((error) => [
      error.extensions?.code,
      (error.extensions as { field?: string } | undefined)?.field,
    ]),
  ).toEqual([['VALIDATION_FAILED', 'last']]);
});

test('bookings made in one millisecond on either side of a page boundary are each listed once', async () => {
  // Cursors carry times to the millisecond, as JavaScript reads them; the rows keep milliseconds
  // too (timestamptz(3)), so no row can fall between a cursor and the row it was taken from.
  const instant = '2026-06-01 08:00:00.123';
  const ids = (await database.db('bookings').where({ account_id: accountId }).pluck('id')) as string[];
  const micros = ['456', '789', '012'];
  for (const [index, id] of ids.entries())
    await database
      .db('bookings')
      .where({ id })
      .update({ created_at: `${instant}${micros[index]}+00` });
  const seen: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 5; page += 1) {
    const result: {
      data: {
        bookings: {
          edges: { node: { id: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      } | null;
    } = await server.graphql(
      users.finance.token,
      `query($after: String) { bookings(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    const bookings = result.data!.bookings;
    seen.push(...bookings.edges.map((edge) => edge.node.id));
    if (!bookings.pageInfo.hasNextPage) break;
    after = bookings.pageInfo.endCursor;
  }
  expect(seen.sort()).toEqual([...ids].sort());
});
