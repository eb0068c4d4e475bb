// Every money-moving mutation: a replay with the same key returns the first result and writes
// nothing more; the same key with different input (or from another user) is a typed conflict.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { createExpertService } from '../../src/modules/catalog/service';
import { Decimal } from '../../src/shared/money';
import {
  actorOf,
  contextFor,
  createFreeService,
  fiscalYearNow,
  inDays,
  key,
  keyAccountWithBudget,
  ledgerMismatches,
} from '../support/money';

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

type Case = {
  name: string;
  token: () => string;
  mutation: string;
  /** Builds the input (with the key) and a different input under the same key. */
  setup: () => Promise<{
    input: (k: string) => Record<string, unknown>;
    other: (k: string) => Record<string, unknown>;
  }>;
};

const finance = () => actorOf(users.finance);
const admin = () => actorOf(users.admin);

async function booked() {
  const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
  const service = await createFreeService(database.db, admin(), '100');
  const result = await server.graphql<{ bookFreeService: { id: string } }>(
    users.csm.token,
    `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { ... on Booking { id } } }`,
    {
      input: { accountId: account.id, serviceId: service.id, plannedDate: inDays(2), idempotencyKey: key() },
    },
  );
  return result.data!.bookFreeService.id;
}

async function pendingException() {
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
        exceptionReason: 'worth it',
        idempotencyKey: key(),
      },
    },
  );
  return result.data!.bookFreeService.id;
}

async function requestedTransfer() {
  const giver = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
  const receiver = await keyAccountWithBudget(database.db, org, finance(), { amount: '10' });
  const result = await server.graphql<{ requestBudgetTransfer: { id: string } }>(
    users.finance.token,
    `mutation($input: RequestBudgetTransferInput!) { requestBudgetTransfer(input: $input) { ... on BudgetTransfer { id } } }`,
    {
      input: {
        fromBudgetId: giver.budget.id,
        toBudgetId: receiver.budget.id,
        amount: '5',
        reason: 'x',
        idempotencyKey: key(),
      },
    },
  );
  return result.data!.requestBudgetTransfer.id;
}

