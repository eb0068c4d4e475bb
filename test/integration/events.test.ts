// Events, in-process on real PostgreSQL: each type produced by its cause through the use cases
// (the one-call SQL paths and the general ways alike, since triggers write them), a threshold
// crossed exactly once under 50 concurrent bookings and resolved by a release, nothing from a
// close, the feed per user (who sees which account's events, read and unread) and the
// thresholds setting.
import { DateTime } from 'luxon';
import { moneyWorld } from '../support/money-world';
import { refusal } from '../support/refusal';
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
  adjustBudget,
  bookFreeService,
  cancelBooking,
  closeBudget,
  decideBookingException,
  decideBudgetTransfer,
  deliverBooking,
  expireLapsedBookings,
  requestBudgetTransfer,
} from '../../src/modules/budgets/service';
import {
  listNotifications,
  markNotificationsRead,
  setAlertThresholds,
  alertThresholdsOf,
} from '../../src/modules/events/service';
import { Decimal } from '../../src/shared/money';

const world = moneyWorld({ poolMax: 12 });
const { csm, otherCsm, finance, sales } = world;

const d = (value: string) => new Decimal(value);

/** The events of one account, oldest first: [type, payload fields asked for]. */
async function eventsOf(accountId: string, fields: string[] = []) {
  const rows = await world.database
    .db('events')
    .where({ account_id: accountId })
    .orderBy('id')
    .select('type', 'payload');
  return rows.map((row: { type: string; payload: Record<string, unknown> }) =>
    fields.length === 0 ? row.type : [row.type, ...fields.map((f) => row.payload[f])],
  );
}

test('50 concurrent bookings cross each threshold exactly once; a cancellation resolves the one it falls under', async () => {
  const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '1000.00',
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), '20.00');
  const booked = await Promise.all(
    Array.from({ length: 50 }, () =>
      bookFreeService(csm(), {
        accountId: account.id,
        serviceId: service.id,
        plannedDate: inDays(3),
        idempotencyKey: key(),
      }),
    ),
  );
  expect(booked.every((b) => b.state === 'BOOKED')).toBe(true);
  expect(await eventsOf(account.id, ['thresholdPercent', 'budgetId'])).toEqual([
    ['budget.threshold_crossed', '75', budget.id],
    ['budget.threshold_crossed', '90', budget.id],
    ['budget.threshold_crossed', '100', budget.id],
  ]);
  const crossed = (await world.database.db('events').where({ account_id: account.id }).first('payload'))
    .payload;
  expect(crossed).toMatchObject({
    allocated: '1000.00',
    used: '760.00',
    remaining: '240.00',
    currency: 'CNY',
  });

  await cancelBooking(csm(), { bookingId: booked[0]!.id, reason: 'not needed', idempotencyKey: key() });
  expect((await eventsOf(account.id, ['thresholdPercent', 'used'])).slice(3)).toEqual([
    ['budget.threshold_resolved', '100', '980.00'],
  ]);
  // An adjustment down crosses it again; one up resolves 100 and 90 at once.
  await adjustBudget(finance(), {
    budgetId: budget.id,
    amount: d('-20'),
    reason: 'cut',
    idempotencyKey: key(),
  });
  await adjustBudget(finance(), {
    budgetId: budget.id,
    amount: d('200'),
    reason: 'top up',
    idempotencyKey: key(),
  });
  expect((await eventsOf(account.id, ['thresholdPercent'])).slice(4)).toEqual([
    ['budget.threshold_crossed', '100'],
    ['budget.threshold_resolved', '90'],
    ['budget.threshold_resolved', '100'],
  ]);
});

