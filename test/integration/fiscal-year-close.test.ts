// Closing a budget at the end of its fiscal year, in-process on real PostgreSQL: the hand-computed
// carry-over, what blocks a close, what a closed budget refuses, reopening, the policy setting,
// idempotency and audit, and a close raced against bookings.
import crypto from 'node:crypto';
import { moneyWorld } from '../support/money-world';
import { refusal as refusalOf } from '../support/refusal';
import {
  actorOf,
  createFreeService,
  fiscalYearNow,
  inDays,
  key,
  keyAccountWithBudget,
  ledgerMismatches,
} from '../support/money';
import {
  adjustBudget,
  bookFreeService,
  cancelBooking,
  closeBudget,
  createBudget,
  decideBudgetTransfer,
  deliverBooking,
  readBudget,
  reopenBudget,
  requestBudgetTransfer,
  setCarryOverPolicy,
  carryOverPolicyOf,
  closeFiscalYear,
} from '../../src/modules/budgets/service';
import { costAllocation } from '../../src/modules/reports/allocation/service';
import { Decimal } from '../../src/shared/money';

const world = moneyWorld({ poolMax: 12 });
const { csm, finance, sales } = world;

const d = (value: string) => new Decimal(value);
const year = fiscalYearNow();

async function nextYearBudget(accountId: string, amount: string) {
  return createBudget(finance(), {
    accountId,
    fiscalYear: year + 1,
    amount: d(amount),
    currency: 'CNY',
    idempotencyKey: key(),
  });
}

const totals = async (budgetId: string) => {
  const b = await readBudget(finance(), budgetId);
  return [b.totals.allocated, b.totals.reserved, b.totals.spent, b.totals.remaining].map((x) => x.toFixed(2));
};
const closingEntries = async (budgetId: string) =>
  (
    await world.database
      .db('ledger_entries')
      .where({ budget_id: budgetId })
      .whereIn('kind', ['LAPSE', 'CARRY_OUT', 'CARRY_IN'])
      .orderBy('id')
      .select('kind', 'amount', 'allocated_delta', 'counterpart_budget_id', 'reason', 'actor_user_id')
  ).map((row) => [
    row.kind,
    row.amount,
    row.allocated_delta,
    row.counterpart_budget_id,
    row.reason,
    row.actor_user_id,
  ]);

