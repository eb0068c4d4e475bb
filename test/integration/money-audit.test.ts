// Every money step leaves one audit row saying who did what to which object of which account,
// under the request it came in, with the object's state before and after.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import {
  actorOf,
  config,
  contextFor,
  createFreeService,
  inDays,
  key,
  keyAccountWithBudget,
} from '../support/money';
import {
  bookFreeService,
  cancelBooking,
  decideBookingException,
  deliverBooking,
  expireLapsedBookings,
} from '../../src/modules/budgets/service';
import {
  adjustBudget,
  createBudget,
  setOperatingRatio,
  setOverrunPolicy,
} from '../../src/modules/budgets/service';
import { decideBudgetTransfer, requestBudgetTransfer } from '../../src/modules/budgets/service';
import type { UseCaseContext } from '../../src/shared/context';
import { Decimal } from '../../src/shared/money';

let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;

beforeAll(async () => {
  database = await createTestDatabase();
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
});
afterAll(async () => database.drop());

type Row = {
  actor_user_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  account_id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string;
};

/** Runs `step` and returns the audit rows it wrote. */
async function audited(context: UseCaseContext, step: () => Promise<unknown>): Promise<Row[]> {
  const [{ max }] = (await database.db('audit_log').max('id as max')) as [{ max: string | null }];
  await step();
  return database
    .db('audit_log')
    .where('id', '>', max ?? 0)
    .orderBy('id')
    .select(
      'actor_user_id',
      'action',
      'entity_type',
      'entity_id',
      'account_id',
      'before',
      'after',
      'request_id',
    )
    .then((rows: Row[]) => {
      for (const row of rows) expect(row.request_id).toBe(context.requestId);
      return rows;
    });
}

