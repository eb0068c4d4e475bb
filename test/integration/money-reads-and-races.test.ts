// What the money use cases show and to whom, what a replay shows after the caller's standing
// changed, and the row locks that keep two transactions of one process from both spending the
// same money. These run in-process so that mutation testing (npm run test:mutation) sees them:
// the cross-process races in concurrency.test.ts exercise the same locks, but a mutant is only
// active in the process that runs the test.
import { DateTime } from 'luxon';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { refusal } from '../support/refusal';
import { lockWaiters } from '../support/locks';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import {
  actorOf,
  config,
  contextFor,
  createFreeService,
  createPaidService,
  createServicePricedNextYear,
  fiscalYearNow,
  inDays,
  key,
  keyAccountWithBudget,
  ledgerMismatches,
} from '../support/money';
import { retireExpertService } from '../../src/modules/catalog/service';
import {
  bookFreeService,
  cancelBooking,
  deliverBooking,
  expireLapsedBookings,
  type BookInput,
} from '../../src/modules/budgets/service';
import {
  adjustBudget,
  budgetFor,
  listBookings,
  listBudgets,
  previewBooking,
  readBudget,
  setOperatingRatio,
  setOverrunPolicy,
} from '../../src/modules/budgets/service';
import { decideBudgetTransfer, requestBudgetTransfer } from '../../src/modules/budgets/service';
import { Decimal } from '../../src/shared/money';

let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;

beforeAll(async () => {
  database = await createTestDatabase({ poolMax: 12 });
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
});
afterAll(async () => database.drop());

const csm = () => contextFor(database.db, actorOf(users.csm, org.csm.id));
const otherCsm = () => contextFor(database.db, actorOf(users.otherCsm, org.otherCsm.id));
const finance = () => contextFor(database.db, actorOf(users.finance));
const sales = () => contextFor(database.db, actorOf(users.salesLeader));
const admin = () => contextFor(database.db, actorOf(users.admin));
const today = () => DateTime.now().setZone(config.fiscal.timeZone).toISODate()!;
const nameOf = async (accountId: string) =>
  (await database.db('customers').where({ id: accountId }).first('name')).name as string;

async function setUp(amount = '100.00', price = '60.00') {
  const { account, budget } = await keyAccountWithBudget(database.db, org, finance().actor!, { amount });
  const service = await createFreeService(database.db, admin().actor!, price);
  const input = (changes: Partial<BookInput> = {}): BookInput => ({
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
    ...changes,
  });
  return { account, budget, service, input };
}

const remaining = async (budgetId: string) =>
  (await readBudget(finance(), budgetId)).totals.remaining.toFixed(2);