test('allocated 200,000, spent 150,000, carry-over 10%: 20,000 carried to next year, 30,000 lapsed', async () => {
  await setCarryOverPolicy(finance(), { tier: 'C', maxPercent: d('10') });
  try {
    const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
      amount: '200000.00',
      tier: 'C',
    });
    const service = await createFreeService(world.database.db, actorOf(world.users.admin), '150000.00');
    const booked = await bookFreeService(csm(), {
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
      idempotencyKey: key(),
    });
    await deliverBooking(csm(), { bookingId: booked.id, idempotencyKey: key() });
    const next = await nextYearBudget(account.id, '100000.00');

    const closeKey = key();
    const closed = await closeBudget(finance(), { budgetId: budget.id, idempotencyKey: closeKey });
    expect([closed.closedAt !== null, closed.closedBy]).toEqual([true, world.users.finance.user.id]);
    // allocated 200,000 − 30,000 lapsed − 20,000 carried = 150,000, all of it spent.
    expect(await totals(budget.id)).toEqual(['150000.00', '0.00', '150000.00', '0.00']);
    expect(await totals(next.id)).toEqual(['120000.00', '0.00', '0.00', '120000.00']);
    const fy = `FY${year}`;
    expect(await closingEntries(budget.id)).toEqual([
      ['LAPSE', '30000.00', '-30000.00', null, `${fy} closed: unused, lapsed`, world.users.finance.user.id],
      [
        'CARRY_OUT',
        '20000.00',
        '-20000.00',
        next.id,
        `${fy} closed: carried over to FY${year + 1}`,
        world.users.finance.user.id,
      ],
    ]);
    expect(await closingEntries(next.id)).toEqual([
      ['CARRY_IN', '20000.00', '20000.00', budget.id, `carried over from ${fy}`, world.users.finance.user.id],
    ]);
    const audit = await world.database
      .db('audit_log')
      .where({ entity_id: budget.id, action: 'budget.close' })
      .first();
    expect([audit.actor_user_id, audit.after.lapsed, audit.after.carried, audit.after.carriedTo]).toEqual([
      world.users.finance.user.id,
      '30000',
      '20000',
      next.id,
    ]);
    // A retry answers the same budget and moves nothing again.
    expect((await closeBudget(finance(), { budgetId: budget.id, idempotencyKey: closeKey })).id).toBe(
      budget.id,
    );
    expect(await closingEntries(budget.id)).toHaveLength(2);
    expect(await ledgerMismatches(world.database.db, budget.id)).toEqual([]);
    expect(await ledgerMismatches(world.database.db, next.id)).toEqual([]);
    // The cost allocation by budget year agrees with both budgets to the cent, by kind.
    const byKind = async (fiscalYear: number) => {
      const report = await costAllocation(finance(), {
        period: { fiscalYear },
        groupBy: ['ENTRY_KIND'],
        filter: { accountIds: [account.id] },
      });
      const kinds = Object.fromEntries(
        report.groups.map((g) => [g.keys.ENTRY_KIND, g.allocatedAmount.toFixed(2)]),
      );
      return {
        kinds,
        allocated: report.grandTotal.allocatedAmount.toFixed(2),
        spent: report.grandTotal.spentAmount.toFixed(2),
      };
    };
    expect(await byKind(year)).toEqual({
      kinds: expect.objectContaining({ ALLOCATION: '200000.00', LAPSE: '-30000.00', CARRY_OUT: '-20000.00' }),
      allocated: '150000.00',
      spent: '150000.00',
    });
    expect(await byKind(year + 1)).toEqual({
      kinds: { ALLOCATION: '100000.00', CARRY_IN: '20000.00' },
      allocated: '120000.00',
      spent: '0.00',
    });
  } finally {
    await setCarryOverPolicy(finance(), { tier: 'C', maxPercent: d('0') });
  }
});

test('without a carry-over policy everything unused lapses; an overspent budget lapses nothing', async () => {
  const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '500.00',
  });
  await closeBudget(finance(), { budgetId: budget.id, idempotencyKey: key() });
  expect(await totals(budget.id)).toEqual(['0.00', '0.00', '0.00', '0.00']);
  expect((await closingEntries(budget.id)).map((e) => [e[0], e[1]])).toEqual([['LAPSE', '500.00']]);

  const over = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '100.00',
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), '60.00');
  const booked = await bookFreeService(csm(), {
    accountId: over.account.id,
    serviceId: service.id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
  });
  await deliverBooking(csm(), { bookingId: booked.id, actualCost: d('130.00'), idempotencyKey: key() });
  await closeBudget(finance(), { budgetId: over.budget.id, idempotencyKey: key() });
  expect(await totals(over.budget.id)).toEqual(['100.00', '0.00', '130.00', '-30.00']);
  expect(await closingEntries(over.budget.id)).toEqual([]);
  expect(account.id).not.toBe(over.account.id);
});