test('bookings: book, request an exception, approve, reject, deliver, cancel and expire are each one audit row', async () => {
  const finance = contextFor(database.db, actorOf(users.finance));
  const csm = contextFor(database.db, actorOf(users.csm, org.csm.id));
  const leader = contextFor(database.db, actorOf(users.salesLeader));
  const { account } = await keyAccountWithBudget(database.db, org, finance.actor!, { amount: '100.00' });
  const service = await createFreeService(database.db, actorOf(users.admin), '60.00');
  const book = (changes = {}) =>
    bookFreeService(csm, {
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
      idempotencyKey: key(),
      ...changes,
    });
  let booking!: Awaited<ReturnType<typeof book>>;
  const booked = await audited(csm, async () => (booking = await book()));
  expect(booked).toEqual([
    expect.objectContaining({
      actor_user_id: users.csm.user.id,
      action: 'booking.book',
      entity_type: 'Booking',
      entity_id: booking.id,
      account_id: account.id,
      before: null,
      after: expect.objectContaining({
        id: booking.id,
        state: 'BOOKED',
        settlementPrice: '60',
        personIds: [],
      }),
    }),
  ]);
  let pending!: Awaited<ReturnType<typeof book>>;
  const requested = await audited(
    csm,
    async () => (pending = await book({ requestException: true, exceptionReason: 'launch week' })),
  );
  expect(requested.map((r) => [r.action, r.entity_id, r.after?.state, r.after?.exceptionReason])).toEqual([
    ['booking.requestException', pending.id, 'PENDING_APPROVAL', 'launch week'],
  ]);
  const approved = await audited(leader, () =>
    decideBookingException(leader, { bookingId: pending.id, approve: true, idempotencyKey: key() }),
  );
  expect(
    approved.map((r) => [r.action, r.actor_user_id, r.before?.state, r.after?.state, r.after?.overrun]),
  ).toEqual([['booking.approveException', users.salesLeader.user.id, 'PENDING_APPROVAL', 'BOOKED', true]]);
  const second = await book({ requestException: true, exceptionReason: 'another' });
  const rejected = await audited(leader, () =>
    decideBookingException(leader, { bookingId: second.id, approve: false, idempotencyKey: key() }),
  );
  expect(rejected.map((r) => [r.action, r.account_id, r.before?.state, r.after?.state])).toEqual([
    ['booking.rejectException', account.id, 'PENDING_APPROVAL', 'REJECTED'],
  ]);
  const delivered = await audited(csm, () =>
    deliverBooking(csm, { bookingId: booking.id, actualCost: new Decimal('70.00'), idempotencyKey: key() }),
  );
  expect(
    delivered.map((r) => [
      r.action,
      r.entity_type,
      r.before?.state,
      r.after?.state,
      r.after?.actualCost,
      r.account_id,
    ]),
  ).toEqual([['booking.deliver', 'Booking', 'BOOKED', 'DELIVERED', '70', account.id]]);
  const cancelled = await audited(csm, () =>
    cancelBooking(csm, { bookingId: pending.id, reason: 'postponed', idempotencyKey: key() }),
  );
  expect(
    cancelled.map((r) => [
      r.action,
      r.entity_type,
      r.entity_id,
      r.before?.state,
      r.after?.state,
      r.after?.reason,
      r.account_id,
    ]),
  ).toEqual([['booking.cancel', 'Booking', pending.id, 'BOOKED', 'CANCELLED', 'postponed', account.id]]);
  // Expiry is the system's doing: no actor. (On a fiscal year's first day "yesterday" clamps to
  // today and nothing lapses: the expectation says so rather than skip.)
  const { account: lapsing } = await keyAccountWithBudget(database.db, org, finance.actor!, {
    amount: '100.00',
  });
  const old = await bookFreeService(csm, {
    accountId: lapsing.id,
    serviceId: service.id,
    plannedDate: inDays(-1),
    idempotencyKey: key(),
  });
  const sweep = { ...contextFor(database.db, null), config: { ...config, reservationLapseDays: 0 } };
  const expired = (await audited(sweep, () => expireLapsedBookings(sweep))).filter(
    (r) => r.entity_id === old.id,
  );
  expect(
    expired.map((r) => [
      r.action,
      r.actor_user_id,
      r.entity_type,
      r.account_id,
      r.before?.state,
      r.after?.state,
    ]),
  ).toEqual(
    old.plannedDate < inDays(0) ? [['booking.expire', null, 'Booking', lapsing.id, 'BOOKED', 'EXPIRED']] : [],
  );
});

