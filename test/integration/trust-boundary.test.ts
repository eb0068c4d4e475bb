// The probe's holes, each as the attacker or the retrying client tried it (issue "Trust
// boundary"): a CSM reaching another account through a mutation payload, internal cost rates,
// and names carrying invisible characters. The replay, idempotency, production, body-size,
// rate and lifecycle holes have tests beside their subjects (idempotency, concurrency,
// production, limits, embedded-lifecycle).
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { actorOf, inDays, keyAccountWithBudget } from '../support/money';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

test('hole 1: a transfer request hands a CSM nothing of the receiving account (ledger, deals, assessment notes)', async () => {
  const finance = actorOf(users.finance);
  const own = await keyAccountWithBudget(database.db, org, finance, { amount: '1000.00' });
  const other = await keyAccountWithBudget(database.db, org, finance, {
    amount: '1000.00',
    csm: org.otherCsm.id,
  });
  await database.db('opportunities').insert({
    account_id: other.account.id,
    name: 'Secret deal of the other account',
    amount: '90000.00',
    currency: 'CNY',
    stage: 'HATCHED',
    hatched_on: inDays(0),
  });
  await database.db('relationship_assessments').insert({
    account_id: other.account.id,
    assessed_on: inDays(0),
    relationship_closeness: 2,
    price_acceptance: 2,
    solution_acceptance: 2,
    note: 'Secret assessment note',
    assessor_user_id: users.admin.user.id,
  });
  const result = await server.graphql<{ requestBudgetTransfer: Record<string, unknown> }>(
    users.csm.token,
    `mutation($input: RequestBudgetTransferInput!) { requestBudgetTransfer(input: $input) {
      __typename
      ... on BudgetTransfer {
        fromBudget { id }
        toBudget { id ledger { edges { node { kind amount } } }
          account { name financials { potential } opportunities { name } assessments { note } } }
      } } }`,
    {
      input: {
        fromBudgetId: own.budget.id,
        toBudgetId: other.budget.id,
        amount: '0.01',
        reason: 'x',
        idempotencyKey: 'probe-transfer-0001',
      },
    },
  );
  expect(result.data!.requestBudgetTransfer).toEqual({
    __typename: 'BudgetTransfer',
    fromBudget: { id: own.budget.id },
    toBudget: null,
  });
  expect(result.errors).toEqual([
    expect.objectContaining({
      path: ['requestBudgetTransfer', 'toBudget'],
      extensions: { code: 'NOT_FOUND' },
    }),
  ]);
  const text = JSON.stringify(result);
  for (const secret of ['Secret deal', 'Secret assessment note', other.account.name])
    expect(text).not.toContain(secret);
});

test('hole 9: internal cost rates are for FINANCE and ADMIN; other roles get null', async () => {
  await database.db('person_cost_rates').insert({
    person_id: org.expertPerson.id,
    effective_from: inDays(-30),
    rate_per_hour: '812.50',
    currency: 'CNY',
  });
  const query = `query { people(first: 200) { edges { node { id costRates { ratePerHour } } } } }`;
  const rates = async (token: string) => {
    const result = await server.graphql<{
      people: { edges: { node: { id: string; costRates: unknown } }[] };
    }>(token, query);
    expect(result.errors).toBeUndefined();
    return result.data!.people.edges.find(({ node }) => node.id === org.expertPerson.id)!.node.costRates;
  };
  expect(await rates(users.csm.token)).toBeNull();
  expect(await rates(users.salesLeader.token)).toBeNull();
  expect(await rates(users.finance.token)).toEqual([{ ratePerHour: '812.50' }]);
  expect(await rates(users.admin.token)).toEqual([{ ratePerHour: '812.50' }]);
});

test.each([
  ['a right-to-left override (U+202E)', 'Acme\u202Egnp.exe', 'U+202E'],
  ['a zero-width space (U+200B)', 'Ac\u200Bme', 'U+200B'],
  ['a zero-width joiner (U+200D)', 'Acme\u200D', 'U+200D'],
  ['a byte-order mark (U+FEFF)', '\uFEFFAcme', 'U+FEFF'],
  ['a control character (U+0007)', 'Acme\u0007', 'U+0007'],
])('hole 10: a name with %s is refused naming the field', async (_label, name, codePoint) => {
  const result = await server.graphql<{ createCustomer: Record<string, unknown> }>(
    users.admin.token,
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { __typename ... on Error { code field message } } }`,
    { input: { name, tier: 'D' } },
  );
  expect(result.data!.createCustomer).toEqual({
    __typename: 'ValidationError',
    code: 'VALIDATION_FAILED',
    field: 'input.name',
    message: expect.stringContaining(codePoint),
  });
});

test('hole 10: names are stored NFC-normalised, so one name has one spelling', async () => {
  const decomposed = 'Cafe\u0301 Zhang'; // e + combining acute
  const result = await server.graphql<{ createCustomer: { name: string } }>(
    users.admin.token,
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { ... on Customer { name } } }`,
    { input: { name: decomposed, tier: 'D' } },
  );
  expect(result.data!.createCustomer.name).toBe('Caf\u00e9 Zhang');
  expect(await database.db('customers').where({ name: 'Caf\u00e9 Zhang' }).count('* as n')).toEqual([
    { n: '1' },
  ]);
  // CJK names and emoji are ordinary characters, and welcome.
  const cjk = await server.graphql<{ createCustomer: { name: string } }>(
    users.admin.token,
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { ... on Customer { name } } }`,
    { input: { name: '华东制造 🚀', tier: 'D' } },
  );
  expect(cjk.data!.createCustomer.name).toBe('华东制造 🚀');
});