test('a close lists every blocker, moves nothing, and the same key answers the same refusal', async () => {
  await setCarryOverPolicy(finance(), { tier: 'A', maxPercent: d('25') });
  try {
    const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
      amount: '1000.00',
    });
    const other = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
      amount: '1000.00',
    });
    const service = await createFreeService(world.database.db, actorOf(world.users.admin), '100.00');
    const booked = await bookFreeService(csm(), {
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
      idempotencyKey: key(),
    });
    const transfer = await requestBudgetTransfer(finance(), {
      fromBudgetId: other.budget.id,
      toBudgetId: budget.id,
      amount: d('10.00'),
      reason: 'shift',
      idempotencyKey: key(),
    });
    const closeKey = key();
    const blocked = {
      error: 'BudgetCloseBlockedError',
      field: 'input.budgetId',
      message:
        'resolve first: 1 booking(s) still booked or waiting for an exception: deliver or cancel them; ' +
        '1 requested transfer(s) of this budget: approve or reject them; ' +
        `250.00 CNY carries over to FY${year + 1}: create the account's FY${year + 1} budget first`,
    };
    expect(
      await refusal(() => closeBudget(finance(), { budgetId: budget.id, idempotencyKey: closeKey })),
    ).toEqual(blocked);
    const error = await closeBudget(finance(), { budgetId: budget.id, idempotencyKey: closeKey }).catch(
      (e) => e,
    );
    expect(error.blockers.map((b: { resource: string }) => b.resource)).toEqual([
      'OPEN_BOOKINGS',
      'PENDING_TRANSFERS',
      'NEXT_BUDGET',
    ]);
    expect((await readBudget(finance(), budget.id)).closedAt).toBeNull();
    expect(await closingEntries(budget.id)).toEqual([]);

    // Resolved one by one, a new key closes it.
    await cancelBooking(csm(), { bookingId: booked.id, reason: 'year end', idempotencyKey: key() });
    await decideBudgetTransfer(sales(), { transferId: transfer.id, approve: true, idempotencyKey: key() });
    const next = await nextYearBudget(account.id, '50.00');
    // The first key still answers its stored refusal; a new key closes.
    const replayed = await closeBudget(finance(), { budgetId: budget.id, idempotencyKey: closeKey }).catch(
      (e) => e,
    );
    expect([replayed.constructor.name, replayed.blockers.length]).toEqual(['BudgetCloseBlockedError', 3]);
    await closeBudget(finance(), { budgetId: budget.id, idempotencyKey: key() });
    // allocated 1,010 after the transfer; 25% → 252.50 carried, 757.50 lapsed.
    expect((await closingEntries(budget.id)).map((e) => [e[0], e[1]])).toEqual([
      ['LAPSE', '757.50'],
      ['CARRY_OUT', '252.50'],
    ]);
    expect(await totals(next.id)).toEqual(['302.50', '0.00', '0.00', '302.50']);
  } finally {
    await setCarryOverPolicy(finance(), { tier: 'A', maxPercent: d('0') });
  }
});

test('a closed budget refuses every money mutation until FINANCE reopens it with a reason', async () => {
  const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '300.00',
  });
  const other = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '300.00',
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), '10.00');
  const pending = await requestBudgetTransfer(finance(), {
    fromBudgetId: other.budget.id,
    toBudgetId: budget.id,
    amount: d('5.00'),
    reason: 'shift',
    idempotencyKey: key(),
  });
  await decideBudgetTransfer(sales(), { transferId: pending.id, approve: false, idempotencyKey: key() });
  await closeBudget(finance(), { budgetId: budget.id, idempotencyKey: key() });

  const book = () =>
    bookFreeService(csm(), {
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
      idempotencyKey: key(),
    });
  expect((await refusal(book)).message).toBe(`the FY${year} budget of ${await nameOf(account.id)} is closed`);
  expect(
    await refusal(() =>
      adjustBudget(finance(), { budgetId: budget.id, amount: d('5'), reason: 'x', idempotencyKey: key() }),
    ),
  ).toEqual({ error: 'ValidationError', field: 'input.budgetId', message: 'the budget is closed' });
  const transfer = (from: string, to: string) =>
    requestBudgetTransfer(finance(), {
      fromBudgetId: from,
      toBudgetId: to,
      amount: d('1'),
      reason: 'x',
      idempotencyKey: key(),
    });
  expect(await refusal(() => transfer(budget.id, other.budget.id))).toEqual({
    error: 'ValidationError',
    field: 'input.fromBudgetId',
    message: 'the budget is closed',
  });
  expect(await refusal(() => transfer(other.budget.id, budget.id))).toEqual({
    error: 'ValidationError',
    field: 'input.toBudgetId',
    message: 'the budget is closed',
  });
  expect(await refusal(() => closeBudget(finance(), { budgetId: budget.id, idempotencyKey: key() }))).toEqual(
    {
      error: 'ConflictError',
      field: 'input.budgetId',
      message: 'the budget is already closed',
    },
  );

  // Reopening: FINANCE only, with a reason; only a closed budget.
  expect(
    await refusal(() =>
      reopenBudget(sales(), { budgetId: budget.id, reason: 'late invoice', idempotencyKey: key() }),
    ),
  ).toEqual({ error: 'ForbiddenActionError', field: null, message: 'only FINANCE may reopen budgets' });
  expect(
    await refusal(() =>
      reopenBudget(finance(), { budgetId: budget.id, reason: '  ', idempotencyKey: key() }),
    ),
  ).toEqual({
    error: 'ValidationError',
    field: 'input.reason',
    message: 'a reason of 1–1000 characters is required',
  });
  const reopened = await reopenBudget(finance(), {
    budgetId: budget.id,
    reason: 'late invoice',
    idempotencyKey: key(),
  });
  expect([reopened.closedAt, reopened.closedBy]).toEqual([null, null]);
  const audit = await world.database
    .db('audit_log')
    .where({ entity_id: budget.id, action: 'budget.reopen' })
    .first();
  expect([audit.actor_user_id, audit.after.reason]).toEqual([world.users.finance.user.id, 'late invoice']);
  expect(
    await refusal(() =>
      reopenBudget(finance(), { budgetId: budget.id, reason: 'again', idempotencyKey: key() }),
    ),
  ).toEqual({ error: 'ConflictError', field: 'input.budgetId', message: 'the budget is not closed' });
  // The lapsed 300 stayed lapsed: FINANCE adds back what it wants.
  await adjustBudget(finance(), {
    budgetId: budget.id,
    amount: d('20'),
    reason: 'late invoice',
    idempotencyKey: key(),
  });
  expect((await book()).state).toBe('BOOKED');
  expect(await ledgerMismatches(world.database.db, budget.id)).toEqual([]);
});

