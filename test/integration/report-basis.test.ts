// Budget reports read a fiscal year two ways. By BUDGET_YEAR (the default) the year holds the
// entries against that year's budgets whenever posted, so next year's budget, allocated today,
// belongs to next year; by POSTING_PERIOD it holds whatever was posted in the year. One account
// with this year's budget (a delivered service) and next year's (allocated now, one booking
// planned next year): every figure by hand.
import { DateTime } from 'luxon';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { actorOf, config, contextFor, createFreeService, inDays, key } from '../support/money';
import { createBudget } from '../../src/modules/budgets/service';
import { bookFreeService, deliverBooking } from '../../src/modules/budgets/service';
import { fiscalRange, fiscalYearOf } from '../../src/shared/fiscal';
import { Decimal } from '../../src/shared/money';
import { rollUpAll } from '../../src/modules/reports/rollup';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;
let year: number;
let accountId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
  year = fiscalYearOf(config.fiscal, DateTime.now());
  const finance = contextFor(database.db, actorOf(users.finance));
  const csm = contextFor(database.db, actorOf(users.csm, org.csm.id));
  const account = await org.customer('A', { csm: org.csm.id });
  accountId = account.id;
  for (const [fiscalYear, amount] of [
    [year, '1000.00'],
    [year + 1, '3000.00'],
  ] as const)
    await createBudget(finance, {
      accountId,
      fiscalYear,
      amount: new Decimal(amount),
      currency: 'CNY',
      idempotencyKey: key(),
    });
  const service = await createFreeService(database.db, actorOf(users.admin), '100.00');
  const thisYear = await bookFreeService(csm, {
    accountId,
    serviceId: service.id,
    plannedDate: inDays(1),
    idempotencyKey: key(),
  });
  await deliverBooking(csm, {
    bookingId: thisYear.id,
    actualCost: new Decimal('80.00'),
    idempotencyKey: key(),
  });
  // The first day of next fiscal year: its booking reserves against next year's budget, today.
  const nextYearStart = fiscalRange(config.fiscal, {
    kind: 'YEAR',
    fiscalYear: year + 1,
    quarter: null,
    month: null,
  }).firstDay;
  await bookFreeService(csm, {
    accountId,
    serviceId: service.id,
    plannedDate: nextYearStart,
    idempotencyKey: key(),
  });
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const ALLOCATION = `query($fy: Int!, $basis: ReportBasis) {
  costAllocation(period: { fiscalYear: $fy }, groupBy: [], basis: $basis) {
    basis grandTotal { allocatedAmount reservedAmount spentAmount entryCount } } }`;

const ALLOCATION_CASES = [
  // [fiscal year offset, basis, allocated, reserved, spent, entries]
  [0, 'BUDGET_YEAR', '1000.00', '0.00', '80.00', 4],
  [0, null, '1000.00', '0.00', '80.00', 4],
  [0, 'POSTING_PERIOD', '4000.00', '100.00', '80.00', 6],
  [1, 'BUDGET_YEAR', '3000.00', '100.00', '0.00', 2],
  [1, 'POSTING_PERIOD', '0.00', '0.00', '0.00', 0],
] as const;

/** The allocation grouped `by`, with every group (the demo-sized data fits one page). */
async function allocationOf(offset: number, basis: string | null, by: string[] = []) {
  const result = await server.graphql(
    users.finance.token,
    ALLOCATION.replace('groupBy: []', `groupBy: [${by.join(', ')}], first: 200`).replace(
      'basis grandTotal',
      'basis totalCount pageInfo { hasNextPage } edges { node { keys { value } totals { allocatedAmount reservedAmount spentAmount entryCount } } } grandTotal',
    ),
    { fy: year + offset, basis },
  );
  expect(result.errors).toBeUndefined();
  return result.data;
}

