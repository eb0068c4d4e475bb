// Creating and adjusting budgets at their edges, in-process so that mutation testing sees them:
// the record and ledger rows each way of sizing a budget leaves, the ids each refusal names, and
// two budgets for one account and year created at once (the account row is locked, so the second
// is told a budget exists instead of failing on the unique index).
import crypto from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { refusal } from '../support/refusal';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { actorOf, contextFor, key } from '../support/money';
import { adjustBudget, createBudget, setOperatingRatio } from '../../src/modules/budgets/service';
import { Decimal } from '../../src/shared/money';
import { inTransaction } from '../../src/db/transaction';
import { postEntries } from '../../src/modules/budgets/repository';

let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;

beforeAll(async () => {
  database = await createTestDatabase({ poolMax: 8 });
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
});
afterAll(async () => database.drop());

const finance = () => contextFor(database.db, actorOf(users.finance));
const d = (value: string) => new Decimal(value);
const ledgerOf = async (budgetId: string) =>
  (
    await database
      .db('ledger_entries')
      .where({ budget_id: budgetId })
      .orderBy('id')
      .select('kind', 'amount', 'reason', 'actor_user_id')
  ).map((row: { kind: string; amount: string; reason: string; actor_user_id: string }) => [
    row.kind,
    row.amount,
    row.reason,
    row.actor_user_id,
  ]);
const figures = (budget: Awaited<ReturnType<typeof createBudget>>) => ({
  revenueTarget: budget.revenueTarget?.toFixed(2) ?? null,
  operatingRatio: budget.operatingRatio?.toFixed() ?? null,
  allocated: budget.totals.allocated.toFixed(2),
  spent: budget.totals.spent.toFixed(2),
  remaining: budget.totals.remaining.toFixed(2),
});

test('each way of sizing a budget leaves its figures and the ledger rows that explain them', async () => {
  const year = 2080;
  await setOperatingRatio(finance(), { fiscalYear: year, ratio: d('0.02') });
  const create = async (changes: Record<string, unknown>) =>
    createBudget(finance(), {
      accountId: (await org.customer('A')).id,
      fiscalYear: year,
      currency: 'CNY',
      idempotencyKey: key(),
      ...changes,
    });
  const fromYearRatio = await create({ revenueTarget: d('10000000'), openingUsed: d('50000') });
  expect(figures(fromYearRatio)).toEqual({
    revenueTarget: '10000000.00',
    operatingRatio: '0.02',
    allocated: '200000.00',
    spent: '50000.00',
    remaining: '150000.00',
  });
  expect(await ledgerOf(fromYearRatio.id)).toEqual([
    ['ALLOCATION', '200000.00', 'revenue target 10000000.00 × ratio 0.02', users.finance.user.id],
    [
      'OPENING',
      '50000.00',
      'already used this fiscal year before the budget was recorded',
      users.finance.user.id,
    ],
  ]);
  const ownRatio = await create({
    revenueTarget: d('1000'),
    operatingRatio: d('0.125'),
    openingUsed: d('0'),
  });
  expect(figures(ownRatio)).toEqual({
    revenueTarget: '1000.00',
    operatingRatio: '0.125',
    allocated: '125.00',
    spent: '0.00',
    remaining: '125.00',
  });
  // An opening of zero is no entry.
  expect(await ledgerOf(ownRatio.id)).toEqual([
    ['ALLOCATION', '125.00', 'revenue target 1000.00 × ratio 0.125', users.finance.user.id],
  ]);
  const explicit = await create({ amount: d('300.50') });
  expect(figures(explicit)).toEqual({
    revenueTarget: null,
    operatingRatio: null,
    allocated: '300.50',
    spent: '0.00',
    remaining: '300.50',
  });
  expect(await ledgerOf(explicit.id)).toEqual([
    ['ALLOCATION', '300.50', 'explicit amount', users.finance.user.id],
  ]);
});