describe('previewBooking', () => {
  test('shows the figures a booking would produce, changing nothing', async () => {
    const { account, budget, service } = await setUp('100.00', '60.00');
    const preview = await previewBooking(csm(), {
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
    });
    expect({
      ...preview,
      budget: preview.budget?.id,
      settlementPrice: preview.settlementPrice?.toFixed(2),
      remainingBefore: preview.remainingBefore?.toFixed(2),
      remainingAfter: preview.remainingAfter?.toFixed(2),
    }).toEqual({
      accountId: account.id,
      budget: budget.id,
      fiscalYear: fiscalYearNow(),
      settlementPrice: '60.00',
      remainingBefore: '100.00',
      remainingAfter: '40.00',
      policy: 'STOP',
      decision: 'FITS',
      problems: [],
    });
    expect(await remaining(budget.id)).toBe('100.00');
    // Over the remainder, under each policy.
    const big = await createFreeService(database.db, admin().actor!, '150.00');
    const over = () =>
      previewBooking(csm(), { accountId: account.id, serviceId: big.id, plannedDate: inDays(3) });
    expect((await over()).remainingAfter?.toFixed(2)).toBe('-50.00');
    expect((await over()).decision).toBe('NEEDS_EXCEPTION');
    await setOverrunPolicy(finance(), { tier: 'A', policy: 'WARN' });
    try {
      expect([(await over()).policy, (await over()).decision]).toEqual(['WARN', 'OVERRUN_FLAGGED']);
    } finally {
      await setOverrunPolicy(finance(), { tier: 'A', policy: 'STOP' });
    }
  });

  test('lists every problem a booking would be refused for', async () => {
    const ordinary = await org.customer('B');
    const paid = await createPaidService(database.db, admin().actor!, 'Paid rollout');
    await retireExpertService(admin(), paid.id);
    const unpriced = await createServicePricedNextYear(database.db, admin().actor!, 'Priced next year');
    const ordinaryName = await nameOf(ordinary.id);
    const year = fiscalYearNow();
    const onOrdinary = await previewBooking(admin(), {
      accountId: ordinary.id,
      serviceId: paid.id,
      plannedDate: inDays(3),
    });
    expect(onOrdinary).toMatchObject({
      budget: null,
      remainingBefore: null,
      remainingAfter: null,
      decision: null,
      problems: [
        `free expert services are for key accounts (A, C); ${ordinaryName} is tier B`,
        'Paid rollout is a paid service',
        'Paid rollout is retired',
        'Paid rollout has no settlement price in force',
        `${ordinaryName} has no operating budget for FY${year}`,
      ],
    });
    const { account, budget } = await setUp();
    const unpricedPreview = await previewBooking(csm(), {
      accountId: account.id,
      serviceId: unpriced.id,
      plannedDate: inDays(3),
    });
    expect(unpricedPreview).toMatchObject({
      settlementPrice: null,
      remainingAfter: null,
      decision: null,
      problems: ['Priced next year has no settlement price in force'],
    });
    expect(unpricedPreview.remainingBefore?.toFixed(2)).toBe('100.00');
    expect(unpricedPreview.budget?.id).toBe(budget.id);
    // A malformed or unknown service, and an account the caller may not read.
    expect(
      await refusal(() =>
        previewBooking(csm(), { accountId: account.id, serviceId: 'nope', plannedDate: inDays(3) }),
      ),
    ).toEqual({
      error: 'ValidationError',
      field: 'serviceId',
      message: 'serviceId must be an id (UUID), got "nope"',
    });
    const missing = crypto.randomUUID();
    expect(
      await refusal(() =>
        previewBooking(csm(), { accountId: account.id, serviceId: missing, plannedDate: inDays(3) }),
      ),
    ).toEqual({
      error: 'NotFoundError',
      field: 'serviceId',
      message: `ExpertService ${missing} does not exist or is not visible to you`,
    });
    expect(
      await refusal(() =>
        previewBooking(otherCsm(), { accountId: account.id, serviceId: unpriced.id, plannedDate: inDays(3) }),
      ),
    ).toEqual({
      error: 'NotFoundError',
      field: 'accountId',
      message: `Account ${account.id} does not exist or is not visible to you`,
    });
  });
});