const cases: Case[] = [
  {
    name: 'createBudget',
    token: () => users.finance.token,
    mutation: `mutation($input: CreateBudgetInput!) { createBudget(input: $input) { __typename ... on Budget { id } ... on Error { code field } } }`,
    setup: async () => {
      const account = await org.customer('A');
      return {
        input: (k) => ({
          accountId: account.id,
          fiscalYear: fiscalYearNow(),
          amount: '500',
          idempotencyKey: k,
        }),
        other: (k) => ({
          accountId: account.id,
          fiscalYear: fiscalYearNow(),
          amount: '600',
          idempotencyKey: k,
        }),
      };
    },
  },
  {
    name: 'adjustBudget',
    token: () => users.finance.token,
    mutation: `mutation($input: AdjustBudgetInput!) { adjustBudget(input: $input) { __typename ... on Budget { id } ... on Error { code field } } }`,
    setup: async () => {
      const { budget } = await keyAccountWithBudget(database.db, org, finance());
      return {
        input: (k) => ({ budgetId: budget.id, amount: '10', reason: 'top-up', idempotencyKey: k }),
        other: (k) => ({ budgetId: budget.id, amount: '11', reason: 'top-up', idempotencyKey: k }),
      };
    },
  },
  {
    name: 'bookFreeService',
    token: () => users.csm.token,
    mutation: `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { __typename ... on Booking { id } ... on Error { code field } } }`,
    setup: async () => {
      const { account } = await keyAccountWithBudget(database.db, org, finance());
      const service = await createFreeService(database.db, admin(), '10');
      return {
        input: (k) => ({
          accountId: account.id,
          serviceId: service.id,
          plannedDate: inDays(2),
          idempotencyKey: k,
        }),
        other: (k) => ({
          accountId: account.id,
          serviceId: service.id,
          plannedDate: inDays(3),
          idempotencyKey: k,
        }),
      };
    },
  },
  {
    name: 'deliverBooking',
    token: () => users.csm.token,
    mutation: `mutation($input: DeliverBookingInput!) { deliverBooking(input: $input) { __typename ... on Booking { id } ... on Error { code field } } }`,
    setup: async () => {
      const id = await booked();
      return {
        input: (k) => ({ bookingId: id, actualCost: '90', idempotencyKey: k }),
        other: (k) => ({ bookingId: id, actualCost: '95', idempotencyKey: k }),
      };
    },
  },
  {
    name: 'cancelBooking',
    token: () => users.csm.token,
    mutation: `mutation($input: CancelBookingInput!) { cancelBooking(input: $input) { __typename ... on Booking { id } ... on Error { code field } } }`,
    setup: async () => {
      const id = await booked();
      return {
        input: (k) => ({ bookingId: id, reason: 'postponed', idempotencyKey: k }),
        other: (k) => ({ bookingId: id, reason: 'other reason', idempotencyKey: k }),
      };
    },
  },
  {
    name: 'decideBookingException',
    token: () => users.salesLeader.token,
    mutation: `mutation($input: DecideInput!) { decideBookingException(input: $input) { __typename ... on Booking { id } ... on Error { code field } } }`,
    setup: async () => {
      const id = await pendingException();
      return {
        input: (k) => ({ id, approve: true, idempotencyKey: k }),
        other: (k) => ({ id, approve: false, idempotencyKey: k }),
      };
    },
  },
  {
    name: 'requestBudgetTransfer',
    token: () => users.finance.token,
    mutation: `mutation($input: RequestBudgetTransferInput!) { requestBudgetTransfer(input: $input) { __typename ... on BudgetTransfer { id } ... on Error { code field } } }`,
    setup: async () => {
      const giver = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
      const receiver = await keyAccountWithBudget(database.db, org, finance());
      const input = (amount: string) => (k: string) => ({
        fromBudgetId: giver.budget.id,
        toBudgetId: receiver.budget.id,
        amount,
        reason: 'x',
        idempotencyKey: k,
      });
      return { input: input('5'), other: input('6') };
    },
  },
  {
    name: 'decideBudgetTransfer',
    token: () => users.salesLeader.token,
    mutation: `mutation($input: DecideInput!) { decideBudgetTransfer(input: $input) { __typename ... on BudgetTransfer { id } ... on Error { code field } } }`,
    setup: async () => {
      const id = await requestedTransfer();
      return {
        input: (k) => ({ id, approve: true, idempotencyKey: k }),
        other: (k) => ({ id, approve: false, idempotencyKey: k }),
      };
    },
  },
  {
    name: 'quotePaidService',
    token: () => users.salesLeader.token,
    mutation: `mutation($input: QuotePaidServiceInput!) { quotePaidService(input: $input) { __typename ... on PaidOrder { id } ... on Error { code field } } }`,
    setup: async () => {
      const { account, service } = await paidSetup();
      const input = (hours: string) => (k: string) => ({
        accountId: account.id,
        serviceId: service.id,
        requirement: 'x',
        estimatedHours: hours,
        idempotencyKey: k,
      });
      return { input: input('10'), other: input('11') };
    },
  },
  {
    name: 'advancePaidOrder',
    token: () => users.salesLeader.token,
    mutation: `mutation($input: AdvancePaidOrderInput!) { advancePaidOrder(input: $input) { __typename ... on PaidOrder { id } ... on Error { code field } } }`,
    setup: async () => {
      const { account, service } = await paidSetup();
      const quote = await server.graphql<{ quotePaidService: { id: string } }>(
        users.salesLeader.token,
        `mutation($input: QuotePaidServiceInput!) { quotePaidService(input: $input) { ... on PaidOrder { id } } }`,
        {
          input: {
            accountId: account.id,
            serviceId: service.id,
            requirement: 'x',
            estimatedHours: '5',
            idempotencyKey: key(),
          },
        },
      );
      const id = quote.data!.quotePaidService.id;
      return {
        input: (k) => ({ orderId: id, to: 'CONFIRMED', idempotencyKey: k }),
        other: (k) => ({ orderId: id, to: 'CANCELLED', idempotencyKey: k }),
      };
    },
  },
];

async function paidSetup() {
  const service = await createExpertService(contextFor(database.db, admin()), {
    code: `PAID-${key().slice(0, 8).toUpperCase()}`,
    name: 'Paid',
    kind: 'PAID',
    providingDepartment: 'SERVICE',
    effectiveFrom: '2020-01-01',
    listPrice: new Decimal('1000'),
    internalCost: new Decimal('600'),
    currency: 'CNY',
  });
  return { account: await org.customer('B'), service };
}

