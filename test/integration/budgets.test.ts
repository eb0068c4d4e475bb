// The booking ledger through GraphQL: the worked example, preview, refusals with the remaining
// amount, exceptions, delivery at a different cost, cancellation, every illegal transition,
// expiry, transfers, adjustments and budgets as of a past instant. The WARN policy, which is
// global, is tried in overrun-policy.test.ts on a database of its own.
import { apiAs, DECIDE_EXCEPTION } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import {
  actorOf,
  contextFor,
  createFreeService,
  dayFromToday,
  fiscalYearNow,
  fiscalYearOfDay,
  inDays,
  key,
  keyAccountWithBudget,
  ledgerMismatches,
} from '../support/money';
import { expireLapsedBookings } from '../../src/modules/budgets/service';
import { createBudget } from '../../src/modules/budgets/service';
import { Decimal } from '../../src/shared/money';
import { DateTime } from 'luxon';
import { testConfig } from '../support/server';

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

const admin = () => actorOf(users.admin);
const finance = () => actorOf(users.finance);

const api = (user: keyof typeof users) => apiAs(server, users[user]);

describe('the worked example (DOMAIN.md section 5)', () => {
  test('target 10,000,000 × 2% = 200,000; 50,000 used; three services for 100,000; 50,000 remain', async () => {
    const ratio = await api('finance').field(
      `mutation { setOperatingRatio(fiscalYear: ${fiscalYearNow()}, ratio: "0.02") { __typename ... on OperatingRatio { ratio } } }`,
      {},
    );
    expect(ratio).toEqual({ __typename: 'OperatingRatio', ratio: '0.02' });
    const account = await org.customer('A', { name: 'Worked example A' });
    const budget = await api('finance').createBudget({
      accountId: account.id,
      fiscalYear: fiscalYearNow(),
      revenueTarget: '10000000',
      openingUsed: '50000',
    });
    expect(budget).toMatchObject({
      __typename: 'Budget',
      revenueTarget: '10000000.00',
      operatingRatio: '0.02',
      allocatedAmount: '200000.00',
      spentAmount: '50000.00',
      remainingAmount: '150000.00',
    });
    const services = await Promise.all(
      ['30000', '40000', '30000'].map((price) => createFreeService(database.db, admin(), price)),
    );
    for (const [index, service] of services.entries()) {
      const booking = await api('csm').book({
        accountId: account.id,
        serviceId: service.id,
        plannedDate: inDays(7 * (index + 1)),
      });
      expect(booking.__typename).toBe('Booking');
    }
    const answer = await server.graphql<{ budget: Record<string, unknown> }>(
      users.csm.token,
      `query($id: ID!) { budget(id: $id) { allocatedAmount reservedAmount spentAmount remainingAmount ledger { edges { node { kind amount } } } } }`,
      { id: budget.id },
    );
    expect(answer.data!.budget).toEqual({
      allocatedAmount: '200000.00',
      reservedAmount: '100000.00',
      spentAmount: '50000.00',
      remainingAmount: '50000.00',
      ledger: {
        edges: [
          { node: { kind: 'ALLOCATION', amount: '200000.00' } },
          { node: { kind: 'OPENING', amount: '50000.00' } },
          { node: { kind: 'RESERVE', amount: '30000.00' } },
          { node: { kind: 'RESERVE', amount: '40000.00' } },
          { node: { kind: 'RESERVE', amount: '30000.00' } },
        ],
      },
    });
  });
});