test('a transfer requested before a close is refused at its approval once a budget is closed', async () => {
  const a = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, { amount: '100.00' });
  const b = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, { amount: '100.00' });
  const transfer = await requestBudgetTransfer(finance(), {
    fromBudgetId: a.budget.id,
    toBudgetId: b.budget.id,
    amount: d('10.00'),
    reason: 'shift',
    idempotencyKey: key(),
  });
  // Closed directly, as a close racing the request can leave it (the close counted no transfer yet).
  await world.database
    .db('budgets')
    .where({ id: b.budget.id })
    .update({ closed_at: world.database.db.fn.now() });
  expect(
    await refusal(() =>
      decideBudgetTransfer(sales(), { transferId: transfer.id, approve: true, idempotencyKey: key() }),
    ),
  ).toEqual({
    error: 'ConflictError',
    field: 'input.transferId',
    message: 'a budget of this transfer has been closed since it was requested',
  });
  expect(await totals(a.budget.id)).toEqual(['100.00', '0.00', '0.00', '100.00']);
});

test('the carry-over policy: FINANCE sets 0–100% with two decimals for A and C; everyone reads it', async () => {
  expect((await carryOverPolicyOf(csm(), 'A')).toFixed(2)).toBe('0.00');
  const set = await setCarryOverPolicy(finance(), { tier: 'A', maxPercent: d('12.5') });
  try {
    expect([set.tier, set.maxPercent.toFixed(2), (await carryOverPolicyOf(csm(), 'A')).toFixed(2)]).toEqual([
      'A',
      '12.50',
      '12.50',
    ]);
  } finally {
    await setCarryOverPolicy(finance(), { tier: 'A', maxPercent: d('0') });
  }
  const refused = (maxPercent: string, tier: 'A' | 'B' = 'A') =>
    refusal(() => setCarryOverPolicy(finance(), { tier, maxPercent: d(maxPercent) }));
  expect(await refused('-1')).toEqual({
    error: 'ValidationError',
    field: 'input.maxPercent',
    message: 'a percentage is from 0 to 100 (10 for 10%)',
  });
  expect((await refused('100.01')).field).toBe('input.maxPercent');
  expect((await refused('10.001')).message).toBe('a percentage has at most 2 decimal places');
  expect((await refused('10', 'B')).field).toBe('input.tier');
  expect((await refusal(() => setCarryOverPolicy(csm(), { tier: 'A', maxPercent: d('5') }))).error).toBe(
    'ForbiddenActionError',
  );
  const audits = await world.database
    .db('audit_log')
    .where({ action: 'carryOverPolicy.set', entity_id: 'A' })
    .orderBy('id')
    .select('before', 'after', 'actor_user_id');
  expect(audits.slice(-2)).toEqual([
    {
      before: { maxPercent: '0' },
      after: { maxPercent: '12.5' },
      actor_user_id: world.users.finance.user.id,
    },
    {
      before: { maxPercent: '12.5' },
      after: { maxPercent: '0' },
      actor_user_id: world.users.finance.user.id,
    },
  ]);
});