test('after the roll-up job the rolled-up figures are the same, by either basis and grouped as the rollup keeps them', async () => {
  const before = [];
  for (const [offset, basis] of ALLOCATION_CASES)
    before.push(await allocationOf(offset, basis, ['TIER', 'EFFECT']));
  expect(await rollUpAll(database.db, config.fiscal)).toBe(6);
  const after = [];
  for (const [offset, basis] of ALLOCATION_CASES)
    after.push(await allocationOf(offset, basis, ['TIER', 'EFFECT']));
  expect(after).toEqual(before);
  expect(JSON.stringify(before)).toContain('"hasNextPage":false');
  expect(
    await database
      .db('ledger_rollup_effects')
      .sum('allocated as allocated')
      .where({ budget_year: year + 1 }),
  ).toEqual([{ allocated: '3000.00' }]);
});

test.each(ALLOCATION_CASES)(
  'cost allocation of this year + %i by %s: allocated %s, reserved %s, spent %s in %i entries',
  async (offset, basis, allocatedAmount, reservedAmount, spentAmount, entryCount) => {
    const result = await server.graphql(users.finance.token, ALLOCATION, { fy: year + offset, basis });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      costAllocation: {
        basis: basis ?? 'BUDGET_YEAR',
        grandTotal: { allocatedAmount, reservedAmount, spentAmount, entryCount },
      },
    });
  },
);

const ROI = `query($fy: Int!, $basis: ReportBasis, $id: ID!) {
  accountRoi(period: { fiscalYear: $fy }, accountIds: [$id], basis: $basis) {
    basis totalCount edges { node { spentAmount reservedAmount explanation } } } }`;

test.each([
  [0, 'BUDGET_YEAR', '80.00', '0.00', `against the FY{year} budget, whenever posted`],
  [0, 'POSTING_PERIOD', '80.00', '100.00', 'posted in the period, against any fiscal year’s budget'],
  [1, 'BUDGET_YEAR', '0.00', '100.00', `against the FY{next} budget, whenever posted`],
] as const)(
  'ROI of this year + %i by %s: spent %s, reserved %s, and the explanation says which entries',
  async (offset, basis, spentAmount, reservedAmount, words) => {
    const result = await server.graphql<{
      accountRoi: {
        basis: string;
        totalCount: number;
        edges: { node: { spentAmount: string; reservedAmount: string; explanation: string[] } }[];
      };
    }>(users.salesLeader.token, ROI, { fy: year + offset, basis, id: accountId });
    expect(result.errors).toBeUndefined();
    const row = result.data!.accountRoi.edges[0]?.node;
    expect([
      result.data!.accountRoi.basis,
      result.data!.accountRoi.totalCount,
      row!.spentAmount,
      row!.reservedAmount,
    ]).toEqual([basis, 1, spentAmount, reservedAmount]);
    const expected = words.replace('{year}', String(year)).replace('{next}', String(year + 1));
    expect(row!.explanation[1]).toContain(`ledger entries ${expected}`);
  },
);

test('the CSV export takes basis=budget_year|posting_period, and refuses another', async () => {
  const get = (query: string) =>
    fetch(`${server.baseUrl}/export/allocation.csv?fiscalYear=${year}${query}`, {
      headers: { authorization: `Bearer ${users.finance.token}` },
    });
  const lines = async (query: string) =>
    (await (await get(`&groupBy=tier${query}`)).text()).trim().split('\r\n');
  const header = 'tier,allocated_amount,reserved_amount,spent_amount,entry_count';
  expect(await lines('')).toEqual([header, 'A,1000.00,0.00,80.00,4', 'TOTAL,1000.00,0.00,80.00,4']);
  expect(await lines('&basis=posting_period')).toEqual([
    header,
    'A,4000.00,100.00,80.00,6',
    'TOTAL,4000.00,100.00,80.00,6',
  ]);
  const bad = await get('&basis=calendar');
  expect([bad.status, await bad.json()]).toEqual([
    400,
    { error: 'basis: unknown value CALENDAR; allowed: BUDGET_YEAR, POSTING_PERIOD', field: 'basis' },
  ]);
});