test('exceptions, transfers and expiries each produce their event; a close produces none', async () => {
  const small = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '10.00',
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), '60.00');
  const book = (changes: Record<string, unknown> = {}) =>
    bookFreeService(csm(), {
      accountId: small.account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
      idempotencyKey: key(),
      ...changes,
    });
  const pending = await book({ requestException: true, exceptionReason: 'renewal pilot' });
  const rejected = await book({ requestException: true, exceptionReason: 'maybe' });
  await decideBookingException(sales(), {
    bookingId: pending.id,
    approve: true,
    reason: 'strategic',
    idempotencyKey: key(),
  });
  await decideBookingException(sales(), { bookingId: rejected.id, approve: false, idempotencyKey: key() });
  expect(await eventsOf(small.account.id, ['bookingId', 'approved', 'reason'])).toEqual([
    ['booking.exception_requested', pending.id, undefined, 'renewal pilot'],
    ['booking.exception_requested', rejected.id, undefined, 'maybe'],
    ['booking.exception_decided', pending.id, true, 'strategic'],
    // Approving 60 on a budget of 10 takes used to 600%: every threshold at once.
    ['budget.threshold_crossed', undefined, undefined, undefined],
    ['budget.threshold_crossed', undefined, undefined, undefined],
    ['budget.threshold_crossed', undefined, undefined, undefined],
    ['booking.exception_decided', rejected.id, false, null],
  ]);

  const giver = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '100.00',
  });
  const taker = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '100.00',
  });
  const transfer = await requestBudgetTransfer(finance(), {
    fromBudgetId: giver.budget.id,
    toBudgetId: taker.budget.id,
    amount: d('30.00'),
    reason: 'shift',
    idempotencyKey: key(),
  });
  await decideBudgetTransfer(sales(), {
    transferId: transfer.id,
    approve: false,
    reason: 'not now',
    idempotencyKey: key(),
  });
  expect(await eventsOf(giver.account.id, ['transferId', 'amount', 'approved', 'reason'])).toEqual([
    ['budget_transfer.requested', transfer.id, '30.00', undefined, undefined],
    ['budget_transfer.decided', transfer.id, '30.00', false, 'not now'],
  ]);

  const lapsing = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '1000.00',
  });
  const cheap = await createFreeService(world.database.db, actorOf(world.users.admin), '10.00');
  const old = await bookFreeService(csm(), {
    accountId: lapsing.account.id,
    serviceId: cheap.id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
  });
  const past = DateTime.now().setZone(config.fiscal.timeZone).minus({ days: 40 }).toISODate()!;
  await world.database.db('bookings').where({ id: old.id }).update({ planned_date: past });
  await expireLapsedBookings({
    ...contextFor(world.database.db, null),
    config: { ...config, reservationLapseDays: 30 },
  });
  expect(await eventsOf(lapsing.account.id, ['bookingId', 'plannedDate', 'released'])).toEqual([
    ['reservation.expired', old.id, past, '10.00'],
  ]);

  // Closing lapses the unused 990 of what a delivered 10 left: used / allocated jumps from 1% to
  // 100%, yet nothing alerts.
  const delivered = await bookFreeService(csm(), {
    accountId: lapsing.account.id,
    serviceId: cheap.id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
  });
  await deliverBooking(csm(), { bookingId: delivered.id, idempotencyKey: key() });
  await closeBudget(finance(), { budgetId: lapsing.budget.id, idempotencyKey: key() });
  expect(await eventsOf(lapsing.account.id)).toEqual(['reservation.expired']);
});