test('a close raced against 20 bookings: each booking lands before the close (which then refuses) or is refused', async () => {
  const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '1000.00',
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), '10.00');
  const bookings = Array.from({ length: 20 }, () =>
    bookFreeService(csm(), {
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
      idempotencyKey: key(),
    })
      .then((b) => b.state)
      .catch((e: Error) => e.message),
  );
  const close = closeBudget(finance(), { budgetId: budget.id, idempotencyKey: key() })
    .then(() => 'closed')
    .catch((e: Error) => e.name);
  const [closed, ...booked] = await Promise.all([close, ...bookings]);
  const landed = booked.filter((state) => state === 'BOOKED').length;
  const refused = booked.filter((state) => String(state).endsWith('is closed')).length;
  expect(landed + refused).toBe(20);
  // Closed only if no booking landed first; blocked by the open bookings otherwise.
  expect(closed).toBe(landed === 0 ? 'closed' : 'BudgetCloseBlockedError');
  expect(await ledgerMismatches(world.database.db, budget.id)).toEqual([]);
  const open = await world.database
    .db('bookings')
    .where({ budget_id: budget.id, state: 'BOOKED' })
    .count('* as n');
  expect(Number(open[0]!.n)).toBe(landed);
});

test('only FINANCE closes; an unknown or malformed budget is named', async () => {
  const { budget } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!);
  expect(await refusal(() => closeBudget(csm(), { budgetId: budget.id, idempotencyKey: key() }))).toEqual({
    error: 'ForbiddenActionError',
    field: null,
    message: 'only FINANCE may close budgets',
  });
  const missing = crypto.randomUUID();
  expect(await refusal(() => closeBudget(finance(), { budgetId: missing, idempotencyKey: key() }))).toEqual({
    error: 'NotFoundError',
    field: 'input.budgetId',
    message: `Budget ${missing} does not exist or is not visible to you`,
  });
  expect(
    (await refusal(() => closeBudget(finance(), { budgetId: 'nope', idempotencyKey: key() }))).field,
  ).toBe('input.budgetId');
});

