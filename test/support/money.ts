// Money fixtures: a free-service catalog entry, a key account with a CSM and a budget, use-case
// contexts per role, and the invariant check every money test ends with.
import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import type { Database } from '../../src/db/knex';
import type { UseCaseContext } from '../../src/shared/context';
import type { Actor } from '../../src/shared/auth';
import { Decimal } from '../../src/shared/money';
import { fiscalYearOf, fiscalYearRange } from '../../src/shared/fiscal';
import { createExpertService } from '../../src/modules/catalog/service';
import type { Effect } from '../../src/modules/catalog/rules';
import { createBudget } from '../../src/modules/budgets/service';
import type { UserWithToken } from './factories';
import { testConfig } from './server';
import type { Org } from './org';

export const config = testConfig();
export const fiscalYearNow = () => fiscalYearOf(config.fiscal, DateTime.now());
/**
 * A day `days` from today, kept inside the current fiscal year so bookings always find this
 * year's budget (near the year's end, "next week" would otherwise fall into the next year).
 */
export const inDays = (days: number) => {
  const range = fiscalYearRange(config.fiscal, fiscalYearNow());
  const day = DateTime.now().setZone(config.fiscal.timeZone).plus({ days }).toISODate()!;
  return day < range.firstDay ? range.firstDay : day > range.lastDay ? range.lastDay : day;
};
/** A day `days` from today in the fiscal time zone, not clamped (it may fall in another fiscal year). */
export const dayFromToday = (days: number) =>
  DateTime.now().setZone(config.fiscal.timeZone).plus({ days }).toISODate()!;
export const fiscalYearOfDay = (day: string) =>
  fiscalYearOf(config.fiscal, DateTime.fromISO(day, { zone: config.fiscal.timeZone }));
export const key = () => crypto.randomUUID();

export function actorOf(user: UserWithToken, personId: string | null = null): Actor {
  return { userId: user.user.id, name: user.user.name, roles: user.user.roles, personId };
}

export function contextFor(db: Database, actor: Actor | null): UseCaseContext {
  return {
    db,
    actor,
    requestId: `test-${crypto.randomBytes(3).toString('hex')}`,
    fiscalCalendar: config.fiscal,
    config,
  };
}

/** A free service priced since 2020; `code` (also its name) when the test refers to it by code. */
export async function createFreeService(
  db: Database,
  admin: Actor,
  price: string,
  effects: Effect[] = ['OPPORTUNITY'],
  options: { code?: string } = {},
) {
  return createExpertService(contextFor(db, admin), {
    code: options.code ?? `SVC-${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
    name: options.code ?? `Service ${price}`,
    kind: 'FREE',
    providingDepartment: 'SOLUTIONS',
    effects,
    effectiveFrom: '2020-01-01',
    settlementPrice: new Decimal(price),
    currency: 'CNY',
  });
}

/** A paid catalog entry (ordered, never booked against a budget), priced since 2020. */
export async function createPaidService(db: Database, admin: Actor, name: string) {
  return createExpertService(contextFor(db, admin), {
    code: `PAID-${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
    name,
    kind: 'PAID',
    providingDepartment: 'DELIVERY',
    effects: [],
    effectiveFrom: '2020-01-01',
    listPrice: new Decimal('1000.00'),
    internalCost: new Decimal('600.00'),
    currency: 'CNY',
  });
}

/** A free service whose first settlement price (5.00) takes effect a year from today. */
export async function createServicePricedNextYear(db: Database, admin: Actor, name: string) {
  return createExpertService(contextFor(db, admin), {
    code: `LATE-${crypto.randomBytes(4).toString('hex').toUpperCase()}`,
    name,
    kind: 'FREE',
    providingDepartment: 'SOLUTIONS',
    effects: ['OPPORTUNITY'],
    effectiveFrom: DateTime.now().setZone(config.fiscal.timeZone).plus({ years: 1 }).toISODate()!,
    settlementPrice: new Decimal('5.00'),
    currency: 'CNY',
  });
}

export async function keyAccountWithBudget(
  db: Database,
  org: Org,
  finance: Actor,
  options: { amount?: string; tier?: 'A' | 'C'; csm?: string } = {},
) {
  const account = await org.customer(options.tier ?? 'A', { csm: options.csm ?? org.csm.id });
  const budget = await createBudget(contextFor(db, finance), {
    accountId: account.id,
    fiscalYear: fiscalYearNow(),
    amount: new Decimal(options.amount ?? '1000.00'),
    currency: 'CNY',
    idempotencyKey: key(),
  });
  return { account, budget };
}

/**
 * Budgets whose totals differ from their ledger, or whose reservation differs from their open
 * bookings. (remaining = allocated − reserved − spent is also checked, though a database CHECK
 * already guarantees it: that part restates the schema and is not an oracle. The oracles are the
 * ledger sums, the open bookings, and the tests' own models of what each budget must hold.)
 */
export async function ledgerMismatches(db: Database, budgetId: string | null = null): Promise<unknown[]> {
  const result = await db.raw(
    `
    select b.id, b.allocated_amount, b.reserved_amount, b.spent_amount, b.remaining_amount, l.a, l.r, l.s, o.open
      from budgets b
      left join (select budget_id, sum(allocated_delta) a, sum(reserved_delta) r, sum(spent_delta) s from ledger_entries group by budget_id) l on l.budget_id = b.id
      left join (select budget_id, sum(settlement_price) open from bookings where state = 'BOOKED' group by budget_id) o on o.budget_id = b.id
     where (b.allocated_amount <> coalesce(l.a, 0) or b.reserved_amount <> coalesce(l.r, 0) or b.spent_amount <> coalesce(l.s, 0)
            or b.reserved_amount <> coalesce(o.open, 0) or b.remaining_amount <> b.allocated_amount - b.reserved_amount - b.spent_amount)
       and (?::uuid is null or b.id = ?::uuid)`,
    [budgetId, budgetId],
  );
  return result.rows;
}
