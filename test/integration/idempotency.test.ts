// Every money-moving mutation: a replay with the same key returns the first result, says it is a
// replay and writes nothing more; the same key with different input is a typed conflict. A key is
// its user's own; the first outcome (result or refusal) is kept; replays re-authorise; the date
// check does not run on a replay; lengths count characters; keys expire after their retention.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { createExpertService } from '../../src/modules/catalog/service';
import { Decimal } from '../../src/shared/money';
import { pruneIdempotencyKeys } from '../../src/shared/idempotency';
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
    mutation: `mutation($input: DecideBookingExceptionInput!) { decideBookingException(input: $input) { __typename ... on Booking { id } ... on Error { code field } } }`,
    setup: async () => {
      const id = await pendingException();
      return {
        input: (k) => ({ bookingId: id, approve: true, idempotencyKey: k }),
        other: (k) => ({ bookingId: id, approve: false, idempotencyKey: k }),
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
    mutation: `mutation($input: DecideBudgetTransferInput!) { decideBudgetTransfer(input: $input) { __typename ... on BudgetTransfer { id } ... on Error { code field } } }`,
    setup: async () => {
      const id = await requestedTransfer();
      return {
        input: (k) => ({ transferId: id, approve: true, idempotencyKey: k }),
        other: (k) => ({ transferId: id, approve: false, idempotencyKey: k }),
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
    expect(replay.extensions).toEqual({ idempotentReplay: true });
    expect(first.extensions).toBeUndefined();
    expect(await counts()).toEqual(after);
    const conflict = await server.graphql<
      Record<string, { __typename: string; code?: string; field?: string }>
    >(c.token(), c.mutation, { input: other(k) });
    expect(Object.values(conflict.data!)[0]).toEqual({
      __typename: 'IdempotencyConflictError',
      code: 'IDEMPOTENCY_CONFLICT',
      field: 'input.idempotencyKey',
    });
    expect(await counts()).toEqual(after);
  },
);

const BOOK_TYPENAME = `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { __typename ... on Booking { id state } ... on Error { code field } } }`;
type BookAnswer = {
  bookFreeService: { __typename: string; id?: string; state?: string; code?: string; field?: string };
};

test('a key is its user’s own: another user’s equal key is a new request, and reveals nothing', async () => {
  const { account } = await keyAccountWithBudget(database.db, org, finance());
  const service = await createFreeService(database.db, admin(), '10');
  const input = {
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(2),
    idempotencyKey: key(),
  };
  const mine = await server.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, { input });
  const theirs = await server.graphql<BookAnswer>(users.admin.token, BOOK_TYPENAME, { input });
  expect(mine.data!.bookFreeService.__typename).toBe('Booking');
  expect(theirs.data!.bookFreeService.__typename).toBe('Booking');
  expect(theirs.data!.bookFreeService.id).not.toBe(mine.data!.bookFreeService.id);
  expect(theirs.extensions).toBeUndefined();
});

test('a refusal after execution began is the key’s outcome: the retry gets the same refusal, flagged as a replay', async () => {
  const { account, budget } = await keyAccountWithBudget(database.db, org, finance(), { amount: '5' });
  const service = await createFreeService(database.db, admin(), '10');
  const input = {
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(2),
    idempotencyKey: key(),
  };
  const first = await server.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, { input });
  expect(first.data!.bookFreeService).toEqual({
    __typename: 'BudgetExceededError',
    code: 'BUDGET_EXCEEDED',
    field: null,
  });
  // Room is made; the same key still answers what it answered first, and books nothing.
  await server.graphql(
    users.finance.token,
    `mutation($input: AdjustBudgetInput!) { adjustBudget(input: $input) { __typename } }`,
    { input: { budgetId: budget.id, amount: '5', reason: 'make room', idempotencyKey: key() } },
  );
  const retry = await server.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, { input });
  expect(retry.data!.bookFreeService).toEqual(first.data!.bookFreeService);
  expect(retry.extensions).toEqual({ idempotentReplay: true });
  expect(await database.db('bookings').where({ budget_id: budget.id }).count('* as n')).toEqual([{ n: '0' }]);
  // A new key is a new request.
  const fresh = await server.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, {
    input: { ...input, idempotencyKey: key() },
  });
  expect(fresh.data!.bookFreeService.__typename).toBe('Booking');
});