test('closing a fiscal year closes all its open budgets or, while any is blocked, none', async () => {
  const fy = year + 3; // a year of its own: no other test's budgets
  const budgetOf = async (tier: 'A' | 'C', fiscalYear: number, amount: string, accountId?: string) => {
    const id = accountId ?? (await world.org.customer(tier, { csm: world.org.csm.id })).id;
    const budget = await createBudget(finance(), {
      accountId: id,
      fiscalYear,
      amount: d(amount),
      currency: 'CNY',
      idempotencyKey: key(),
    });
    return { accountId: id, budget };
  };
  await setCarryOverPolicy(finance(), { tier: 'C', maxPercent: d('10') });
  try {
    const [a, b, c, e] = [
      await budgetOf('A', fy, '100.00'),
      await budgetOf('A', fy, '100.00'),
      await budgetOf('C', fy, '100.00'),
      await budgetOf('C', fy, '200.00'),
    ];
    const cNext = await budgetOf('C', fy + 1, '50.00', c.accountId);
    const transfer = await requestBudgetTransfer(finance(), {
      fromBudgetId: a.budget.id,
      toBudgetId: b.budget.id,
      amount: d('10.00'),
      reason: 'shift',
      idempotencyKey: key(),
    });
    const blocked = await closeFiscalYear(finance(), { fiscalYear: fy, idempotencyKey: key() }).catch(
      (x) => x,
    );
    expect([blocked.constructor.name, blocked.field]).toEqual([
      'BudgetCloseBlockedError',
      'input.fiscalYear',
    ]);
    const sorted = <T extends { budgetId: string }>(list: T[]) =>
      [...list].sort((x, y) => x.budgetId.localeCompare(y.budgetId));
    expect(
      sorted(
        blocked.blockers.map((x: { budgetId: string; resource: string; message: string }) => ({
          budgetId: x.budgetId,
          resource: x.resource,
          message: x.message,
        })),
      ),
    ).toEqual(
      sorted([
        {
          budgetId: a.budget.id,
          resource: 'PENDING_TRANSFERS',
          message: `${await nameOf(a.accountId)}: 1 requested transfer(s) of this budget: approve or reject them`,
        },
        {
          budgetId: b.budget.id,
          resource: 'PENDING_TRANSFERS',
          message: `${await nameOf(b.accountId)}: 1 requested transfer(s) of this budget: approve or reject them`,
        },
        {
          budgetId: e.budget.id,
          resource: 'NEXT_BUDGET',
          message: `${await nameOf(e.accountId)}: 20.00 CNY carries over to FY${fy + 1}: create the account's FY${fy + 1} budget first`,
        },
      ]),
    );
    const closedNow = await world.database
      .db('budgets')
      .where({ fiscal_year: fy })
      .whereNotNull('closed_at')
      .count('* as n');
    expect(Number(closedNow[0]!.n)).toBe(0);

    await decideBudgetTransfer(sales(), { transferId: transfer.id, approve: false, idempotencyKey: key() });
    const eNext = await budgetOf('C', fy + 1, '10.00', e.accountId);
    const yearKey = key();
    const closing = await closeFiscalYear(finance(), { fiscalYear: fy, idempotencyKey: yearKey });
    const all = [a, b, c, e].map((x) => x.budget.id).sort();
    expect(closing).toEqual({ fiscalYear: fy, closedBudgetIds: all });
    expect(await totals(cNext.budget.id)).toEqual(['60.00', '0.00', '0.00', '60.00']);
    expect(await totals(eNext.budget.id)).toEqual(['30.00', '0.00', '0.00', '30.00']);
    expect((await closingEntries(c.budget.id)).map((x) => [x[0], x[1]])).toEqual([
      ['LAPSE', '90.00'],
      ['CARRY_OUT', '10.00'],
    ]);
    expect((await closingEntries(a.budget.id)).map((x) => [x[0], x[1]])).toEqual([['LAPSE', '100.00']]);
    const audits = await world.database
      .db('audit_log')
      .whereIn('entity_id', all)
      .where({ action: 'budget.close' })
      .count('* as n');
    expect(Number(audits[0]!.n)).toBe(4);
    // The same key answers the same closing; the year has nothing left to close.
    expect(await closeFiscalYear(finance(), { fiscalYear: fy, idempotencyKey: yearKey })).toEqual(closing);
    expect(
      await refusal(() => closeFiscalYear(finance(), { fiscalYear: fy, idempotencyKey: key() })),
    ).toEqual({
      error: 'ConflictError',
      field: 'input.fiscalYear',
      message: `FY${fy} has no open budget to close`,
    });
    expect(
      (await refusal(() => closeFiscalYear(csm(), { fiscalYear: fy, idempotencyKey: key() }))).error,
    ).toBe('ForbiddenActionError');
    for (const id of all) expect(await ledgerMismatches(world.database.db, id)).toEqual([]);
  } finally {
    await setCarryOverPolicy(finance(), { tier: 'C', maxPercent: d('0') });
  }
});

type Refusal = { error: string; field: string | null; message: string };
const refusal = async (call: () => Promise<unknown>) => (await refusalOf(call)) as Refusal;

async function nameOf(accountId: string): Promise<string> {
  return (await world.database.db('customers').where({ id: accountId }).first('name')).name as string;
}
