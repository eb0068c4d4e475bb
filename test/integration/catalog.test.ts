// The expert-service catalog: the nine free services of the demo, picking by effect, prices by
// kind, effective-dated prices and retirement.
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

const CREATE = `mutation($input: CreateExpertServiceInput!) { createExpertService(input: $input) { __typename ... on ExpertService { id code effects currentPrice { settlementPrice listPrice internalCost } } ... on Error { field message } } }`;
type Created = { createExpertService: Record<string, unknown> & { __typename: string; id: string } };
const create = async (input: Record<string, unknown>, token = users.admin.token) =>
  (await server.graphql<Created>(token, CREATE, { input: { effectiveFrom: '2020-01-01', ...input } })).data!
    .createExpertService;

test('free services are picked by effect, those serving more of the wanted effects first', async () => {
  await create({
    code: 'ONE',
    name: 'Case visit',
    kind: 'FREE',
    providingDepartment: 'PRESALES',
    effects: ['OPPORTUNITY', 'RELATIONSHIP_CLOSENESS'],
    settlementPrice: '30000',
  });
  await create({
    code: 'TWO',
    name: 'Brainstorming',
    kind: 'FREE',
    providingDepartment: 'SOLUTIONS',
    effects: ['OPPORTUNITY'],
    settlementPrice: '30000',
  });
  await create({
    code: 'THREE',
    name: 'Training',
    kind: 'FREE',
    providingDepartment: 'SERVICE',
    effects: ['PRICE_ACCEPTANCE'],
    settlementPrice: '20000',
  });
  await create({
    code: 'PAIDX',
    name: 'Paid KPI',
    kind: 'PAID',
    providingDepartment: 'SERVICE',
    listPrice: '1000',
    internalCost: '600',
  });
  const result = await server.graphql<{ freeServicesForEffects: { code: string }[] }>(
    users.csm.token,
    '{ freeServicesForEffects(effects: [OPPORTUNITY, RELATIONSHIP_CLOSENESS]) { code } }',
  );
  expect(result.data!.freeServicesForEffects.map((s) => s.code)).toEqual(['ONE', 'TWO']);
  const paid = await server.graphql<{
    expertServices: { code: string; currentPrice: { listPrice: string } }[];
  }>(users.csm.token, '{ expertServices(kind: PAID) { code currentPrice { listPrice } } }');
  expect(paid.data!.expertServices).toEqual([{ code: 'PAIDX', currentPrice: { listPrice: '1000.00' } }]);
});

test.each(
  [
    [{ code: 'BAD1', name: 'x', kind: 'FREE', providingDepartment: 'SERVICE' }, 'input.settlementPrice'],
    [
      {
        code: 'BAD2',
        name: 'x',
        kind: 'FREE',
        providingDepartment: 'SERVICE',
        settlementPrice: '1',
        listPrice: '2',
      },
      'input.listPrice',
    ],
    [
      { code: 'BAD3', name: 'x', kind: 'PAID', providingDepartment: 'SERVICE', listPrice: '1' },
      'input.internalCost',
    ],
    [
      {
        code: 'BAD4',
        name: 'x',
        kind: 'PAID',
        providingDepartment: 'SERVICE',
        listPrice: '1',
        internalCost: '1',
        effects: ['OPPORTUNITY'],
      },
      'input.effects',
    ],
    [
      { code: 'BAD5', name: 'x', kind: 'FREE', providingDepartment: 'SALES', settlementPrice: '1' },
      'input.providingDepartment',
    ],
    [
      { code: 'bad code!', name: 'x', kind: 'FREE', providingDepartment: 'SERVICE', settlementPrice: '1' },
      'input.code',
    ],
    [
      { code: 'NEG', name: 'x', kind: 'FREE', providingDepartment: 'SERVICE', settlementPrice: '-1' },
      'input.settlementPrice',
    ],
  ].map(([input, field]) => ({ input: input as Record<string, unknown>, field: field as string })),
)('an invalid service is refused naming $field ($input.code)', async ({ input, field }) => {
  expect(await create(input)).toMatchObject({ __typename: 'ValidationError', field });
});

test('prices are effective-dated and retired services keep their history', async () => {
  const service = await create({
    code: 'DATED',
    name: 'Dated',
    kind: 'FREE',
    providingDepartment: 'SERVICE',
    effects: [],
    settlementPrice: '100',
  });
  const later = await server.graphql(
    users.finance.token,
    `mutation($id: ID!) { setServicePrice(input: { serviceId: $id, effectiveFrom: "2099-01-01", settlementPrice: "200" }) { __typename } }`,
    { id: service.id },
  );
  expect(later.errors).toBeUndefined();
  type Q = {
    expertServices: {
      code: string;
      currentPrice: { settlementPrice: string };
      priceHistory: { effectiveFrom: string }[];
      active: boolean;
    }[];
  };
  const read = async (extra = '') =>
    (
      await server.graphql<Q>(
        users.finance.token,
        `{ expertServices${extra ? `(${extra})` : ''} { code active currentPrice { settlementPrice } priceHistory { effectiveFrom } } }`,
      )
    ).data!.expertServices.find((s) => s.code === 'DATED');
  expect(await read()).toMatchObject({
    currentPrice: { settlementPrice: '100.00' },
    priceHistory: [{ effectiveFrom: '2099-01-01' }, { effectiveFrom: '2020-01-01' }],
  });
  const retired = await server.graphql<{ retireExpertService: { __typename: string } }>(
    users.admin.token,
    `mutation($id: ID!) { retireExpertService(serviceId: $id) { __typename } }`,
    { id: service.id },
  );
  expect(retired.data!.retireExpertService.__typename).toBe('ExpertService');
  expect(await read()).toBeUndefined();
  expect(await read('includeRetired: true')).toMatchObject({ active: false, priceHistory: [{}, {}] });
  const csm = await server.graphql(
    users.csm.token,
    `mutation($id: ID!) { retireExpertService(serviceId: $id) { __typename } }`,
    { id: service.id },
  );
  expect(csm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