describe('reading budgets and bookings', () => {
  test('readBudget and budgetFor show a budget to who may read its account', async () => {
    const { account, budget } = await setUp();
    expect((await readBudget(csm(), budget.id)).id).toBe(budget.id);
    expect((await budgetFor(csm(), account.id, null))!.id).toBe(budget.id);
    expect((await budgetFor(csm(), account.id, fiscalYearNow()))!.id).toBe(budget.id);
    expect(await budgetFor(csm(), account.id, fiscalYearNow() + 1)).toBeNull();
    expect(await refusal(() => readBudget(otherCsm(), budget.id))).toEqual({
      error: 'NotFoundError',
      field: 'id',
      message: `Budget ${budget.id} does not exist or is not visible to you`,
    });
    expect(await refusal(() => readBudget(finance(), 'nope'))).toEqual({
      error: 'ValidationError',
      field: 'id',
      message: 'id must be an id (UUID), got "nope"',
    });
    const missing = crypto.randomUUID();
    expect(await refusal(() => readBudget(finance(), missing))).toEqual({
      error: 'NotFoundError',
      field: 'id',
      message: `Budget ${missing} does not exist or is not visible to you`,
    });
    expect(await refusal(() => budgetFor(otherCsm(), account.id, null))).toEqual({
      error: 'NotFoundError',
      field: 'accountId',
      message: `Account ${account.id} does not exist or is not visible to you`,
    });
  });

  test('a CSM lists only the budgets and bookings of their own accounts', async () => {
    const mine = await setUp();
    const theirs = await keyAccountWithBudget(database.db, org, finance().actor!, { csm: org.otherCsm.id });
    const booked = await bookFreeService(csm(), mine.input());
    const theirBooking = await bookFreeService(otherCsm(), mine.input({ accountId: theirs.account.id }));
    const budgetIds = async (context: ReturnType<typeof csm>) =>
      (await listBudgets(context, { first: 200 }, fiscalYearNow())).edges.map((e) => e.node.id);
    expect(await budgetIds(csm())).toContain(mine.budget.id);
    expect(await budgetIds(csm())).not.toContain(theirs.budget.id);
    expect(await budgetIds(finance())).toEqual(expect.arrayContaining([mine.budget.id, theirs.budget.id]));
    const none = await listBudgets(finance(), { first: 200 }, fiscalYearNow() + 1);
    expect([none.edges, await none.totalCount()]).toEqual([[], 0]);
    const bookingIds = async (context: ReturnType<typeof csm>) => {
      const page = await listBookings(context, { first: 100 }, {});
      // The count is of the same bookings the caller may see (one page holds them all here).
      expect(await page.totalCount()).toBe(page.edges.length);
      return page.edges.map((e) => e.node.id);
    };
    expect(await bookingIds(csm())).toContain(booked.id);
    expect(await bookingIds(csm())).not.toContain(theirBooking.id);
    expect(await bookingIds(sales())).toEqual(expect.arrayContaining([booked.id, theirBooking.id]));
  });
});

describe('a replay answers only who may still see and manage the object', () => {
  test('book, deliver and cancel: the replaced CSM gets NOT_FOUND; a CSM who lost the role, FORBIDDEN', async () => {
    const { account, budget, input } = await setUp('1000.00', '10.00');
    const name = await nameOf(account.id);
    const bookInput = input();
    const booking = await bookFreeService(csm(), bookInput);
    const delivered = await bookFreeService(csm(), input());
    const deliverInput = { bookingId: delivered.id, actualCost: null, idempotencyKey: key() };
    await deliverBooking(csm(), deliverInput);
    const cancelled = await bookFreeService(csm(), input());
    const cancelInput = { bookingId: cancelled.id, reason: 'moved', idempotencyKey: key() };
    await cancelBooking(csm(), cancelInput);

    // The same user, now FINANCE instead of CSM: reads the account, may not manage it.
    const nowFinance = contextFor(database.db, { ...actorOf(users.csm, null), roles: ['FINANCE'] });
    const forbidden = {
      error: 'ForbiddenActionError',
      field: null,
      message: `only the CSM of ${name} (or an ADMIN) may book and manage its free services`,
    };
    expect(await refusal(() => bookFreeService(nowFinance, bookInput))).toEqual(forbidden);
    expect(await refusal(() => deliverBooking(nowFinance, deliverInput))).toEqual(forbidden);
    expect(await refusal(() => cancelBooking(nowFinance, cancelInput))).toEqual(forbidden);

    // Replaced on the account: the objects are as unknown as any other account's.
    await database.db('customers').where({ id: account.id }).update({ csm_person_id: org.otherCsm.id });
    expect(await refusal(() => bookFreeService(csm(), bookInput))).toEqual({
      error: 'NotFoundError',
      field: 'input.accountId',
      message: `Booking ${booking.id} does not exist or is not visible to you`,
    });
    expect(await refusal(() => deliverBooking(csm(), deliverInput))).toEqual({
      error: 'NotFoundError',
      field: 'input.bookingId',
      message: `Booking ${delivered.id} does not exist or is not visible to you`,
    });
    expect(await refusal(() => cancelBooking(csm(), cancelInput))).toEqual({
      error: 'NotFoundError',
      field: 'input.bookingId',
      message: `Booking ${cancelled.id} does not exist or is not visible to you`,
    });
    // Nothing moved on any of the refused replays.
    expect(await ledgerMismatches(database.db, budget.id)).toEqual([]);
  });

  test('requestBudgetTransfer: the replaced CSM gets NOT_FOUND naming the giving budget', async () => {
    const from = await setUp('500.00');
    const to = await keyAccountWithBudget(database.db, org, finance().actor!, { amount: '100.00' });
    const transferInput = {
      fromBudgetId: from.budget.id,
      toBudgetId: to.budget.id,
      amount: new Decimal('50.00'),
      reason: 'shift',
      idempotencyKey: key(),
    };
    const transfer = await requestBudgetTransfer(csm(), transferInput);
    expect((await requestBudgetTransfer(csm(), transferInput)).id).toBe(transfer.id);
    const nowSales = contextFor(database.db, { ...actorOf(users.csm, null), roles: ['SALES_LEADER'] });
    expect(await refusal(() => requestBudgetTransfer(nowSales, transferInput))).toEqual({
      error: 'ForbiddenActionError',
      field: null,
      message: `only FINANCE or the CSM of ${await nameOf(from.account.id)} may request a transfer from its budget`,
    });
    await database.db('customers').where({ id: from.account.id }).update({ csm_person_id: org.otherCsm.id });
    expect(await refusal(() => requestBudgetTransfer(csm(), transferInput))).toEqual({
      error: 'NotFoundError',
      field: 'input.fromBudgetId',
      message: `Budget ${from.budget.id} does not exist or is not visible to you`,
    });
  });
});