test('budgets and transfers: create, adjust, ratio, policy, request, approve and reject are each one audit row', async () => {
  const finance = contextFor(database.db, actorOf(users.finance));
  const leader = contextFor(database.db, actorOf(users.salesLeader));
  const a = await org.customer('A');
  const c = await org.customer('C');
  let created!: Awaited<ReturnType<typeof createBudget>>;
  const year = 2095;
  const createdRows = await audited(finance, async () => {
    created = await createBudget(finance, {
      accountId: a.id,
      fiscalYear: year,
      amount: new Decimal('500.00'),
      currency: 'CNY',
      idempotencyKey: key(),
    });
  });
  expect(
    createdRows.map((r) => [r.action, r.entity_type, r.entity_id, r.account_id, r.actor_user_id, r.before]),
  ).toEqual([['budget.create', 'Budget', created.id, a.id, users.finance.user.id, null]]);
  expect(createdRows[0]!.after).toEqual(expect.objectContaining({ id: created.id, fiscalYear: year }));
  const other = await createBudget(finance, {
    accountId: c.id,
    fiscalYear: year,
    amount: new Decimal('100.00'),
    currency: 'CNY',
    idempotencyKey: key(),
  });
  const adjusted = await audited(finance, () =>
    adjustBudget(finance, {
      budgetId: created.id,
      amount: new Decimal('-20.00'),
      reason: 'trim',
      idempotencyKey: key(),
    }),
  );
  expect(adjusted.map((r) => [r.action, r.entity_type, r.entity_id, r.account_id])).toEqual([
    ['budget.adjust', 'Budget', created.id, a.id],
  ]);
  expect([adjusted[0]!.before, adjusted[0]!.after]).toEqual([
    expect.objectContaining({ id: created.id, totals: expect.objectContaining({ remaining: '500' }) }),
    expect.objectContaining({ id: created.id, totals: expect.objectContaining({ remaining: '480' }) }),
  ]);
  // A first setting has nothing before it; a second one shows what it replaced. Both name who set it.
  const setRatio = (ratio: string) => () =>
    setOperatingRatio(finance, { fiscalYear: year + 1, ratio: new Decimal(ratio) });
  const ratioRows = [
    ...(await audited(finance, setRatio('0.03'))),
    ...(await audited(finance, setRatio('0.04'))),
  ];
  expect(
    ratioRows.map((r) => [r.action, r.entity_type, r.entity_id, r.account_id, r.before, r.after]),
  ).toEqual([
    ['operatingRatio.set', 'OperatingRatio', String(year + 1), null, null, { ratio: '0.03' }],
    ['operatingRatio.set', 'OperatingRatio', String(year + 1), null, { ratio: '0.03' }, { ratio: '0.04' }],
  ]);
  expect(
    await database
      .db('operating_ratios')
      .where({ fiscal_year: year + 1 })
      .first('updated_by'),
  ).toEqual({
    updated_by: users.finance.user.id,
  });
  const setPolicy = (policy: 'WARN' | 'STOP') => () => setOverrunPolicy(finance, { tier: 'C', policy });
  const policyRows = [
    ...(await audited(finance, setPolicy('WARN'))),
    ...(await audited(finance, setPolicy('STOP'))),
  ];
  expect(
    policyRows.map((r) => [r.action, r.entity_type, r.entity_id, r.account_id, r.before, r.after]),
  ).toEqual([
    ['overrunPolicy.set', 'OverrunPolicy', 'C', null, { policy: 'STOP' }, { policy: 'WARN' }],
    ['overrunPolicy.set', 'OverrunPolicy', 'C', null, { policy: 'WARN' }, { policy: 'STOP' }],
  ]);
  expect(await database.db('overrun_policies').where({ tier: 'C' }).first('updated_by')).toEqual({
    updated_by: users.finance.user.id,
  });
  let transfer!: Awaited<ReturnType<typeof requestBudgetTransfer>>;
  const requestedRows = await audited(finance, async () => {
    transfer = await requestBudgetTransfer(finance, {
      fromBudgetId: created.id,
      toBudgetId: other.id,
      amount: new Decimal('30.00'),
      reason: 'rebalance',
      idempotencyKey: key(),
    });
  });
  expect(
    requestedRows.map((r) => [r.action, r.entity_type, r.entity_id, r.account_id, r.after?.state]),
  ).toEqual([['budgetTransfer.request', 'BudgetTransfer', transfer.id, a.id, 'REQUESTED']]);
  const approved = await audited(leader, () =>
    decideBudgetTransfer(leader, { transferId: transfer.id, approve: true, idempotencyKey: key() }),
  );
  expect(
    approved.map((r) => [
      r.action,
      r.entity_type,
      r.entity_id,
      r.account_id,
      r.actor_user_id,
      r.before?.state,
      r.after?.state,
    ]),
  ).toEqual([
    [
      'budgetTransfer.approve',
      'BudgetTransfer',
      transfer.id,
      a.id,
      users.salesLeader.user.id,
      'REQUESTED',
      'APPROVED',
    ],
  ]);
  const again = await requestBudgetTransfer(finance, {
    fromBudgetId: created.id,
    toBudgetId: other.id,
    amount: new Decimal('1.00'),
    reason: 'x',
    idempotencyKey: key(),
  });
  const rejected = await audited(leader, () =>
    decideBudgetTransfer(leader, { transferId: again.id, approve: false, idempotencyKey: key() }),
  );
  expect(rejected.map((r) => [r.action, r.entity_id, r.account_id, r.before?.state, r.after?.state])).toEqual(
    [['budgetTransfer.reject', again.id, a.id, 'REQUESTED', 'REJECTED']],
  );
});
