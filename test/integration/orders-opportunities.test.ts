// Paid service orders (quote → confirm → deliver → accept, with margin) and the investment
// made to win a registered opportunity, which never touches the operating budget.
import crypto from 'node:crypto';
import { apiAs } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { actorOf, contextFor, inDays, key, keyAccountWithBudget, ledgerMismatches } from '../support/money';
import { createExpertService } from '../../src/modules/catalog/service';
import { Decimal } from '../../src/shared/money';

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
  expect(await ledgerMismatches(database.db)).toEqual([]);
  await server.close();
  await database.drop();
});

const api = (user: keyof typeof users) => apiAs(server, users[user]);

const ADVANCE = `mutation($input: AdvancePaidOrderInput!) { advancePaidOrder(input: $input) { __typename ... on PaidOrder { state revenue internalCost margin } ... on Error { code field message } } }`;

test('a paid order goes quote → confirmed → delivered → accepted, recording revenue, cost and margin; steps cannot be skipped', async () => {
  const paid = await createExpertService(contextFor(database.db, actorOf(users.admin)), {
    code: `KPI-${crypto.randomBytes(3).toString('hex').toUpperCase()}`,
    name: 'KPI monitoring and improvement',
    kind: 'PAID',
    providingDepartment: 'SERVICE',
    effectiveFrom: '2020-01-01',
    listPrice: new Decimal('80000'),
    internalCost: new Decimal('45000'),
    currency: 'CNY',
  });
  const account = await org.customer('D'); // paid services are open to every tier
  const quote = await api('salesLeader').field(
    `mutation($input: QuotePaidServiceInput!) { quotePaidService(input: $input) { __typename ... on PaidOrder { id state price estimatedInternalCost } ... on Error { message } } }`,
    {
      input: {
        accountId: account.id,
        serviceId: paid.id,
        requirement: 'Raise order fill rate from 92% to 97%',
        estimatedHours: '120',
        price: '75000',
        idempotencyKey: key(),
      },
    },
  );
  expect(quote).toMatchObject({
    __typename: 'PaidOrder',
    state: 'QUOTED',
    price: '75000.00',
    estimatedInternalCost: '45000.00',
  });
  const skip = await api('salesLeader').field(ADVANCE, {
    input: { orderId: quote.id, to: 'ACCEPTED', idempotencyKey: key() },
  });
  expect(skip).toMatchObject({
    __typename: 'InvalidTransitionError',
    message: 'PaidOrder cannot go from QUOTED to ACCEPTED',
  });
  expect(
    await api('salesLeader').field(ADVANCE, {
      input: { orderId: quote.id, to: 'CONFIRMED', idempotencyKey: key() },
    }),
  ).toMatchObject({ state: 'CONFIRMED', revenue: null });
  const noCost = await api('salesLeader').field(ADVANCE, {
    input: { orderId: quote.id, to: 'DELIVERED', actualHours: '130', idempotencyKey: key() },
  });
  expect(noCost).toMatchObject({ __typename: 'ValidationError', field: 'input.internalCost' });
  expect(
    await api('salesLeader').field(ADVANCE, {
      input: {
        orderId: quote.id,
        to: 'DELIVERED',
        actualHours: '130',
        internalCost: '48750.50',
        idempotencyKey: key(),
      },
    }),
  ).toMatchObject({ state: 'DELIVERED', internalCost: '48750.50', margin: null });
  expect(
    await api('salesLeader').field(ADVANCE, {
      input: { orderId: quote.id, to: 'ACCEPTED', idempotencyKey: key() },
    }),
  ).toEqual({
    __typename: 'PaidOrder',
    state: 'ACCEPTED',
    revenue: '75000.00',
    internalCost: '48750.50',
    margin: '26249.50',
  });
  expect(
    await api('salesLeader').field(ADVANCE, {
      input: { orderId: quote.id, to: 'CANCELLED', idempotencyKey: key() },
    }),
  ).toMatchObject({ __typename: 'InvalidTransitionError' });
});