describe('operating ratios and overrun policies', () => {
  test('only FINANCE sets them, within their bounds, and gets back what was set', async () => {
    const year = fiscalYearNow() + 2;
    expect(
      await refusal(() => setOperatingRatio(csm(), { fiscalYear: year, ratio: new Decimal('0.02') })),
    ).toEqual({
      error: 'ForbiddenActionError',
      field: null,
      message: 'only FINANCE may set operating ratios',
    });
    expect(await refusal(() => setOverrunPolicy(admin(), { tier: 'A', policy: 'WARN' }))).toEqual({
      error: 'ForbiddenActionError',
      field: null,
      message: 'only FINANCE may set overrun policies',
    });
    const bounds = 'a ratio is greater than 0 and at most 1 (0.02 for 2%)';
    const cases: [string, string | { error: string; field: string; message: string }][] = [
      ['0', { error: 'ValidationError', field: 'input.ratio', message: bounds }],
      ['-0.01', { error: 'ValidationError', field: 'input.ratio', message: bounds }],
      ['1.000001', { error: 'ValidationError', field: 'input.ratio', message: bounds }],
      [
        '0.0000001',
        { error: 'ValidationError', field: 'input.ratio', message: 'a ratio has at most 6 decimal places' },
      ],
      ['1', 'done'],
      ['0.000001', 'done'],
    ];
    const answers = [];
    for (const [ratio] of cases)
      answers.push([
        ratio,
        await refusal(() => setOperatingRatio(finance(), { fiscalYear: year, ratio: new Decimal(ratio) })),
      ]);
    expect(answers).toEqual(cases);
    expect(
      await refusal(() => setOperatingRatio(finance(), { fiscalYear: 1999, ratio: new Decimal('0.02') })),
    ).toEqual({
      error: 'ValidationError',
      field: 'input.fiscalYear',
      message: 'fiscal year must be between 2000 and 2200',
    });
    const set = await setOperatingRatio(finance(), { fiscalYear: year, ratio: new Decimal('0.025') });
    expect([set.fiscalYear, set.ratio.toString()]).toEqual([year, '0.025']);
    expect(await refusal(() => setOverrunPolicy(finance(), { tier: 'B', policy: 'WARN' }))).toEqual({
      error: 'ValidationError',
      field: 'input.tier',
      message: 'only key-account tiers (A, C) have budgets and an overrun policy',
    });
    expect(await setOverrunPolicy(finance(), { tier: 'C', policy: 'STOP' })).toEqual({
      tier: 'C',
      policy: 'STOP',
    });
  });
});