test('the feed: each user sees the events of the accounts they may read, read or unread for them', async () => {
  const mine = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '100.00',
  });
  const theirs = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '100.00',
    csm: world.org.otherCsm.id,
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), '80.00');
  await bookFreeService(csm(), {
    accountId: mine.account.id,
    serviceId: service.id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
  });
  await bookFreeService(otherCsm(), {
    accountId: theirs.account.id,
    serviceId: service.id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
  });
  const feed = async (context: ReturnType<typeof csm>, unreadOnly = false) =>
    (await listNotifications(context, { first: 100 }, unreadOnly)).edges.map((e) => e.node);
  const accountsIn = async (context: ReturnType<typeof csm>) =>
    new Set((await feed(context)).map((n) => n.accountId));
  expect((await accountsIn(csm())).has(mine.account.id)).toBe(true);
  expect((await accountsIn(csm())).has(theirs.account.id)).toBe(false);
  expect((await accountsIn(otherCsm())).has(mine.account.id)).toBe(false);
  expect(await accountsIn(finance())).toEqual(expect.any(Set));
  expect([...(await accountsIn(finance()))]).toEqual(
    expect.arrayContaining([mine.account.id, theirs.account.id]),
  );

  // Newest first; marking read is per user, and another account's ids are ignored.
  const mineNow = (await feed(csm())).filter((n) => n.accountId === mine.account.id);
  expect(mineNow.map((n) => n.type)).toEqual(['budget.threshold_crossed']);
  const ids = (await feed(csm())).map((n) => Number(n.id));
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
  const theirEvent = (await feed(otherCsm())).find((n) => n.accountId === theirs.account.id)!;
  const unreadBefore = (await feed(csm(), true)).length;
  const marked = await markNotificationsRead(csm(), [`evt_${mineNow[0]!.id}`, `evt_${theirEvent.id}`]);
  expect(marked).toEqual({ marked: 1, unread: unreadBefore - 1 });
  expect((await feed(csm())).find((n) => n.id === mineNow[0]!.id)!.read).toBe(true);
  expect((await feed(csm(), true)).some((n) => n.id === mineNow[0]!.id)).toBe(false);
  expect((await feed(finance())).find((n) => n.id === mineNow[0]!.id)!.read).toBe(false);
  expect((await feed(otherCsm())).find((n) => n.id === theirEvent.id)!.read).toBe(false);
  expect(await markNotificationsRead(csm(), [`evt_${mineNow[0]!.id}`])).toEqual({
    marked: 0,
    unread: unreadBefore - 1,
  });
  expect(((await refusal(() => markNotificationsRead(csm(), ['1']))) as { field: string }).field).toBe('ids');
  expect(await refusal(() => markNotificationsRead(csm(), ['x1']))).toEqual({
    error: 'ValidationError',
    field: 'ids',
    message: 'ids are notification ids (evt_…), got "x1"',
  });
});

test('FINANCE sets a tier’s thresholds; they apply to the next change', async () => {
  expect((await alertThresholdsOf(csm(), 'C')).map((p) => p.toFixed())).toEqual(['75', '90', '100']);
  const set = await setAlertThresholds(finance(), { tier: 'C', percents: [d('50'), d('25.5')] });
  try {
    expect(set.percents.map((p) => p.toFixed())).toEqual(['25.5', '50']);
    const { account } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
      amount: '100.00',
      tier: 'C',
    });
    const service = await createFreeService(world.database.db, actorOf(world.users.admin), '30.00');
    await bookFreeService(csm(), {
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
      idempotencyKey: key(),
    });
    expect(await eventsOf(account.id, ['thresholdPercent'])).toEqual([['budget.threshold_crossed', '25.5']]);
  } finally {
    await setAlertThresholds(finance(), { tier: 'C', percents: [d('75'), d('90'), d('100')] });
  }
  const refused = (percents: string[], tier: 'C' | 'B' = 'C') =>
    refusal(() => setAlertThresholds(finance(), { tier, percents: percents.map(d) }));
  expect(await refused(['0'])).toEqual({
    error: 'ValidationError',
    field: 'percents',
    message: 'a threshold is above 0 and at most 200 (percent of allocated)',
  });
  expect(((await refused(['200.01'])) as { field: string }).field).toBe('percents');
  expect(((await refused(['50', '50'])) as { message: string }).message).toBe('each threshold once');
  expect(((await refused(['50.123'])) as { message: string }).message).toBe(
    'a threshold has at most 2 decimal places',
  );
  expect(
    ((await refused(Array.from({ length: 11 }, (_, i) => String(i + 1)))) as { message: string }).message,
  ).toBe('at most 10 thresholds');
  expect(((await refused(['50'], 'B')) as { field: string }).field).toBe('tier');
  expect(
    ((await refusal(() => setAlertThresholds(csm(), { tier: 'C', percents: [] }))) as { error: string })
      .error,
  ).toBe('ForbiddenActionError');
  // An empty list switches the tier's alerts off.
  expect((await setAlertThresholds(finance(), { tier: 'C', percents: [] })).percents).toEqual([]);
  await setAlertThresholds(finance(), { tier: 'C', percents: [d('75'), d('90'), d('100')] });
});
