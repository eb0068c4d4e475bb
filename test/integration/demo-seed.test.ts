// The demo data reproduces the worked example of DOMAIN.md section 5, answers in one query, and
// loading it again changes nothing.
import { DateTime } from 'luxon';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, testConfig, type TestServer } from '../support/server';
import { DEMO_CUSTOMERS, DEMO_FREE_SERVICES, seedDemo } from '../../seeds/demo';
import { fiscalYearOf } from '../../src/shared/fiscal';
import { ledgerMismatches } from '../support/money';

let database: TestDatabase;
let server: TestServer;
const config = testConfig();
const fiscalYear = fiscalYearOf(config.fiscal, DateTime.now());

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  await seedDemo(database.db, { config, fiscalYear });
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

test('account A: target 10,000,000 × 2% = 200,000; 50,000 used; 100,000 booked; 50,000 remaining — in one query', async () => {
  const list = await server.graphql<{ customers: { edges: { node: { id: string } }[] } }>(
    'demo_csm_token',
    '{ customers(filter: { search: "Account A" }) { edges { node { id } } } }',
  );
  const accountId = list.data!.customers.edges[0]!.node.id;
  const answer = await server.graphql<Record<string, unknown>>(
    'demo_csm_token',
    `query($id: ID!) {
      budgetFor(accountId: $id) { fiscalYear revenueTarget operatingRatio allocatedAmount spentAmount reservedAmount remainingAmount account { name tier csm { name } } }
      bookings(filter: { accountId: $id }) { edges { node { service { name } state settlementPrice } } }
    }`,
    { id: accountId },
  );
  expect(answer.errors).toBeUndefined();
  expect(answer.data!.budgetFor).toEqual({
    fiscalYear,
    revenueTarget: '10000000.00',
    operatingRatio: '0.02',
    allocatedAmount: '200000.00',
    spentAmount: '50000.00',
    reservedAmount: '100000.00',
    remainingAmount: '50000.00',
    account: { name: 'Account A', tier: 'A', csm: { name: 'Li Na' } },
  });
  const bookings = (
    answer.data!.bookings as {
      edges: { node: { service: { name: string }; state: string; settlementPrice: string } }[];
    }
  ).edges.map((e) => e.node);
  expect(bookings.map((b) => b.service.name).sort()).toEqual([
    'Brainstorming workshop',
    'Latest case introduction and site visit',
    'Project review and effect assessment',
  ]);
  expect(bookings.every((b) => b.state === 'BOOKED')).toBe(true);
});

test('the nine free services of the menu, with their effects', async () => {
  const answer = await server.graphql<{ expertServices: { name: string; effects: string[] }[] }>(
    'demo_csm_token',
    '{ expertServices(kind: FREE) { name effects } }',
  );
  expect(answer.data!.expertServices).toHaveLength(9);
  expect(
    answer.data!.expertServices.find((s) => s.name === 'New product/solution feature recommendation')
      ?.effects,
  ).toEqual([]);
  expect(
    answer.data!.expertServices.find((s) => s.name === 'Special budget to fix a major experience problem')
      ?.effects,
  ).toEqual(['PRICE_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS', 'SOLUTION_ACCEPTANCE']);
  expect(DEMO_FREE_SERVICES).toHaveLength(9);
});

test('every tier is present, and seeding again changes nothing', async () => {
  const tiers = await database.db('customers').distinct('tier').orderBy('tier').pluck('tier');
  expect(tiers).toEqual(['A', 'B', 'C', 'D', 'E']);
  const count = async () =>
    (
      await database.db.raw(
        `select (select count(*) from customers) c, (select count(*) from bookings) b, (select count(*) from ledger_entries) l, (select count(*) from users) u, (select count(*) from expert_services) s,
                (select count(*) from relationship_assessments) a, (select count(*) from opportunities) o, (select count(*) from opportunity_bookings) ob, (select count(*) from budgets) bu`,
      )
    ).rows[0];
  const before = await count();
  await seedDemo(database.db, { config, fiscalYear });
  expect(await count()).toEqual(before);
  expect(Number(before.c)).toBe(DEMO_CUSTOMERS.length);
  // Outcomes: 2 + 2 + 1 assessments, 3 + 2 deals, 2 linked bookings; budgets of account A and Jinlong.
  expect([before.a, before.o, before.ob, before.bu]).toEqual(['5', '5', '2', '2']);
  expect(await ledgerMismatches(database.db)).toEqual([]);
});