describe('who moved the money, and how long a reason may be', () => {
  test('each ledger row names the user who posted it; a reason is 1–1000 characters', async () => {
    const { budget } = await setUp('100.00');
    const reason = (length: number) => 'r'.repeat(length);
    const adjust = (text: string) =>
      adjustBudget(finance(), {
        budgetId: budget.id,
        amount: new Decimal('1.00'),
        reason: text,
        idempotencyKey: key(),
      });
    expect(await refusal(() => adjust(reason(1000)))).toBe('done');
    expect(await refusal(() => adjust(reason(1001)))).toEqual({
      error: 'ValidationError',
      field: 'input.reason',
      message: 'a reason of 1–1000 characters is required',
    });
    expect(await refusal(() => adjust('   '))).toEqual({
      error: 'ValidationError',
      field: 'input.reason',
      message: 'a reason of 1–1000 characters is required',
    });
    const rows = await database.db('ledger_entries').where({ budget_id: budget.id }).orderBy('id');
    expect(rows.map((row) => [row.kind, row.actor_user_id])).toEqual([
      ['ALLOCATION', users.finance.user.id],
      ['ADJUSTMENT', users.finance.user.id],
    ]);
  });
});

/** Moves a booking's planned date one day past the lapse period, so the sweep takes it. */
const plannedPastItsLapse = (bookingId: string) =>
  database
    .db('bookings')
    .where({ id: bookingId })
    .update({
      planned_date: DateTime.fromISO(today())
        .minus({ days: config.reservationLapseDays + 1 })
        .toISODate(),
    });

