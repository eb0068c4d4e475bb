// Renamed API fields: the new names answer, the old ones still answer (deprecated in the schema),
// and giving both or neither of a renamed id is a ValidationError naming the field.
import { getNamedType, GraphQLInputObjectType, GraphQLObjectType } from 'graphql';
import { schema } from '../../src/graphql/schema';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { actorOf, createFreeService, inDays, key, keyAccountWithBudget } from '../support/money';

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

const finance = () => actorOf(users.finance);
const admin = () => actorOf(users.admin);

async function pendingException(): Promise<string> {
  const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '10' });
  const service = await createFreeService(database.db, admin(), '100');
  const result = await server.graphql<{ bookFreeService: { id: string } }>(
    users.csm.token,
    `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { ... on Booking { id } } }`,
    {
      input: {
        accountId: account.id,
        serviceId: service.id,
        plannedDate: inDays(2),
        requestException: true,
        exceptionReason: 'renewal at risk',
        idempotencyKey: key(),
      },
    },
  );
  return result.data!.bookFreeService.id;
}

const DECIDE = `mutation($input: DecideBookingExceptionInput!) { decideBookingException(input: $input) {
  __typename ... on Booking { state } ... on Error { code field message } } }`;

test('the old names are deprecated in the schema, with the new name in the reason', () => {
  const decide = schema.getType('DecideBookingExceptionInput') as GraphQLInputObjectType;
  expect(decide.getFields().id!.deprecationReason).toMatch(/bookingId/);
  const transfer = schema.getType('DecideBudgetTransferInput') as GraphQLInputObjectType;
  expect(transfer.getFields().id!.deprecationReason).toMatch(/transferId/);
  const service = schema.getType('ExpertService') as GraphQLObjectType;
  expect(service.getFields().code!.deprecationReason).toMatch(/serviceCode/);
  const opportunity = schema.getType('Opportunity') as GraphQLObjectType;
  expect(opportunity.getFields().contributingBookingIds!.deprecationReason).toMatch(/contributingBookings/);
  expect(getNamedType(opportunity.getFields().contributingBookings!.type).name).toBe('Booking');
});

test('decideBookingException takes bookingId, still takes the old id, and refuses both or neither', async () => {
  const byNewName = await server.graphql(users.salesLeader.token, DECIDE, {
    input: { bookingId: await pendingException(), approve: true, idempotencyKey: key() },
  });
  expect(byNewName.data).toEqual({ decideBookingException: { __typename: 'Booking', state: 'BOOKED' } });
  const byOldName = await server.graphql(users.salesLeader.token, DECIDE, {
    input: { id: await pendingException(), approve: false, idempotencyKey: key() },
  });
  expect(byOldName.data).toEqual({ decideBookingException: { __typename: 'Booking', state: 'REJECTED' } });
  const pending = await pendingException();
  const both = await server.graphql(users.salesLeader.token, DECIDE, {
    input: { bookingId: pending, id: pending, approve: true, idempotencyKey: key() },
  });
  expect(both.data).toEqual({
    decideBookingException: {
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      field: 'input.id',
      message: 'give input.bookingId or its old name input.id, not both',
    },
  });
  const neither = await server.graphql(users.salesLeader.token, DECIDE, {
    input: { approve: true, idempotencyKey: key() },
  });
  expect(neither.data).toEqual({
    decideBookingException: {
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      field: 'input.bookingId',
      message: 'input.bookingId is required',
    },
  });
  const still = await database.db('bookings').where({ id: pending }).first('state');
  expect(still).toEqual({ state: 'PENDING_APPROVAL' });
});

test('an over-budget booking names no input field; an adjustment names input.amount', async () => {
  const { account, budget } = await keyAccountWithBudget(database.db, org, finance(), { amount: '10' });
  const service = await createFreeService(database.db, admin(), '100');
  const booked = await server.graphql(
    users.csm.token,
    `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { __typename ... on Error { field } } }`,
    {
      input: { accountId: account.id, serviceId: service.id, plannedDate: inDays(2), idempotencyKey: key() },
    },
  );
  expect(booked.data).toEqual({ bookFreeService: { __typename: 'BudgetExceededError', field: null } });
  const cut = await server.graphql(
    users.finance.token,
    `mutation($input: AdjustBudgetInput!) { adjustBudget(input: $input) { __typename ... on Error { field } } }`,
    { input: { budgetId: budget.id, amount: '-11', reason: 'cut', idempotencyKey: key() } },
  );
  expect(cut.data).toEqual({ adjustBudget: { __typename: 'BudgetExceededError', field: 'input.amount' } });
});

test('ExpertService.serviceCode can be selected beside Error.code in one union selection', async () => {
  const code = `SVC-${key().slice(0, 6).toUpperCase()}`;
  const input = {
    code,
    name: `Workshop ${code}`,
    kind: 'FREE',
    providingDepartment: 'SOLUTIONS',
    effects: ['OPPORTUNITY'],
    effectiveFrom: '2020-01-01',
    settlementPrice: '100',
    currency: 'CNY',
  };
  const create = (serviceFields: string) =>
    server.graphql<{ createExpertService: Record<string, unknown> }>(
      users.admin.token,
      `mutation($input: CreateExpertServiceInput!) { createExpertService(input: $input) {
        __typename ... on ExpertService { ${serviceFields} } ... on Error { code } } }`,
      { input },
    );
  // The old String `code` beside Error.code (an enum) cannot be merged: the document is refused.
  const clash = await create('serviceCode code');
  expect(clash.errors).toEqual([
    expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
  ]);
  const fixed = await create('serviceCode');
  expect(fixed.data).toEqual({ createExpertService: { __typename: 'ExpertService', serviceCode: code } });
});

test('Opportunity.contributingBookings answers the linked bookings; the old field their ids', async () => {
  const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
  const service = await createFreeService(database.db, admin(), '100');
  const booked = await server.graphql<{ bookFreeService: { id: string } }>(
    users.csm.token,
    `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { ... on Booking { id } } }`,
    {
      input: { accountId: account.id, serviceId: service.id, plannedDate: inDays(2), idempotencyKey: key() },
    },
  );
  const bookingId = booked.data!.bookFreeService.id;
  const created = await server.graphql<{ createOpportunity: { id: string } }>(
    users.csm.token,
    `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { ... on Opportunity { id } } }`,
    { input: { accountId: account.id, name: 'Renewal', amount: '50000' } },
  );
  const opportunityId = created.data!.createOpportunity.id;
  const linked = await server.graphql(
    users.csm.token,
    `mutation($o: ID!, $b: ID!) { linkBookingToOpportunity(opportunityId: $o, bookingId: $b) {
      __typename ... on Opportunity { contributingBookings { id state } contributingBookingIds { bookingId } } } }`,
    { o: opportunityId, b: bookingId },
  );
  expect(linked.data).toEqual({
    linkBookingToOpportunity: {
      __typename: 'Opportunity',
      contributingBookings: [{ id: bookingId, state: 'BOOKED' }],
      contributingBookingIds: [{ bookingId }],
    },
  });
});
