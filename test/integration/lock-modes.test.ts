// The row locks of the money paths against the locks PostgreSQL takes for foreign keys. Writing a
// row that refers to a budget (a transfer request, a roll-up row) takes KEY SHARE on the budget
// for the foreign-key check. A money path changes a budget's totals, never its key, so it locks
// FOR NO KEY UPDATE, which KEY SHARE does not wait for. With FOR UPDATE it did: a transfer request
// holding KEY SHARE on its giving budget waited for the receiving one, which a transfer decision
// held while it waited for the giving one. PostgreSQL broke that deadlock by failing one of them
// (seen once in money-model.test.ts under CI). In-process, on real transactions.
import { moneyWorld } from '../support/money-world';
import { actorOf, config, createFreeService, inDays, key, keyAccountWithBudget } from '../support/money';
import * as repository from '../../src/modules/budgets/repository';
import {
  adjustBudget,
  bookFreeService,
  cancelBooking,
  decideBookingException,
  decideBudgetTransfer,
  deliverBooking,
  requestBudgetTransfer,
} from '../../src/modules/budgets/service';
import { deliverTheGeneralWay } from '../../src/modules/budgets/deliver';
import { rollUpBatch } from '../../src/modules/reports/rollup';
import { Decimal } from '../../src/shared/money';

const world = moneyWorld({ poolMax: 6 });
const { csm, finance, sales } = world;

const WAIT_MS = 3_000;

/** 'done' if the work finished within WAIT_MS, else 'waiting' (the work goes on; its promise is returned). */
async function within<T>(work: Promise<T>): Promise<'done' | 'waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const waiting = new Promise<'waiting'>((resolve) => {
    timer = setTimeout(() => resolve('waiting'), WAIT_MS);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), waiting]);
  } finally {
    clearTimeout(timer);
  }
}

async function twoBudgets() {
  const giver = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '500.00',
  });
  const taker = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '500.00',
    tier: 'C',
  });
  return { giver: giver.budget.id, taker: taker.budget.id };
}

test('a transfer request is not held up by a budget a decision has locked, so the two never deadlock', async () => {
  const { giver, taker } = await twoBudgets();
  // A decision locks both budgets in id order. Here it has locked the receiving budget and is
  // about to lock the giving one: the order it takes when the receiving id sorts first.
  const decision = await world.database.db.transaction();
  try {
    await repository.findBudgetById(decision, taker, { locked: true });
    const request = requestBudgetTransfer(csm(), {
      fromBudgetId: giver,
      toBudgetId: taker,
      amount: new Decimal('50.00'),
      reason: 'shift',
      idempotencyKey: key(),
    });
    const requested = await within(request);
    // The decision's second lock: a deadlock if the request still held KEY SHARE on it.
    await repository.findBudgetById(decision, giver, { locked: true });
    await decision.commit();
    expect(requested).toBe('done');
    expect((await request).state).toBe('REQUESTED');
  } finally {
    if (!decision.isCompleted()) await decision.rollback();
  }
});

test('every money path goes ahead while a foreign-key check holds KEY SHARE on its budget', async () => {
  const { giver, taker } = await twoBudgets();
  const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '1000.00',
  });
  const admin = actorOf(world.users.admin);
  const service = await createFreeService(world.database.db, admin, '60.00');
  const beyondTheBudget = await createFreeService(world.database.db, admin, '5000.00');
  const book = (changes: Record<string, unknown> = {}) =>
    bookFreeService(csm(), {
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
      idempotencyKey: key(),
      ...changes,
    });
  const [toDeliver, toCancel] = [await book(), await book()];
  const toDecide = await book({
    serviceId: beyondTheBudget.id,
    requestException: true,
    exceptionReason: 'renewal',
  });
  const toDeliverTheGeneralWay = await book();
  const transfer = await requestBudgetTransfer(finance(), {
    fromBudgetId: giver,
    toBudgetId: taker,
    amount: new Decimal('10.00'),
    reason: 'shift',
    idempotencyKey: key(),
  });

  const paths: Record<string, { budgets: string[]; run: () => Promise<unknown> }> = {
    'book (one call)': { budgets: [budget.id], run: () => book() },
    'deliver (one call)': {
      budgets: [budget.id],
      run: () => deliverBooking(csm(), { bookingId: toDeliver.id, idempotencyKey: key() }),
    },
    'deliver (general way)': {
      budgets: [budget.id],
      run: () =>
        deliverTheGeneralWay(csm(), { bookingId: toDeliverTheGeneralWay.id, idempotencyKey: key() }, null),
    },
    'cancel (one call)': {
      budgets: [budget.id],
      run: () => cancelBooking(csm(), { bookingId: toCancel.id, reason: 'moved', idempotencyKey: key() }),
    },
    'decide an exception (one call)': {
      budgets: [budget.id],
      run: () =>
        decideBookingException(sales(), { bookingId: toDecide.id, approve: false, idempotencyKey: key() }),
    },
    'adjust a budget': {
      budgets: [budget.id],
      run: () =>
        adjustBudget(finance(), {
          budgetId: budget.id,
          amount: new Decimal('5.00'),
          reason: 'top up',
          idempotencyKey: key(),
        }),
    },
    'decide a transfer': {
      budgets: [giver, taker],
      run: () =>
        decideBudgetTransfer(sales(), { transferId: transfer.id, approve: true, idempotencyKey: key() }),
    },
  };
  const outcomes: Record<string, string> = {};
  for (const [name, path] of Object.entries(paths)) {
    const check = await world.database.db.transaction();
    try {
      await check.raw('select id from budgets where id = any(?::uuid[]) for key share', [path.budgets]);
      const work = path.run();
      outcomes[name] = await within(work);
      await check.commit();
      await work;
    } finally {
      if (!check.isCompleted()) await check.rollback();
    }
  }
  expect(outcomes).toEqual(Object.fromEntries(Object.keys(paths).map((name) => [name, 'done'])));
});

test('the report roll-up goes ahead while a money path holds a budget it rolls up', async () => {
  const { account, budget } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!);
  await bookFreeService(csm(), {
    accountId: account.id,
    serviceId: (await createFreeService(world.database.db, actorOf(world.users.admin), '25.00')).id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
  });
  const money = await world.database.db.transaction();
  try {
    await repository.findBudgetById(money, budget.id, { locked: true });
    // The roll-up writes a row per budget, whose foreign key takes KEY SHARE on this one.
    const rolled = rollUpBatch(world.database.db, config.fiscal);
    const outcome = await within(rolled);
    await money.commit();
    expect([outcome, await rolled]).toEqual(['done', expect.any(Number)]);
    expect(await rolled).toBeGreaterThan(0);
  } finally {
    if (!money.isCompleted()) await money.rollback();
  }
  const rolledUp = await world.database
    .db('ledger_rollup_budgets')
    .where({ budget_id: budget.id })
    .count('* as n');
  expect(Number(rolledUp[0]!.n)).toBeGreaterThan(0);
});