// Two transactions of this process, each on its own connection, started together. Without the
// row lock each reads the same remainder and both spend it (or the database refuses the second
// write with a CHECK violation instead of a typed refusal): either fails here.
describe('row locks between transactions of one process', () => {
  const ROUNDS = 8;
  let touched: string[] = [];
  beforeEach(() => {
    touched = [];
  });
  const mismatchesOf = async (budgetIds: string[]) =>
    (await Promise.all(budgetIds.map((id) => ledgerMismatches(database.db, id)))).flat();
  const settle = async (calls: (() => Promise<unknown>)[]) => Promise.all(calls.map((call) => refusal(call)));

  test('two bookings that each fit, but not together: one books, one is refused', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { budget, input } = await setUp('100.00', '60.00');
      touched.push(budget.id);
      const answers = await settle([
        () => bookFreeService(csm(), input()),
        () => bookFreeService(csm(), input()),
      ]);
      expect(answers.filter((a) => a === 'done')).toHaveLength(1);
      expect(answers.find((a) => a !== 'done')).toEqual({
        error: 'BudgetExceededError',
        field: null,
        message: 'the budget has 40.00 CNY remaining; 60.00 CNY does not fit',
      });
      expect(await remaining(budget.id)).toBe('40.00');
    }
    expect(await mismatchesOf(touched)).toEqual([]);
  });

  test('deliver and cancel of one booking at once: one wins, the other sees the new state', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { budget, input } = await setUp('100.00', '60.00');
      touched.push(budget.id);
      const booking = await bookFreeService(csm(), input());
      const answers = await settle([
        () =>
          deliverBooking(csm(), {
            bookingId: booking.id,
            actualCost: new Decimal('70.00'),
            idempotencyKey: key(),
          }),
        () =>
          cancelBooking(csm(), { bookingId: booking.id, reason: 'no longer needed', idempotencyKey: key() }),
      ]);
      expect(answers.filter((a) => a === 'done')).toHaveLength(1);
      const state = (await database.db('bookings').where({ id: booking.id }).first('state')).state as string;
      const lost = state === 'DELIVERED' ? 'CANCELLED' : 'DELIVERED';
      expect(answers.find((a) => a !== 'done')).toEqual({
        error: 'InvalidTransitionError',
        field: null,
        message: `Booking cannot go from ${state} to ${lost}`,
      });
      expect(await remaining(budget.id)).toBe(state === 'DELIVERED' ? '30.00' : '100.00');
    }
    expect(await mismatchesOf(touched)).toEqual([]);
  });

  test('a reducing adjustment and a booking at once: never below zero', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { budget, input } = await setUp('100.00', '60.00');
      touched.push(budget.id);
      const answers = await settle([
        () => bookFreeService(csm(), input()),
        () =>
          adjustBudget(finance(), {
            budgetId: budget.id,
            amount: new Decimal('-50.00'),
            reason: 'cut',
            idempotencyKey: key(),
          }),
      ]);
      expect(answers.filter((a) => a === 'done')).toHaveLength(1);
      expect(await remaining(budget.id)).toBe(answers[0] === 'done' ? '40.00' : '50.00');
      expect(answers.find((a) => a !== 'done')).toEqual(
        answers[0] === 'done'
          ? {
              error: 'BudgetExceededError',
              field: 'input.amount',
              message: 'the budget has 40.00 CNY remaining; 50.00 CNY does not fit',
            }
          : {
              error: 'BudgetExceededError',
              field: null,
              message: 'the budget has 50.00 CNY remaining; 60.00 CNY does not fit',
            },
      );
    }
    expect(await mismatchesOf(touched)).toEqual([]);
  });

  test('two reducing adjustments that each fit, but not together: one is refused', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { budget } = await setUp('100.00', '60.00');
      touched.push(budget.id);
      const cut = () =>
        adjustBudget(finance(), {
          budgetId: budget.id,
          amount: new Decimal('-60.00'),
          reason: 'cut',
          idempotencyKey: key(),
        });
      const answers = await settle([cut, cut]);
      expect(answers.filter((a) => a === 'done')).toHaveLength(1);
      expect(answers.find((a) => a !== 'done')).toEqual({
        error: 'BudgetExceededError',
        field: 'input.amount',
        message: 'the budget has 40.00 CNY remaining; 60.00 CNY does not fit',
      });
      expect(await remaining(budget.id)).toBe('40.00');
    }
    expect(await mismatchesOf(touched)).toEqual([]);
  });

  test('an approved transfer and a booking on the giving budget at once: never below zero', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const from = await setUp('100.00', '60.00');
      const to = await keyAccountWithBudget(database.db, org, finance().actor!, { amount: '10.00' });
      touched.push(from.budget.id, to.budget.id);
      const transfer = await requestBudgetTransfer(finance(), {
        fromBudgetId: from.budget.id,
        toBudgetId: to.budget.id,
        amount: new Decimal('50.00'),
        reason: 'rebalance',
        idempotencyKey: key(),
      });
      const answers = await settle([
        () => bookFreeService(csm(), from.input()),
        () =>
          decideBudgetTransfer(sales(), { transferId: transfer.id, approve: true, idempotencyKey: key() }),
      ]);
      expect(answers.filter((a) => a === 'done')).toHaveLength(1);
      expect(await remaining(from.budget.id)).toBe(answers[0] === 'done' ? '40.00' : '50.00');
      expect(await remaining(to.budget.id)).toBe(answers[0] === 'done' ? '10.00' : '60.00');
      expect(answers.find((a) => a !== 'done')).toEqual(
        answers[0] === 'done'
          ? {
              error: 'BudgetExceededError',
              field: null,
              message: 'the budget has 40.00 CNY remaining; 50.00 CNY does not fit',
            }
          : {
              error: 'BudgetExceededError',
              field: null,
              message: 'the budget has 50.00 CNY remaining; 60.00 CNY does not fit',
            },
      );
    }
    expect(await mismatchesOf(touched)).toEqual([]);
  });

  test('the expiry sweep and a cancel of one lapsed booking at once: released once', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { budget, input } = await setUp('100.00', '60.00');
      touched.push(budget.id);
      const booking = await bookFreeService(csm(), input());
      await plannedPastItsLapse(booking.id);
      const answers = await settle([
        () => expireLapsedBookings(admin()),
        () => cancelBooking(csm(), { bookingId: booking.id, reason: 'lapsed anyway', idempotencyKey: key() }),
      ]);
      expect(answers[0]).toBe('done');
      // The cancel wins or finds the booking expired; either way one release.
      expect([
        'done',
        {
          error: 'InvalidTransitionError',
          field: null,
          message: 'Booking cannot go from EXPIRED to CANCELLED',
        },
      ]).toContainEqual(answers[1]);
      expect(await remaining(budget.id)).toBe('100.00');
      const releases = await database
        .db('ledger_entries')
        .where({ budget_id: budget.id, kind: 'RELEASE' })
        .count<{ count: string }[]>('* as count');
      expect(Number(releases[0]!.count)).toBe(1);
    }
    expect(await mismatchesOf(touched)).toEqual([]);
  });

  // Every money path writes the budget's totals from the row it read, so each must hold the
  // budget's lock: a cancel, a delivery or the sweep that read without it would write back totals
  // that miss a booking made meanwhile on the same budget (the ledger then disagrees).
  test('a cancel, a delivery and a booking on one budget at once: the totals equal the ledger', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { budget, input } = await setUp('300.00', '60.00');
      touched.push(budget.id);
      const [first, second] = [await bookFreeService(csm(), input()), await bookFreeService(csm(), input())];
      const answers = await settle([
        () => cancelBooking(csm(), { bookingId: first.id, reason: 'moved', idempotencyKey: key() }),
        () =>
          deliverBooking(csm(), {
            bookingId: second.id,
            actualCost: new Decimal('50.00'),
            idempotencyKey: key(),
          }),
        () => bookFreeService(csm(), input()),
      ]);
      expect(answers).toEqual(['done', 'done', 'done']);
      // 300 − 50 spent − 60 reserved by the third booking.
      expect(await remaining(budget.id)).toBe('190.00');
      expect(await mismatchesOf([budget.id])).toEqual([]);
    }
  });

  test('the expiry sweep reads the budget under its lock: a booking that took the lock first is kept (the order forced)', async () => {
    const { budget, input } = await setUp('200.00', '60.00');
    touched.push(budget.id);
    const lapsed = await bookFreeService(csm(), input());
    await plannedPastItsLapse(lapsed.id);
    // The budget row held: the booking queues for it first, the sweep second; then both go.
    const blocker = await database.db.transaction();
    await blocker('budgets').where({ id: budget.id }).forUpdate().first();
    const booking = refusal(() => bookFreeService(csm(), input()));
    await lockWaiters(database.db, 1);
    const sweep = refusal(() => expireLapsedBookings(admin()));
    await lockWaiters(database.db, 2);
    await blocker.commit();
    expect(await Promise.all([booking, sweep])).toEqual(['done', 'done']);
    // A sweep that read the budget before the booking committed would write its stale totals back.
    expect(await remaining(budget.id)).toBe('140.00');
    expect(await mismatchesOf([budget.id])).toEqual([]);
  });

  test('the expiry sweep and a booking on one budget at once: the totals equal the ledger', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { budget, input } = await setUp('200.00', '60.00');
      touched.push(budget.id);
      const lapsed = await bookFreeService(csm(), input());
      await plannedPastItsLapse(lapsed.id);
      const answers = await settle([
        () => expireLapsedBookings(admin()),
        () => bookFreeService(csm(), input()),
      ]);
      expect(answers).toEqual(['done', 'done']);
      expect(await remaining(budget.id)).toBe('140.00');
      expect(await mismatchesOf([budget.id])).toEqual([]);
    }
  });
});
