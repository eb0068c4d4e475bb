// The WARN overrun policy through GraphQL. A tier's policy is global to the database, so these
// tests have a database of their own: no test elsewhere sees tier C switched to WARN.
import { apiAs } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { actorOf, createFreeService, inDays, keyAccountWithBudget, ledgerMismatches } from '../support/money';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
  const set = await apiAs(server, users.finance).field(
    `mutation { setOverrunPolicy(tier: C, policy: WARN) { __typename ... on OverrunPolicySetting { policy } } }`,
  );
  expect(set).toEqual({ __typename: 'OverrunPolicySetting', policy: 'WARN' });
});
afterAll(async () => {
  expect(await ledgerMismatches(database.db)).toEqual([]);
  await server.close();
  await database.drop();
});

const api = (user: keyof typeof users) => apiAs(server, users[user]);
const admin = () => actorOf(users.admin);
const finance = () => actorOf(users.finance);

test('with the WARN policy an overrun goes through, flagged', async () => {
  const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '100', tier: 'C' });
  const service = await createFreeService(database.db, admin(), '120');
  const booked = await api('csm').book({
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(2),
  });
  expect(booked).toMatchObject({
    __typename: 'Booking',
    state: 'BOOKED',
    overrun: true,
    budget: { remainingAmount: '-20.00' },
  });
});

test('a booking flagged overrun when booked (WARN) stays flagged after a cheap delivery', async () => {
  const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '50.00', tier: 'C' });
  const service = await createFreeService(database.db, admin(), '60.00');
  const booked = await api('csm').book({
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(3),
  });
  expect(booked).toMatchObject({ state: 'BOOKED', overrun: true });
  const delivered = await api('csm').deliver({ bookingId: booked.id, actualCost: '1.00' });
  expect(delivered).toMatchObject({ state: 'DELIVERED', overrun: true });
});

test('tier A keeps STOP: the same overrun is refused there', async () => {
  const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '100', tier: 'A' });
  const service = await createFreeService(database.db, admin(), '120');
  const refused = await api('csm').book({
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(2),
  });
  expect(refused).toMatchObject({ __typename: 'BudgetExceededError', remainingAmount: '100.00' });
});