const counts = async () => {
  const [row] = (
    await database.db.raw(
      `select (select count(*) from ledger_entries) as entries, (select count(*) from bookings) as bookings, (select count(*) from budgets) as budgets, (select count(*) from audit_log) as audits, (select count(*) from budget_transfers) as transfers, (select count(*) from paid_orders where state <> 'QUOTED') as advanced, (select count(*) from paid_orders) as orders`,
    )
  ).rows;
  return row;
};

test.each(cases.map((c) => [c.name, c] as const))(
  '%s: replay returns the first result; a different input under the key is refused',
  async (_name, c) => {
    const { input, other } = await c.setup();
    const k = key();
    const first = await server.graphql<Record<string, { __typename: string; id?: string }>>(
      c.token(),
      c.mutation,
      { input: input(k) },
    );
    const firstAnswer = Object.values(first.data!)[0]!;
    expect(firstAnswer.__typename).not.toMatch(/Error$/);
    const after = await counts();
    const replay = await server.graphql<Record<string, { __typename: string; id?: string }>>(
      c.token(),
      c.mutation,
      { input: input(k) },
    );
    expect(Object.values(replay.data!)[0]).toEqual(firstAnswer);
    expect(await counts()).toEqual(after);
    const conflict = await server.graphql<
      Record<string, { __typename: string; code?: string; field?: string }>
    >(c.token(), c.mutation, { input: other(k) });
    expect(Object.values(conflict.data!)[0]).toEqual({
      __typename: 'IdempotencyConflictError',
      code: 'IDEMPOTENCY_CONFLICT',
      field: 'idempotencyKey',
    });
    expect(await counts()).toEqual(after);
  },
);

test('a key reused by another user is a conflict, not someone else’s result', async () => {
  const { account } = await keyAccountWithBudget(database.db, org, finance());
  const service = await createFreeService(database.db, admin(), '10');
  const k = key();
  const mutation = `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { __typename } }`;
  const input = { accountId: account.id, serviceId: service.id, plannedDate: inDays(2), idempotencyKey: k };
  expect(
    (await server.graphql<{ bookFreeService: { __typename: string } }>(users.csm.token, mutation, { input }))
      .data!.bookFreeService.__typename,
  ).toBe('Booking');
  expect(
    (
      await server.graphql<{ bookFreeService: { __typename: string } }>(users.admin.token, mutation, {
        input,
      })
    ).data!.bookFreeService.__typename,
  ).toBe('IdempotencyConflictError');
});

test('a refused first attempt stores no key: the retry runs anew', async () => {
  const { account, budget } = await keyAccountWithBudget(database.db, org, finance(), { amount: '5' });
  const service = await createFreeService(database.db, admin(), '10');
  const k = key();
  const mutation = `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { __typename } }`;
  const input = { accountId: account.id, serviceId: service.id, plannedDate: inDays(2), idempotencyKey: k };
  expect(
    (await server.graphql<{ bookFreeService: { __typename: string } }>(users.csm.token, mutation, { input }))
      .data!.bookFreeService.__typename,
  ).toBe('BudgetExceededError');
  await server.graphql(
    users.finance.token,
    `mutation($input: AdjustBudgetInput!) { adjustBudget(input: $input) { __typename } }`,
    { input: { budgetId: budget.id, amount: '5', reason: 'make room', idempotencyKey: key() } },
  );
  expect(
    (await server.graphql<{ bookFreeService: { __typename: string } }>(users.csm.token, mutation, { input }))
      .data!.bookFreeService.__typename,
  ).toBe('Booking');
});

test('a key that is too short is refused naming the field', async () => {
  const result = await server.graphql<{ adjustBudget: Record<string, unknown> }>(
    users.finance.token,
    `mutation { adjustBudget(input: { budgetId: "00000000-0000-0000-0000-000000000000", amount: "1", reason: "x", idempotencyKey: "short" }) { __typename ... on Error { field } } }`,
  );
  expect(result.data!.adjustBudget).toEqual({ __typename: 'ValidationError', field: 'idempotencyKey' });
});