describe('booking against the budget', () => {
  test('preview shows before and after and changes nothing', async () => {
    const { account, budget } = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
    const service = await createFreeService(database.db, admin(), '600');
    const preview = async () =>
      (
        await server.graphql<{ bookingPreview: Record<string, unknown> }>(
          users.csm.token,
          `query($a: ID!, $s: ID!, $d: Date!) { bookingPreview(accountId: $a, serviceId: $s, plannedDate: $d) { remainingBefore remainingAfter settlementPrice needsException wouldOverrun overrunPolicy problems } }`,
          { a: account.id, s: service.id, d: inDays(3) },
        )
      ).data!.bookingPreview;
    expect(await preview()).toEqual({
      remainingBefore: '1000.00',
      remainingAfter: '400.00',
      settlementPrice: '600.00',
      needsException: false,
      wouldOverrun: false,
      overrunPolicy: 'STOP',
      problems: [],
    });
    await api('csm').book({ accountId: account.id, serviceId: service.id, plannedDate: inDays(3) });
    expect(await preview()).toMatchObject({
      remainingBefore: '400.00',
      remainingAfter: '-200.00',
      needsException: true,
    });
    expect((await database.db('budgets').where({ id: budget.id }).first()).remaining_amount).toBe('400.00');
  });

  test('over the remaining budget: refused with what remains; nothing written', async () => {
    const { account, budget } = await keyAccountWithBudget(database.db, org, finance(), { amount: '500' });
    const service = await createFreeService(database.db, admin(), '500.01');
    const refused = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(2),
    });
    expect(refused).toEqual({
      __typename: 'BudgetExceededError',
      code: 'BUDGET_EXCEEDED',
      field: null,
      message: 'the budget has 500.00 CNY remaining; 500.01 CNY does not fit',
      remainingAmount: '500.00',
      requestedAmount: '500.01',
      currency: 'CNY',
    });
    expect(await database.db('bookings').where({ budget_id: budget.id }).count('* as n')).toEqual([
      { n: '0' },
    ]);
    expect(await database.db('ledger_entries').where({ budget_id: budget.id }).count('* as n')).toEqual([
      { n: '1' },
    ]);
  });

  test('an exception waits for a SALES_LEADER, who approves (reserving past zero, flagged) or rejects', async () => {
    const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '100' });
    const service = await createFreeService(database.db, admin(), '150');
    const pending = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(2),
      requestException: true,
      exceptionReason: 'renewal at risk',
    });
    expect(pending).toMatchObject({
      __typename: 'Booking',
      state: 'PENDING_APPROVAL',
      budget: { reservedAmount: '0.00', remainingAmount: '100.00' },
    });
    const byCsm = await api('csm').request(DECIDE_EXCEPTION, {
      input: { bookingId: pending.id, approve: true, idempotencyKey: key() },
    });
    expect(byCsm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const approved = await api('salesLeader').decideException({ bookingId: pending.id, approve: true });
    expect(approved).toEqual({
      __typename: 'Booking',
      state: 'BOOKED',
      overrun: true,
      budget: { remainingAmount: '-50.00' },
    });
    const second = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(2),
      requestException: true,
      exceptionReason: 'again',
    });
    // The deprecated old name of bookingId still works.
    const rejected = await api('salesLeader').decideException({ id: second.id, approve: false });
    expect(rejected).toMatchObject({ state: 'REJECTED', budget: { remainingAmount: '-50.00' } });
  });

  test('requestException needs a reason', async () => {
    const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '100' });
    const service = await createFreeService(database.db, admin(), '150');
    const refused = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(2),
      requestException: true,
    });
    expect(refused).toMatchObject({ __typename: 'ValidationError', field: 'input.exceptionReason' });
  });

  test('free services are refused for B, D and E accounts', async () => {
    const service = await createFreeService(database.db, admin(), '10');
    for (const tier of ['B', 'D', 'E'] as const) {
      const account = await org.customer(tier);
      const refused = await api('admin').book({
        accountId: account.id,
        serviceId: service.id,
        plannedDate: inDays(2),
      });
      expect(refused).toMatchObject({
        __typename: 'ValidationError',
        field: 'input.accountId',
        message: expect.stringContaining(`tier ${tier}`),
      });
    }
  });

  test('only the account’s CSM books; another CSM is told the account does not exist', async () => {
    const { account } = await keyAccountWithBudget(database.db, org, finance());
    const service = await createFreeService(database.db, admin(), '10');
    const refused = await api('otherCsm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(2),
    });
    expect(refused).toMatchObject({ __typename: 'NotFoundError', field: 'input.accountId' });
  });

  test('a booking keeps the price in force when it was made', async () => {
    const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
    const service = await createFreeService(database.db, admin(), '100');
    const booked = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(5),
    });
    const repriced = await api('finance').request(
      `mutation($id: ID!, $d: Date!) { setServicePrice(input: { serviceId: $id, effectiveFrom: $d, settlementPrice: "900" }) { __typename } }`,
      { id: service.id, d: inDays(0) },
    );
    expect(repriced.errors).toBeUndefined();
    const delivered = await api('csm').deliver({ bookingId: booked.id });
    expect(delivered).toMatchObject({ state: 'DELIVERED', actualCost: '100.00' });
  });

  // A budget of 100.00 with one booking of 60.00: 40.00 remain, 100.00 once the reservation is
  // released. A delivery costing more than that takes the budget past zero and is flagged.
  test.each([
    ['cheaper than reserved', '30.00', false, '70.00'],
    ['at the reservation', '60.00', false, '40.00'],
    ['exactly what the budget holds', '100.00', false, '0.00'],
    ['one cent past the budget', '100.01', true, '-0.01'],
    ['well past the budget', '250.00', true, '-150.00'],
  ])('a delivery %s (%s) is flagged overrun: %s', async (_label, actualCost, overrun, remaining) => {
    const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '100.00' });
    const service = await createFreeService(database.db, admin(), '60.00');
    const booked = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
    });
    expect(booked).toMatchObject({ state: 'BOOKED', overrun: false });
    const delivered = await api('csm').deliver({ bookingId: booked.id, actualCost });
    expect(delivered).toEqual({
      __typename: 'Booking',
      state: 'DELIVERED',
      actualCost,
      overrun,
      budget: { reservedAmount: '0.00', spentAmount: actualCost, remainingAmount: remaining },
    });
  });

  test('delivery releases the reservation and posts the actual cost; cancellation releases', async () => {
    const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
    const service = await createFreeService(database.db, admin(), '300');
    const one = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(1),
      personIds: [org.expertPerson.id],
    });
    const two = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(1),
    });
    expect(two).toMatchObject({ budget: { reservedAmount: '600.00', remainingAmount: '400.00' } });
    const delivered = await api('csm').deliver({ bookingId: one.id, actualCost: '350.50' });
    expect(delivered).toEqual({
      __typename: 'Booking',
      state: 'DELIVERED',
      actualCost: '350.50',
      overrun: false,
      budget: { reservedAmount: '300.00', spentAmount: '350.50', remainingAmount: '349.50' },
    });
    const cancelled = await api('csm').cancel({ bookingId: two.id, reason: 'customer postponed' });
    expect(cancelled).toEqual({
      __typename: 'Booking',
      state: 'CANCELLED',
      budget: { reservedAmount: '0.00', remainingAmount: '649.50' },
    });
    const kinds = await database
      .db('ledger_entries')
      .where({ booking_id: one.id })
      .orderBy('id')
      .pluck('kind');
    expect(kinds).toEqual(['RESERVE', 'RELEASE', 'SPEND']);
  });

  test('every illegal transition is a typed error and changes nothing', async () => {
    const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
    const service = await createFreeService(database.db, admin(), '10');
    const book = async () =>
      (
        await api('csm').book({
          accountId: account.id,
          serviceId: service.id,
          plannedDate: inDays(1),
        })
      ).id as string;
    const deliver = (id: string) => api('csm').deliver({ bookingId: id });
    const cancel = (id: string) => api('csm').cancel({ bookingId: id, reason: 'x' });
    const decide = (id: string, approve: boolean) =>
      api('salesLeader').decideException({ bookingId: id, approve });
    const delivered = await book();
    await deliver(delivered);
    const cancelled = await book();
    await cancel(cancelled);
    const booked = await book();
    const cases: [string, () => Promise<Record<string, unknown>>, string, string][] = [
      [delivered, () => deliver(delivered), 'DELIVERED', 'DELIVERED'],
      [delivered, () => cancel(delivered), 'DELIVERED', 'CANCELLED'],
      [delivered, () => decide(delivered, true), 'DELIVERED', 'BOOKED'],
      [cancelled, () => deliver(cancelled), 'CANCELLED', 'DELIVERED'],
      [cancelled, () => cancel(cancelled), 'CANCELLED', 'CANCELLED'],
      [cancelled, () => decide(cancelled, false), 'CANCELLED', 'REJECTED'],
      [booked, () => decide(booked, true), 'BOOKED', 'BOOKED'],
      [booked, () => decide(booked, false), 'BOOKED', 'REJECTED'],
    ];
    for (const [id, attempt, from, to] of cases) {
      const entriesBefore = await database.db('ledger_entries').where({ booking_id: id }).count('* as n');
      expect(await attempt()).toMatchObject({
        __typename: 'InvalidTransitionError',
        code: 'INVALID_TRANSITION',
        message: `Booking cannot go from ${from} to ${to}`,
      });
      expect(await database.db('ledger_entries').where({ booking_id: id }).count('* as n')).toEqual(
        entriesBefore,
      );
      expect((await database.db('bookings').where({ id }).first()).state).toBe(from);
    }
  });

  test('lapsed reservations expire and are released in the ledger', async () => {
    const { account, budget } = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
    const service = await createFreeService(database.db, admin(), '200');
    // Three days ago, which in the first days of a fiscal year lies in the previous one: that
    // year needs its own budget, or the test would depend on today's date.
    const threeDaysAgo = dayFromToday(-3);
    if (fiscalYearOfDay(threeDaysAgo) !== fiscalYearNow())
      await createBudget(contextFor(database.db, finance()), {
        accountId: account.id,
        fiscalYear: fiscalYearOfDay(threeDaysAgo),
        amount: new Decimal('1000'),
        currency: 'CNY',
        idempotencyKey: key(),
      });
    const lapsing = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: threeDaysAgo,
    });
    const fresh = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(5),
    });
    const lapseAfterTwoDays = {
      ...contextFor(database.db, null),
      config: testConfig({ RESERVATION_LAPSE_DAYS: '2' }),
    };
    // The sweep is global: every booking of this database past the cutoff, counted beforehand.
    const cutoff = DateTime.fromISO(inDays(0)).minus({ days: 2 }).toISODate()!;
    const [{ n: lapsed }] = (await database
      .db('bookings')
      .where({ state: 'BOOKED' })
      .where('planned_date', '<', cutoff)
      .count('* as n')) as [{ n: string }];
    expect(Number(lapsed)).toBeGreaterThan(0);
    expect(await expireLapsedBookings(lapseAfterTwoDays)).toBe(Number(lapsed));
    expect((await database.db('bookings').where({ id: lapsing.id }).first()).state).toBe('EXPIRED');
    expect((await database.db('bookings').where({ id: fresh.id }).first()).state).toBe('BOOKED');
    expect((await database.db('budgets').where({ id: budget.id }).first()).reserved_amount).toBe('200.00');
    const release = await database
      .db('ledger_entries')
      .where({ booking_id: lapsing.id, kind: 'RELEASE' })
      .first();
    expect(release.reason).toContain('lapsed');
    expect(await expireLapsedBookings(lapseAfterTwoDays)).toBe(0);
  });
});