test('a free service cannot be quoted as a paid order', async () => {
  const free = await createExpertService(contextFor(database.db, actorOf(users.admin)), {
    code: `FREE-${crypto.randomBytes(3).toString('hex').toUpperCase()}`,
    name: 'Free review',
    kind: 'FREE',
    providingDepartment: 'SOLUTIONS',
    effects: ['OPPORTUNITY'],
    effectiveFrom: '2020-01-01',
    settlementPrice: new Decimal('100'),
    currency: 'CNY',
  });
  const account = await org.customer('B');
  const refused = await api('salesLeader').field(
    `mutation($input: QuotePaidServiceInput!) { quotePaidService(input: $input) { __typename ... on Error { field } } }`,
    {
      input: {
        accountId: account.id,
        serviceId: free.id,
        requirement: 'x',
        estimatedHours: '1',
        idempotencyKey: key(),
      },
    },
  );
  expect(refused).toEqual({ __typename: 'ValidationError', field: 'input.serviceId' });
});

test('investment to win a registered opportunity is recorded against it, not the operating budget', async () => {
  const { account, budget } = await keyAccountWithBudget(database.db, org, actorOf(users.finance), {
    amount: '1000',
  });
  const opportunity = await api('csm').field(
    `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { __typename ... on Opportunity { id stage } } }`,
    {
      input: { accountId: account.id, name: 'Phase 2 rollout', amount: '2500000' },
    },
  );
  expect(opportunity).toMatchObject({ stage: 'HATCHED' });
  const RECORD = `mutation($input: RecordOpportunityInvestmentInput!) { recordOpportunityInvestment(input: $input) { __typename ... on OpportunityInvestment { id cost } ... on Error { field message } } }`;
  const early = await api('csm').field(RECORD, {
    input: {
      opportunityId: opportunity.id,
      cost: '8000',
      spentOn: inDays(0),
      description: 'solution demo',
      idempotencyKey: key(),
    },
  });
  expect(early).toMatchObject({ __typename: 'ValidationError', field: 'input.opportunityId' });
  expect(
    await api('csm').field(
      `mutation($id: ID!) { setOpportunityStage(opportunityId: $id, stage: REGISTERED) { __typename ... on Opportunity { stage registeredOn } } }`,
      { id: opportunity.id },
    ),
  ).toMatchObject({ stage: 'REGISTERED' });
  const k = key();
  const input = {
    opportunityId: opportunity.id,
    cost: '8000',
    spentOn: inDays(0),
    description: 'solution demo with pre-sales',
    idempotencyKey: k,
  };
  const first = await api('csm').field(RECORD, { input });
  expect(first).toMatchObject({ __typename: 'OpportunityInvestment', cost: '8000.00' });
  expect(await api('csm').field(RECORD, { input })).toEqual(first);
  expect(await api('csm').field(RECORD, { input: { ...input, cost: '9000' } })).toMatchObject({
    __typename: 'IdempotencyConflictError',
  });
  const budgetRow = await database.db('budgets').where({ id: budget.id }).first();
  expect(budgetRow).toMatchObject({ spent_amount: '0.00', remaining_amount: '1000.00' });
  const seen = await server.graphql<{ customer: { opportunities: { investments: { cost: string }[] }[] } }>(
    users.salesLeader.token,
    `query($id: ID!) { customer(id: $id) { opportunities { investments { cost } } } }`,
    { id: account.id },
  );
  expect(seen.data!.customer.opportunities).toEqual([{ investments: [{ cost: '8000.00' }] }]);
  expect(
    await api('csm').field(
      `mutation($id: ID!) { setOpportunityStage(opportunityId: $id, stage: HATCHED) { __typename } }`,
      { id: opportunity.id },
    ),
  ).toMatchObject({ __typename: 'InvalidTransitionError' });
});