test('a replay re-authorises: a CSM replaced on the account gets NOT_FOUND, not its booking, ledger or deals', async () => {
  const { account } = await keyAccountWithBudget(database.db, org, finance());
  const service = await createFreeService(database.db, admin(), '10');
  await database.db('opportunities').insert({
    account_id: account.id,
    name: 'Replay probe deal',
    amount: '1000.00',
    currency: 'CNY',
    stage: 'HATCHED',
    hatched_on: inDays(0),
  });
  const deep = `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) {
    __typename ... on Booking { id budget { ledger { edges { node { id } } } } account { name opportunities { name } } }
    ... on Error { code field } } }`;
  const input = {
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(2),
    idempotencyKey: key(),
  };
  const first = await server.graphql<{ bookFreeService: { __typename: string } }>(users.csm.token, deep, {
    input,
  });
  expect(first.data!.bookFreeService.__typename).toBe('Booking');
  await database.db('customers').where({ id: account.id }).update({ csm_person_id: org.otherCsm.id });
  const replay = await server.graphql<{ bookFreeService: unknown }>(users.csm.token, deep, { input });
  expect(replay.data!.bookFreeService).toEqual({
    __typename: 'NotFoundError',
    code: 'NOT_FOUND',
    field: 'input.accountId',
  });
  expect(JSON.stringify(replay)).not.toContain('Replay probe deal');
});

test('the date check does not run on a replay: a booking whose planned date has since passed replays', async () => {
  const { account } = await keyAccountWithBudget(database.db, org, finance());
  const service = await createFreeService(database.db, admin(), '10');
  // The earliest planned date today's window allows; a server that allows fewer days back is
  // "later": the same date is out of its window.
  const plannedDate = inDays(-server.config.reservationLapseDays);
  const input = { accountId: account.id, serviceId: service.id, plannedDate, idempotencyKey: key() };
  const first = await server.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, { input });
  expect(first.data!.bookFreeService.__typename).toBe('Booking');
  const later = await startTestServer(database.db, { RESERVATION_LAPSE_DAYS: '1' });
  try {
    const replay = await later.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, { input });
    expect(replay.data!.bookFreeService).toEqual(first.data!.bookFreeService);
    expect(replay.extensions).toEqual({ idempotentReplay: true });
    const fresh = await later.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, {
      input: { ...input, idempotencyKey: key() },
    });
    expect(fresh.data!.bookFreeService).toEqual({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      field: 'input.plannedDate',
    });
  } finally {
    await later.close();
  }
});

test('a key past its retention counts as new, and the sweep prunes it', async () => {
  const { account, budget } = await keyAccountWithBudget(database.db, org, finance());
  const service = await createFreeService(database.db, admin(), '10');
  const k = key();
  const input = { accountId: account.id, serviceId: service.id, plannedDate: inDays(2), idempotencyKey: k };
  const first = await server.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, { input });
  const hours = server.config.idempotencyKeyRetentionHours;
  await database.db.raw(
    `update idempotency_keys set created_at = now() - make_interval(hours => ?) - interval '1 minute' where key = ?`,
    [hours, k],
  );
  const again = await server.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, { input });
  expect(again.data!.bookFreeService.__typename).toBe('Booking');
  expect(again.data!.bookFreeService.id).not.toBe(first.data!.bookFreeService.id);
  expect(await database.db('bookings').where({ budget_id: budget.id }).count('* as n')).toEqual([{ n: '2' }]);
  await database.db.raw(
    `update idempotency_keys set created_at = now() - make_interval(hours => ?) - interval '1 minute' where key = ?`,
    [hours, k],
  );
  expect(await pruneIdempotencyKeys(database.db, hours)).toBe(1);
  expect(await database.db('idempotency_keys').where({ key: k })).toEqual([]);
});

test.each([
  ['too short', 'short'],
  ['short in characters though 8 UTF-16 units', 'ab😀😀😀cd'],
  ['too long in characters', '😀'.repeat(201)],
])('a key that is %s is refused naming the field', async (_label, idempotencyKey) => {
  const result = await server.graphql<{ adjustBudget: Record<string, unknown> }>(
    users.finance.token,
    `mutation($k: String!) { adjustBudget(input: { budgetId: "00000000-0000-0000-0000-000000000000", amount: "1", reason: "x", idempotencyKey: $k }) { __typename ... on Error { field } } }`,
    { k: idempotencyKey },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data!.adjustBudget).toEqual({ __typename: 'ValidationError', field: 'input.idempotencyKey' });
});

