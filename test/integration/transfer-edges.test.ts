// Budget transfers at their edges, in-process so that mutation testing sees them: a transfer of
// exactly what remains, the record and ledger rows it leaves, every input it refuses with the
// field it names, who may list transfers, and two transfers in opposite directions approved at
// once (the budgets are locked in id order, so neither deadlocks).
import crypto from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { refusal } from '../support/refusal';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { actorOf, contextFor, key, keyAccountWithBudget, ledgerMismatches } from '../support/money';
import { readBudget } from '../../src/modules/budgets/service';
import {
  decideBudgetTransfer,
  listTransfers,
  requestBudgetTransfer,
} from '../../src/modules/budgets/service';
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
const d = (value: string) => new Decimal(value);

async function twoBudgets(amount = '100.00') {
  const giver = await keyAccountWithBudget(database.db, org, finance().actor!, { amount });
  const taker = await keyAccountWithBudget(database.db, org, finance().actor!, { amount, tier: 'C' });
  return { giver, taker };
}

const remaining = async (budgetId: string) =>
  (await readBudget(finance(), budgetId)).totals.remaining.toFixed(2);

test('the CSM of the giving account moves all that remains; the record and both ledger rows say who and why', async () => {
  const { giver, taker } = await twoBudgets('100.00');
  const transfer = await requestBudgetTransfer(csm(), {
    fromBudgetId: giver.budget.id,
    toBudgetId: taker.budget.id,
    amount: d('100.00'),
    reason: '  launch at C  ',
    idempotencyKey: key(),
  });
  expect({ ...transfer, amount: transfer.amount.toFixed(2), createdAt: undefined }).toEqual({
    id: transfer.id,
    fromBudgetId: giver.budget.id,
    toBudgetId: taker.budget.id,
    accountId: giver.account.id,
    amount: '100.00',
    currency: 'CNY',
    reason: 'launch at C',
    state: 'REQUESTED',
    requestedBy: users.csm.user.id,
    decidedBy: null,
    decisionReason: null,
    createdAt: undefined,
  });
  // A request moves nothing.
  expect([await remaining(giver.budget.id), await remaining(taker.budget.id)]).toEqual(['100.00', '100.00']);

  const approved = await decideBudgetTransfer(sales(), {
    transferId: transfer.id,
    approve: true,
    idempotencyKey: key(),
  });
  expect([approved.state, approved.decidedBy]).toEqual(['APPROVED', users.salesLeader.user.id]);
  expect([await remaining(giver.budget.id), await remaining(taker.budget.id)]).toEqual(['0.00', '200.00']);
  const rows = await database
    .db('ledger_entries')
    .where({ transfer_id: transfer.id })
    .orderBy('id')
    .select('budget_id', 'kind', 'amount', 'allocated_delta', 'reason', 'actor_user_id', 'booking_id');
  expect(rows).toEqual([
    {
      budget_id: giver.budget.id,
      kind: 'TRANSFER_OUT',
      amount: '100.00',
      allocated_delta: '-100.00',
      reason: 'launch at C',
      actor_user_id: users.salesLeader.user.id,
      booking_id: null,
    },
    {
      budget_id: taker.budget.id,
      kind: 'TRANSFER_IN',
      amount: '100.00',
      allocated_delta: '100.00',
      reason: 'launch at C',
      actor_user_id: users.salesLeader.user.id,
      booking_id: null,
    },
  ]);
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

test('a rejection records who decided and moves nothing', async () => {
  const { giver, taker } = await twoBudgets('100.00');
  const transfer = await requestBudgetTransfer(finance(), {
    fromBudgetId: giver.budget.id,
    toBudgetId: taker.budget.id,
    amount: d('40.00'),
    reason: 'rebalance',
    idempotencyKey: key(),
  });
  const rejected = await decideBudgetTransfer(sales(), {
    transferId: transfer.id,
    approve: false,
    idempotencyKey: key(),
  });
  expect([rejected.state, rejected.decidedBy, rejected.requestedBy]).toEqual([
    'REJECTED',
    users.salesLeader.user.id,
    users.finance.user.id,
  ]);
  expect(await database.db('ledger_entries').where({ transfer_id: transfer.id }).count('* as n')).toEqual([
    { n: '0' },
  ]);
  expect([await remaining(giver.budget.id), await remaining(taker.budget.id)]).toEqual(['100.00', '100.00']);
});

test('every bad request names its field', async () => {
  const { giver, taker } = await twoBudgets('100.00');
  const unknown = crypto.randomUUID();
  const request = (changes: Record<string, unknown>, context = finance()) =>
    refusal(() =>
      requestBudgetTransfer(context, {
        fromBudgetId: giver.budget.id,
        toBudgetId: taker.budget.id,
        amount: d('10.00'),
        reason: 'rebalance',
        idempotencyKey: key(),
        ...changes,
      }),
    );
  const cases: [string, Record<string, unknown>, unknown][] = [
    [
      'malformed giver',
      { fromBudgetId: 'nope' },
      {
        error: 'ValidationError',
        field: 'input.fromBudgetId',
        message: 'input.fromBudgetId must be an id (UUID), got "nope"',
      },
    ],
    [
      'malformed receiver',
      { toBudgetId: 'nope' },
      {
        error: 'ValidationError',
        field: 'input.toBudgetId',
        message: 'input.toBudgetId must be an id (UUID), got "nope"',
      },
    ],
    [
      'unknown giver',
      { fromBudgetId: unknown },
      {
        error: 'NotFoundError',
        field: 'input.fromBudgetId',
        message: `Budget ${unknown} does not exist or is not visible to you`,
      },
    ],
    [
      'unknown receiver',
      { toBudgetId: unknown },
      {
        error: 'NotFoundError',
        field: 'input.toBudgetId',
        message: `Budget ${unknown} does not exist or is not visible to you`,
      },
    ],
    [
      'zero amount',
      { amount: d('0') },
      { error: 'ValidationError', field: 'input.amount', message: 'amount must be greater than zero' },
    ],
    [
      'blank reason',
      { reason: '   ' },
      {
        error: 'ValidationError',
        field: 'input.reason',
        message: 'a reason of 1–1000 characters is required',
      },
    ],
  ];
  for (const [name, changes, expected] of cases) {
    expect([name, await request(changes)]).toEqual([name, expected]);
  }
  // Another account's CSM does not learn that the giving budget exists.
  expect(await request({}, otherCsm())).toEqual({
    error: 'NotFoundError',
    field: 'input.fromBudgetId',
    message: `Budget ${giver.budget.id} does not exist or is not visible to you`,
  });
  expect(
    await refusal(() =>
      decideBudgetTransfer(sales(), { transferId: 'nope', approve: true, idempotencyKey: key() }),
    ),
  ).toEqual({
    error: 'ValidationError',
    field: 'input.transferId',
    message: 'input.transferId must be an id (UUID), got "nope"',
  });
  expect(
    await database.db('budget_transfers').where({ from_budget_id: giver.budget.id }).count('* as n'),
  ).toEqual([{ n: '0' }]);
});

test('transfers are listed, newest first, only for the roles that read every account', async () => {
  const { giver, taker } = await twoBudgets('100.00');
  const ask = (amount: string) =>
    requestBudgetTransfer(finance(), {
      fromBudgetId: giver.budget.id,
      toBudgetId: taker.budget.id,
      amount: d(amount),
      reason: 'rebalance',
      idempotencyKey: key(),
    });
  const first = await ask('1.00');
  const second = await ask('2.00');
  await decideBudgetTransfer(sales(), { transferId: first.id, approve: true, idempotencyKey: key() });
  const ours = (list: { edges: { node: { id: string } }[] }) =>
    list.edges.map((edge) => edge.node.id).filter((id) => id === first.id || id === second.id);
  expect(ours(await listTransfers(finance(), { first: 200 }, { pendingOnly: false }))).toEqual([
    second.id,
    first.id,
  ]);
  expect(ours(await listTransfers(sales(), { first: 200 }, { pendingOnly: false }))).toEqual([
    second.id,
    first.id,
  ]);
  expect(ours(await listTransfers(finance(), { first: 200 }, { pendingOnly: true }))).toEqual([second.id]);
  // totalCount counts the whole list under the same filter, not the page (a page of one here).
  const { all, pending } = (await database
    .db('budget_transfers')
    .first(
      database.db.raw('count(*)::int as all'),
      database.db.raw(`count(*) filter (where state = 'REQUESTED')::int as pending`),
    )) as { all: number; pending: number };
  const counted = async (pendingOnly: boolean) => {
    const page = await listTransfers(finance(), { first: 1 }, { pendingOnly });
    return [page.edges.length, await page.totalCount()];
  };
  expect([await counted(false), await counted(true)]).toEqual([
    [1, all],
    [1, pending],
  ]);
  // The filter matters: there are decided transfers too.
  expect(all).toBeGreaterThan(pending);
  expect(await refusal(() => listTransfers(csm(), { first: 200 }, { pendingOnly: false }))).toEqual({
    error: 'ForbiddenActionError',
    field: null,
    message: 'your roles do not allow listing transfers',
  });
});

test('two transfers in opposite directions approved at once both go through', async () => {
  for (let round = 0; round < 6; round += 1) {
    const { giver, taker } = await twoBudgets('100.00');
    const ask = (from: string, to: string) =>
      requestBudgetTransfer(finance(), {
        fromBudgetId: from,
        toBudgetId: to,
        amount: d('10.00'),
        reason: `round ${round}`,
        idempotencyKey: key(),
      });
    const there = await ask(giver.budget.id, taker.budget.id);
    const back = await ask(taker.budget.id, giver.budget.id);
    const outcomes = await Promise.all(
      [there, back].map((transfer) =>
        refusal(() =>
          decideBudgetTransfer(sales(), { transferId: transfer.id, approve: true, idempotencyKey: key() }),
        ),
      ),
    );
    expect([round, outcomes]).toEqual([round, ['done', 'done']]);
    expect([await remaining(giver.budget.id), await remaining(taker.budget.id)]).toEqual([
      '100.00',
      '100.00',
    ]);
  }
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

test('a key is stored under each operation with its result type; a decision made is not made again either way', async () => {
  const { giver, taker } = await twoBudgets('100.00');
  const requestKey = key();
  const transfer = await requestBudgetTransfer(finance(), {
    fromBudgetId: giver.budget.id,
    toBudgetId: taker.budget.id,
    amount: d('10.00'),
    reason: 'rebalance',
    idempotencyKey: requestKey,
  });
  const decideKey = key();
  await decideBudgetTransfer(sales(), { transferId: transfer.id, approve: true, idempotencyKey: decideKey });
  const stored = await database
    .db('idempotency_keys')
    .whereIn('key', [requestKey, decideKey])
    .orderBy('operation')
    .select('operation', 'result_type', 'result_id');
  expect(stored).toEqual([
    { operation: 'decideBudgetTransfer', result_type: 'BudgetTransfer', result_id: transfer.id },
    { operation: 'requestBudgetTransfer', result_type: 'BudgetTransfer', result_id: transfer.id },
  ]);
  expect(
    await refusal(() =>
      decideBudgetTransfer(sales(), { transferId: transfer.id, approve: false, idempotencyKey: key() }),
    ),
  ).toEqual({
    error: 'InvalidTransitionError',
    field: null,
    message: 'BudgetTransfer cannot go from APPROVED to REJECTED',
  });
});
