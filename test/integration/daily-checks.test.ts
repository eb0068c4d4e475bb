// The daily checks on real PostgreSQL, each event type from its cause: a booking about to lapse
// (reservation.expiring), a budget forecast to run out (budget.forecast_overrun, fired once and
// re-armed when back on track), the fiscal year's last 30 days (fiscal_year.closing with the
// unused amount). The queue runs the checks hourly: a second run writes nothing.
import { Settings } from 'luxon';
import { moneyWorld } from '../support/money-world';
import {
  config,
  createFreeService,
  actorOf,
  fiscalYearNow,
  inDays,
  key,
  keyAccountWithBudget,
} from '../support/money';
import { adjustBudget, bookFreeService, deliverBooking } from '../../src/modules/budgets/service';
import { runDailyChecks } from '../../src/modules/events/periodic/daily-checks';
import { addDays, fiscalYearRange, today } from '../../src/shared/fiscal';
import { Decimal } from '../../src/shared/money';

const world = moneyWorld();
const { csm, finance } = world;
const checkContext = () => ({ db: world.database.db, config, fiscalCalendar: config.fiscal });

async function eventsOf(accountId: string) {
  const rows = await world.database
    .db('events')
    .where({ account_id: accountId })
    .orderBy('id')
    .select('type', 'payload');
  return rows.map((row: { type: string; payload: Record<string, unknown> }) => [row.type, row.payload]);
}

afterEach(() => {
  Settings.now = () => Date.now();
});

async function bookOn(amount: string, price: string) {
  const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount,
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), price);
  const booking = await bookFreeService(csm(), {
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
  });
  return { account, budget, booking };
}

test('a booking that lapses within 3 days is announced once, with the day it lapses', async () => {
  const { account, budget, booking } = await bookOn('500.00', '120.00');
  const lapse = config.reservationLapseDays;
  const day = today(checkContext());
  // Planned lapse days ago: the sweep releases it tomorrow. Another, planned later, is not due yet.
  await world.database
    .db('bookings')
    .where({ id: booking.id })
    .update({ planned_date: addDays(day, -lapse) });
  const later = await bookFreeService(csm(), {
    accountId: account.id,
    serviceId: booking.serviceId,
    plannedDate: inDays(3),
    idempotencyKey: key(),
  });
  await runDailyChecks(checkContext());
  const expiring = (await eventsOf(account.id)).filter(([type]) => type === 'reservation.expiring');
  expect(expiring).toEqual([
    [
      'reservation.expiring',
      {
        bookingId: booking.id,
        budgetId: budget.id,
        serviceId: booking.serviceId,
        plannedDate: addDays(day, -lapse),
        lapsesOn: addDays(day, 1),
        reserved: '120.00',
        currency: 'CNY',
      },
    ],
  ]);
  expect(expiring.some(([, payload]) => (payload as { bookingId: string }).bookingId === later.id)).toBe(
    false,
  );
  const before = await world.database.db('events').count('* as n').first();
  expect(await runDailyChecks(checkContext())).toMatchObject({ expiring: 0 });
  expect(await world.database.db('events').count('* as n').first()).toEqual(before);
});

test('a budget forecast to run out fires once; back on track it is re-armed', async () => {
  const { account, budget, booking } = await bookOn('100.00', '100.00');
  await deliverBooking(csm(), { bookingId: booking.id, idempotencyKey: key() });
  const first = await runDailyChecks(checkContext());
  expect(first.forecastOverruns).toBeGreaterThanOrEqual(1);
  const overruns = (await eventsOf(account.id)).filter(([type]) => type === 'budget.forecast_overrun');
  expect(overruns).toHaveLength(1);
  expect(overruns[0]![1]).toMatchObject({
    budgetId: budget.id,
    fiscalYear: fiscalYearNow(),
    allocated: '100.00',
    currency: 'CNY',
  });
  expect(new Decimal((overruns[0]![1] as { projected: string }).projected).greaterThan(100)).toBe(true);
  expect(await runDailyChecks(checkContext())).toMatchObject({ forecastOverruns: 0 });
  expect(await world.database.db('budget_forecast_alerts').where({ budget_id: budget.id })).toHaveLength(1);
  // A large top-up puts it back on track: the alert is re-armed for a later overrun.
  await adjustBudget(finance(), {
    budgetId: budget.id,
    amount: new Decimal('100000'),
    reason: 'top up',
    idempotencyKey: key(),
  });
  await runDailyChecks(checkContext());
  expect(await world.database.db('budget_forecast_alerts').where({ budget_id: budget.id })).toHaveLength(0);
});

test('from 30 days before the fiscal year ends, each open budget announces what it leaves unused, once', async () => {
  const { account, budget } = await bookOn('300.00', '120.50');
  const fy = fiscalYearNow();
  const end = fiscalYearRange(config.fiscal, fy).end;
  Settings.now = () => end.minus({ days: 40 }).toMillis();
  expect(await runDailyChecks(checkContext())).toMatchObject({ closing: 0 });
  Settings.now = () => end.minus({ days: 10 }).toMillis();
  // Budgets announced already (the earlier tests' checks ran on the real date, which may be in
  // the window too) are not announced again.
  const unannounced = await world.database
    .db('budgets as b')
    .where({ fiscal_year: fy })
    .whereNull('closed_at')
    .whereNotExists(
      world.database
        .db('events as e')
        .whereRaw("e.dedupe_key = 'fiscal_year.closing:' || b.fiscal_year || ':' || b.id"),
    )
    .count('* as n')
    .first();
  expect(Number(unannounced!.n)).toBeGreaterThanOrEqual(1);
  expect(await runDailyChecks(checkContext())).toMatchObject({ closing: Number(unannounced!.n) });
  const closing = (await eventsOf(account.id)).filter(([type]) => type === 'fiscal_year.closing');
  expect(closing).toEqual([
    [
      'fiscal_year.closing',
      {
        budgetId: budget.id,
        fiscalYear: fy,
        lastDay: end.setZone(config.fiscal.timeZone).minus({ days: 1 }).toISODate(),
        allocated: '300.00',
        used: '120.50',
        unused: '179.50',
        currency: 'CNY',
      },
    ],
  ]);
  expect(await runDailyChecks(checkContext())).toMatchObject({ closing: 0 });
});