describe('budgets', () => {
  test('only key accounts get a budget; one per fiscal year; the year needs a ratio or an explicit one', async () => {
    const ordinary = await org.customer('B');
    const CREATE = `mutation($input: CreateBudgetInput!) { createBudget(input: $input) { __typename ... on Error { field message } } }`;
    expect(
      await api('finance').createBudget({ accountId: ordinary.id, fiscalYear: 2040, amount: '10' }, CREATE),
    ).toMatchObject({ __typename: 'ValidationError', field: 'input.accountId' });
    const keyAccount = await org.customer('C');
    expect(
      await api('finance').createBudget(
        { accountId: keyAccount.id, fiscalYear: 2040, revenueTarget: '1000' },
        CREATE,
      ),
    ).toMatchObject({ __typename: 'ValidationError', field: 'input.operatingRatio' });
    expect(
      await api('finance').createBudget(
        {
          accountId: keyAccount.id,
          fiscalYear: 2040,
          revenueTarget: '1000',
          operatingRatio: '0.025',
        },
        CREATE,
      ),
    ).toMatchObject({ __typename: 'Budget' });
    expect(
      await api('finance').createBudget({ accountId: keyAccount.id, fiscalYear: 2040, amount: '5' }, CREATE),
    ).toMatchObject({ __typename: 'ConflictError', field: 'input.fiscalYear' });
    const csm = await api('csm').request(CREATE, {
      input: { accountId: keyAccount.id, fiscalYear: 2041, amount: '5', idempotencyKey: key() },
    });
    expect(csm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('adjustments need a reason and cannot take the budget below what is used; as-of reads the past', async () => {
    const { budget } = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
    const ADJUST = `mutation($input: AdjustBudgetInput!) { adjustBudget(input: $input) { __typename ... on Budget { allocatedAmount remainingAmount } ... on Error { field } } }`;
    // The database's clock, which stamps the entries: no margin between two clocks to guess.
    const before = (
      (await database.db.raw('select clock_timestamp() as at')).rows[0].at as Date
    ).toISOString();
    expect(
      await api('finance').adjustBudget(
        { budgetId: budget.id, amount: '250.25', reason: 'mid-year top-up' },
        ADJUST,
      ),
    ).toEqual({ __typename: 'Budget', allocatedAmount: '1250.25', remainingAmount: '1250.25' });
    expect(
      await api('finance').adjustBudget({ budgetId: budget.id, amount: '-2000', reason: 'cut' }, ADJUST),
    ).toEqual({ __typename: 'BudgetExceededError', field: 'input.amount' });
    expect(
      await api('finance').adjustBudget({ budgetId: budget.id, amount: '5', reason: ' ' }, ADJUST),
    ).toEqual({ __typename: 'ValidationError', field: 'input.reason' });
    const asOf = await api('finance').request<{ budget: { asOf: { allocatedAmount: string } } }>(
      `query($id: ID!, $at: DateTime!) { budget(id: $id) { asOf(at: $at) { allocatedAmount remainingAmount } } }`,
      { id: budget.id, at: before },
    );
    expect(asOf.data!.budget.asOf.allocatedAmount).toBe('1000.00');
  });

  test('a transfer moves budget between two key accounts once a SALES_LEADER approves', async () => {
    const giver = await keyAccountWithBudget(database.db, org, finance(), { amount: '1000' });
    const receiver = await keyAccountWithBudget(database.db, org, finance(), {
      amount: '100',
      csm: org.otherCsm.id,
    });
    const REQUEST = `mutation($input: RequestBudgetTransferInput!) { requestBudgetTransfer(input: $input) { __typename ... on BudgetTransfer { id state } ... on Error { field message } } }`;
    const tooMuch = await api('csm').requestTransfer(
      {
        fromBudgetId: giver.budget.id,
        toBudgetId: receiver.budget.id,
        amount: '1000.01',
        reason: 'x',
      },
      REQUEST,
    );
    expect(tooMuch).toMatchObject({ __typename: 'BudgetExceededError', field: 'input.amount' });
    const notTheirs = await api('otherCsm').requestTransfer(
      {
        fromBudgetId: giver.budget.id,
        toBudgetId: receiver.budget.id,
        amount: '10',
        reason: 'x',
      },
      REQUEST,
    );
    expect(notTheirs).toMatchObject({ __typename: 'NotFoundError', field: 'input.fromBudgetId' });
    const requested = await api('csm').requestTransfer(
      {
        fromBudgetId: giver.budget.id,
        toBudgetId: receiver.budget.id,
        amount: '400',
        reason: 'receiver has the bigger opportunity',
      },
      REQUEST,
    );
    expect(requested).toMatchObject({ state: 'REQUESTED' });
    const DECIDE_TRANSFER = `mutation($input: DecideBudgetTransferInput!) { decideBudgetTransfer(input: $input) { __typename ... on BudgetTransfer { state fromBudget { remainingAmount } toBudget { remainingAmount } } ... on Error { message } } }`;
    const approved = await api('salesLeader').decideTransfer(
      { transferId: requested.id, approve: true },
      DECIDE_TRANSFER,
    );
    expect(approved).toEqual({
      __typename: 'BudgetTransfer',
      state: 'APPROVED',
      fromBudget: { remainingAmount: '600.00' },
      toBudget: { remainingAmount: '500.00' },
    });
    // The deprecated old name of transferId still works.
    const again = await api('salesLeader').decideTransfer(
      { id: requested.id, approve: false },
      DECIDE_TRANSFER,
    );
    expect(again).toMatchObject({ __typename: 'InvalidTransitionError' });
    const entries = await database
      .db('ledger_entries')
      .where({ transfer_id: requested.id })
      .orderBy('id')
      .select('kind', 'amount', 'budget_id');
    expect(entries).toEqual([
      { kind: 'TRANSFER_OUT', amount: '400.00', budget_id: giver.budget.id },
      { kind: 'TRANSFER_IN', amount: '400.00', budget_id: receiver.budget.id },
    ]);
  });

  test('a decision carries the sales leader’s reason: returned, kept on the row, audited; a blank one is refused naming input.reason', async () => {
    const { account, budget } = await keyAccountWithBudget(database.db, org, finance(), { amount: '100' });
    const other = await keyAccountWithBudget(database.db, org, finance(), { amount: '100' });
    const service = await createFreeService(database.db, admin(), '150');
    const pending = await api('csm').book({
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(2),
      requestException: true,
      exceptionReason: 'renewal at risk',
    });
    const DECIDE_WITH_REASON = `mutation($input: DecideBookingExceptionInput!) { decideBookingException(input: $input) { __typename ... on Booking { state exceptionDecisionReason } ... on Error { code field message } } }`;
    const blank = await api('salesLeader').decideException(
      { bookingId: pending.id, approve: false, reason: '   ' },
      DECIDE_WITH_REASON,
    );
    expect(blank).toEqual({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      field: 'input.reason',
      message: 'a reason of 1–1000 characters is required',
    });
    const rejected = await api('salesLeader').decideException(
      {
        bookingId: pending.id,
        approve: false,
        reason: ' spend it on the Q3 review instead ',
      },
      DECIDE_WITH_REASON,
    );
    expect(rejected).toEqual({
      __typename: 'Booking',
      state: 'REJECTED',
      exceptionDecisionReason: 'spend it on the Q3 review instead',
    });
    const audit = await database
      .db('audit_log')
      .where({ entity_id: pending.id, action: 'booking.rejectException' })
      .first();
    // Approved with a reason (on an account of its own): the reservation's ledger entry quotes both reasons.
    const third = await keyAccountWithBudget(database.db, org, finance(), { amount: '100' });
    const approvedOne = await api('csm').book({
      accountId: third.account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
      requestException: true,
      exceptionReason: 'board visit',
    });
    expect(
      await api('salesLeader').decideException(
        { bookingId: approvedOne.id, approve: true, reason: 'worth it' },
        DECIDE_WITH_REASON,
      ),
    ).toEqual({ __typename: 'Booking', state: 'BOOKED', exceptionDecisionReason: 'worth it' });
    expect(
      await database
        .db('ledger_entries')
        .where({ booking_id: approvedOne.id, kind: 'RESERVE' })
        .select('reason'),
    ).toEqual([{ reason: 'exception approved: board visit (worth it)' }]);
    expect(audit.after.exceptionDecisionReason).toBe('spend it on the Q3 review instead');

    const REQUEST = `mutation($input: RequestBudgetTransferInput!) { requestBudgetTransfer(input: $input) { ... on BudgetTransfer { id } } }`;
    const transfer = await api('csm').requestTransfer(
      {
        fromBudgetId: budget.id,
        toBudgetId: other.budget.id,
        amount: '10',
        reason: 'x',
      },
      REQUEST,
    );
    const DECIDE_TRANSFER = `mutation($input: DecideBudgetTransferInput!) { decideBudgetTransfer(input: $input) { __typename ... on BudgetTransfer { state decisionReason } ... on Error { field } } }`;
    const tooLong = await api('salesLeader').decideTransfer(
      { transferId: transfer.id, approve: true, reason: 'x'.repeat(1001) },
      DECIDE_TRANSFER,
    );
    expect(tooLong).toEqual({ __typename: 'ValidationError', field: 'input.reason' });
    const approved = await api('salesLeader').decideTransfer(
      {
        transferId: transfer.id,
        approve: true,
        reason: 'same team, better odds',
      },
      DECIDE_TRANSFER,
    );
    expect(approved).toEqual({
      __typename: 'BudgetTransfer',
      state: 'APPROVED',
      decisionReason: 'same team, better odds',
    });
    // Without a reason, as before: null.
    const second = await api('csm').requestTransfer(
      {
        fromBudgetId: budget.id,
        toBudgetId: other.budget.id,
        amount: '10',
        reason: 'y',
      },
      REQUEST,
    );
    expect(
      await api('salesLeader').decideTransfer({ transferId: second.id, approve: false }, DECIDE_TRANSFER),
    ).toEqual({ __typename: 'BudgetTransfer', state: 'REJECTED', decisionReason: null });
  });

  test('leaving A/C is blocked while bookings are open or the budget has funds', async () => {
    const { account } = await keyAccountWithBudget(database.db, org, finance(), { amount: '100' });
    const service = await createFreeService(database.db, admin(), '10');
    await api('csm').book({ accountId: account.id, serviceId: service.id, plannedDate: inDays(1) });
    const change = await api('salesLeader').field(
      `mutation($input: ChangeTierInput!) { changeTier(input: $input) { __typename ... on TierChangeBlockedError { blockers { resource } } } }`,
      {
        input: { accountId: account.id, tier: 'B', reason: 'x', releaseCsm: true },
      },
    );
    expect(change).toEqual({
      __typename: 'TierChangeBlockedError',
      blockers: [{ resource: 'OPEN_BOOKINGS' }, { resource: 'BUDGET' }],
    });
  });
});