test('a key of exactly 8 characters, each outside the basic plane, is accepted as the database counts it', async () => {
  const { budget } = await keyAccountWithBudget(database.db, org, finance());
  const result = await server.graphql<{ adjustBudget: Record<string, unknown> }>(
    users.finance.token,
    `mutation($input: AdjustBudgetInput!) { adjustBudget(input: $input) { __typename } }`,
    { input: { budgetId: budget.id, amount: '1', reason: 'emoji key', idempotencyKey: '😀'.repeat(8) } },
  );
  expect(result.data!.adjustBudget).toEqual({ __typename: 'Budget' });
});

test('a booking replayed after its cancellation is the booking as it is now, and says it is a replay', async () => {
  const { account } = await keyAccountWithBudget(database.db, org, finance());
  const service = await createFreeService(database.db, admin(), '10');
  const input = {
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(2),
    idempotencyKey: key(),
  };
  const first = await server.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, { input });
  expect(first.data!.bookFreeService).toMatchObject({ __typename: 'Booking', state: 'BOOKED' });
  const cancelled = await server.graphql<{ cancelBooking: { __typename: string } }>(
    users.csm.token,
    `mutation($input: CancelBookingInput!) { cancelBooking(input: $input) { __typename } }`,
    {
      input: { bookingId: first.data!.bookFreeService.id, reason: 'no longer needed', idempotencyKey: key() },
    },
  );
  expect(cancelled.data!.cancelBooking.__typename).toBe('Booking');
  const replay = await server.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, { input });
  expect(replay.data!.bookFreeService).toEqual({
    __typename: 'Booking',
    id: first.data!.bookFreeService.id,
    state: 'CANCELLED',
  });
  expect(replay.extensions).toEqual({ idempotentReplay: true });
});

test('each kind of stored refusal replays as the same union member with the same words', async () => {
  const { account, budget } = await keyAccountWithBudget(database.db, org, finance(), { amount: '100.00' });
  const service = await createFreeService(database.db, admin(), '10');
  const DELIVER = `mutation($input: DeliverBookingInput!) { deliverBooking(input: $input) { __typename ... on Error { code field message } } }`;
  const ADJUST = `mutation($input: AdjustBudgetInput!) { adjustBudget(input: $input) { __typename ... on Error { code field message } ... on BudgetExceededError { remainingAmount requestedAmount currency } } }`;
  const booked = await server.graphql<BookAnswer>(users.csm.token, BOOK_TYPENAME, {
    input: { accountId: account.id, serviceId: service.id, plannedDate: inDays(2), idempotencyKey: key() },
  });
  const bookingId = booked.data!.bookFreeService.id!;
  await server.graphql(
    users.csm.token,
    `mutation($input: CancelBookingInput!) { cancelBooking(input: $input) { __typename } }`,
    { input: { bookingId, reason: 'changed plans', idempotencyKey: key() } },
  );
  const unknown = '00000000-0000-4000-8000-00000000abcd';
  const cases: [string, string, Record<string, unknown>, unknown][] = [
    [
      users.csm.token,
      DELIVER,
      { bookingId, idempotencyKey: key() },
      {
        __typename: 'InvalidTransitionError',
        code: 'INVALID_TRANSITION',
        field: null,
        message: 'Booking cannot go from CANCELLED to DELIVERED',
      },
    ],
    [
      users.csm.token,
      DELIVER,
      { bookingId: unknown, idempotencyKey: key() },
      {
        __typename: 'NotFoundError',
        code: 'NOT_FOUND',
        field: 'input.bookingId',
        message: `Booking ${unknown} does not exist or is not visible to you`,
      },
    ],
    [
      users.finance.token,
      ADJUST,
      { budgetId: budget.id, amount: '-200.00', reason: 'cut', idempotencyKey: key() },
      {
        __typename: 'BudgetExceededError',
        code: 'BUDGET_EXCEEDED',
        field: 'input.amount',
        message: 'the budget has 100.00 CNY remaining; 200.00 CNY does not fit',
        remainingAmount: '100.00',
        requestedAmount: '200.00',
        currency: 'CNY',
      },
    ],
  ];
  for (const [token, mutation, input, expected] of cases) {
    const first = await server.graphql<Record<string, unknown>>(token, mutation, { input });
    const replay = await server.graphql<Record<string, unknown>>(token, mutation, { input });
    expect([Object.values(first.data!)[0], first.extensions]).toEqual([expected, undefined]);
    expect([Object.values(replay.data!)[0], replay.extensions]).toEqual([
      expected,
      { idempotentReplay: true },
    ]);
  }
});