test('refusals name the id they are about', async () => {
  const unknown = crypto.randomUUID();
  const create = (accountId: string) =>
    refusal(() =>
      createBudget(finance(), {
        accountId,
        fiscalYear: 2081,
        amount: d('5'),
        currency: 'CNY',
        idempotencyKey: key(),
      }),
    );
  expect(await create('nope')).toEqual({
    error: 'ValidationError',
    field: 'input.accountId',
    message: 'input.accountId must be an id (UUID), got "nope"',
  });
  expect(await create(unknown)).toEqual({
    error: 'NotFoundError',
    field: 'input.accountId',
    message: `Account ${unknown} does not exist or is not visible to you`,
  });
  const adjust = (budgetId: string) =>
    refusal(() =>
      adjustBudget(finance(), { budgetId, amount: d('5'), reason: 'why', idempotencyKey: key() }),
    );
  expect(await adjust('nope')).toEqual({
    error: 'ValidationError',
    field: 'input.budgetId',
    message: 'input.budgetId must be an id (UUID), got "nope"',
  });
  expect(await adjust(unknown)).toEqual({
    error: 'NotFoundError',
    field: 'input.budgetId',
    message: `Budget ${unknown} does not exist or is not visible to you`,
  });
});

test('two budgets for one account and year at once: one is created, the other is told it exists', async () => {
  for (let round = 0; round < 8; round += 1) {
    const account = await org.customer('C');
    const name = (await database.db('customers').where({ id: account.id }).first('name')).name as string;
    const create = () =>
      refusal(() =>
        createBudget(finance(), {
          accountId: account.id,
          fiscalYear: 2082,
          amount: d('100'),
          currency: 'CNY',
          idempotencyKey: key(),
        }),
      );
    const outcomes = await Promise.all([create(), create()]);
    expect([round, outcomes.filter((o) => o === 'done').length, outcomes.find((o) => o !== 'done')]).toEqual([
      round,
      1,
      {
        error: 'ConflictError',
        field: 'input.fiscalYear',
        message: `${name} already has a budget for FY2082; adjust it instead`,
      },
    ]);
  }
});

test('creating and adjusting keep their keys under their own operations, with the budget as the result', async () => {
  const createKey = key();
  const budget = await createBudget(finance(), {
    accountId: (await org.customer('A')).id,
    fiscalYear: 2083,
    amount: d('100'),
    currency: 'CNY',
    idempotencyKey: createKey,
  });
  const adjustKey = key();
  await adjustBudget(finance(), {
    budgetId: budget.id,
    amount: d('-5'),
    reason: 'trim',
    idempotencyKey: adjustKey,
  });
  const stored = (k: string) =>
    database.db('idempotency_keys').where({ key: k }).first('operation', 'result_type', 'result_id');
  expect([await stored(createKey), await stored(adjustKey)]).toEqual([
    { operation: 'createBudget', result_type: 'Budget', result_id: budget.id },
    { operation: 'adjustBudget', result_type: 'Budget', result_id: budget.id },
  ]);
});

test('postEntries refuses a budget read before its totals last moved, and leaves the ledger as it was', async () => {
  const year = 2083;
  const stale = await createBudget(finance(), {
    accountId: (await org.customer('A')).id,
    fiscalYear: year,
    currency: 'CNY',
    amount: d('1000'),
    idempotencyKey: key(),
  });
  const moved = await adjustBudget(finance(), {
    budgetId: stale.id,
    amount: d('-100'),
    reason: 'moved after the stale read',
    idempotencyKey: key(),
  });
  const entriesBefore = await ledgerOf(stale.id);
  const post = (budget: typeof stale) =>
    inTransaction(database.db, (trx) =>
      postEntries(
        trx,
        budget,
        [{ kind: 'ADJUSTMENT', amount: d('50'), reason: 'test' }],
        users.finance.user.id,
      ),
    );
  await expect(post(stale)).rejects.toThrow(
    `postEntries: budget ${stale.id} no longer holds the totals it was read with (read it under the lock)`,
  );
  // The entries' insert ran in the same statement and was rolled back with it.
  expect(await ledgerOf(stale.id)).toEqual(entriesBefore);
  // The budget as it stands is posted to.
  expect((await post(moved)).totals.remaining.toFixed(2)).toBe('950.00');
});
