// Cost allocation and ROI against a hand-computed scenario: several accounts, a multi-effect
// service, a cancellation and an approved exception. Every grouping reconciles to the cent.
import { DateTime } from 'luxon';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import {
  actorOf,
  config,
  contextFor,
  createFreeService,
  fiscalYearNow,
  inDays,
  key,
  keyAccountWithBudget,
} from '../support/money';
import type { Effect } from '../../src/modules/catalog/rules';
import { createBudget } from '../../src/modules/budgets/service';
import {
  bookFreeService,
  cancelBooking,
  decideBookingException,
  deliverBooking,
} from '../../src/modules/budgets/service';
import { createOpportunity, recordAssessment, setOpportunityStage } from '../../src/modules/outcomes/service';
import { fiscalYearRange } from '../../src/shared/fiscal';
import { Decimal } from '../../src/shared/money';
import { DIMENSIONS } from '../../src/modules/reports/allocation/repository';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
  const finance = contextFor(database.db, actorOf(users.finance));
  const csm = contextFor(database.db, actorOf(users.csm, org.csm.id));
  const otherCsm = contextFor(database.db, actorOf(users.otherCsm, org.otherCsm.id));
  const leader = contextFor(database.db, actorOf(users.salesLeader));
  const service = (code: string, price: string, effects: Effect[]) =>
    createFreeService(database.db, actorOf(users.admin), price, effects, { code });
  const s1 = await service('THREE_EFFECTS', '100.00', [
    'SOLUTION_ACCEPTANCE',
    'OPPORTUNITY',
    'RELATIONSHIP_CLOSENESS',
  ]);
  const s2 = await service('ONE_EFFECT', '50.00', ['OPPORTUNITY']);
  const s3 = await service('NO_EFFECT', '10.00', []);
  Object.assign(ids, { s1: s1.id, s2: s2.id, s3: s3.id });
  const fy = fiscalYearNow();
  const account = async (name: string, tier: 'A' | 'C', csmId: string, amount: string) => {
    const customer = await org.customer(tier, { name, csm: csmId });
    await createBudget(finance, {
      accountId: customer.id,
      fiscalYear: fy,
      amount: new Decimal(amount),
      currency: 'CNY',
      idempotencyKey: key(),
    });
    return customer.id;
  };
  ids.x = await account('Report X', 'A', org.csm.id, '1000.00');
  ids.y = await account('Report Y', 'C', org.otherCsm.id, '500.00');
  ids.z = await account('Report Z', 'A', org.csm.id, '5.00');
  const book = (ctx: typeof csm, accountId: string, serviceId: string, extra = {}) =>
    bookFreeService(ctx, { accountId, serviceId, plannedDate: inDays(3), idempotencyKey: key(), ...extra });
  const x1 = await book(csm, ids.x, s1.id);
  await deliverBooking(csm, { bookingId: x1.id, idempotencyKey: key() }); // spend 100.00
  const x2 = await book(csm, ids.x, s2.id);
  await cancelBooking(csm, { bookingId: x2.id, reason: 'postponed', idempotencyKey: key() });
  const y1 = await book(otherCsm, ids.y, s2.id);
  await deliverBooking(otherCsm, {
    bookingId: y1.id,
    actualCost: new Decimal('45.55'),
    idempotencyKey: key(),
  });
  const z1 = await book(csm, ids.z, s3.id, { requestException: true, exceptionReason: 'renewal at risk' });
  await decideBookingException(leader, { bookingId: z1.id, approve: true, idempotencyKey: key() }); // reserve 10.00 past the 5.00 budget
  // Output for X: two assessments and two opportunities.
  const yearStart = fiscalYearRange(config.fiscal, fy).firstDay;
  const today = DateTime.now().setZone(config.fiscal.timeZone).toISODate()!;
  await recordAssessment(csm, {
    accountId: ids.x,
    assessedOn: yearStart,
    relationshipCloseness: 3,
    solutionAcceptance: 2,
    priceAcceptance: 3,
  });
  await recordAssessment(csm, {
    accountId: ids.x,
    assessedOn: today,
    relationshipCloseness: 4,
    solutionAcceptance: 4,
    priceAcceptance: 3,
  });
  const won = await createOpportunity(csm, {
    accountId: ids.x,
    name: 'Won deal',
    amount: new Decimal('500000'),
    currency: 'CNY',
    registered: true,
  });
  await setOpportunityStage(csm, { opportunityId: won.id, stage: 'WON' });
  await createOpportunity(csm, {
    accountId: ids.x,
    name: 'Open deal',
    amount: new Decimal('1000000'),
    currency: 'CNY',
  });
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

type Group = {
  keys: { dimension: string; value: string | null }[];
  totals: { allocatedAmount: string; reservedAmount: string; spentAmount: string; entryCount: number };
};
type AllocationPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: Group }[];
  grandTotal: Group['totals'];
};
const ALLOCATION = `query($groupBy: [AllocationDimension!]!, $filter: AllocationFilter, $first: Int, $after: String) {
  costAllocation(period: { fiscalYear: $FY }, groupBy: $groupBy, filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { keys { dimension value } totals { allocatedAmount reservedAmount spentAmount entryCount } } }
    grandTotal { allocatedAmount reservedAmount spentAmount entryCount }
  }
}`;
/** One page of the allocation, as a client asks for it. */
const allocationPage = async (
  groupBy: string[],
  filter: Record<string, unknown>,
  first: number,
  after: string | null,
) => {
  const result = await server.graphql<{ costAllocation: AllocationPage }>(
    users.finance.token,
    ALLOCATION.replace('$FY', String(fiscalYearNow())),
    { groupBy, filter, first, after },
  );
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!.costAllocation;
};
/** Every group of the allocation, read page by page (200 a page). */
const allocate = async (groupBy: string[], filter: Record<string, unknown> = {}) => {
  const groups: Group[] = [];
  let page = await allocationPage(groupBy, filter, 200, null);
  const { totalCount, grandTotal } = page;
  for (;;) {
    groups.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) break;
    page = await allocationPage(groupBy, filter, 200, page.pageInfo.endCursor);
  }
  expect(groups).toHaveLength(totalCount);
  return { groups, totalGroups: totalCount, grandTotal };
};
const byKey = (groups: Group[]) =>
  Object.fromEntries(groups.map((g) => [g.keys.map((k) => k.value ?? '∅').join('|'), g.totals]));
const sum = (groups: Group[], field: 'allocatedAmount' | 'reservedAmount' | 'spentAmount') =>
  groups.reduce((total, g) => total.plus(g.totals[field]), new Decimal(0)).toFixed(2);

describe('cost allocation', () => {
  test('by effect: 100.00 across three effects is 33.34 / 33.33 / 33.33, the extra cent to the first alphabetically', async () => {
    const result = await allocate(['EFFECT'], { accountIds: [ids.x, ids.y, ids.z] });
    expect(byKey(result.groups)).toEqual({
      // X: S1 reserve, release, spend; S2 reserve, release. Y: S2 reserve, release, spend. Counted once each.
      OPPORTUNITY: { allocatedAmount: '0.00', reservedAmount: '0.00', spentAmount: '78.89', entryCount: 8 },
      RELATIONSHIP_CLOSENESS: {
        allocatedAmount: '0.00',
        reservedAmount: '0.00',
        spentAmount: '33.33',
        entryCount: 0,
      },
      SOLUTION_ACCEPTANCE: {
        allocatedAmount: '0.00',
        reservedAmount: '0.00',
        spentAmount: '33.33',
        entryCount: 0,
      },
      '∅': { allocatedAmount: '1505.00', reservedAmount: '10.00', spentAmount: '0.00', entryCount: 4 },
    });
    expect(result.grandTotal).toEqual({
      allocatedAmount: '1505.00',
      reservedAmount: '10.00',
      spentAmount: '145.55',
      entryCount: 12,
    });
  });

  test('by tier (at posting time): a later tier change does not move past entries', async () => {
    await database.db('customers').where({ id: ids.x }).update({ tier: 'C' }); // straight in SQL: only the snapshot matters here
    try {
      const result = await allocate(['TIER'], { accountIds: [ids.x, ids.y, ids.z] });
      expect(byKey(result.groups)).toEqual({
        A: { allocatedAmount: '1005.00', reservedAmount: '10.00', spentAmount: '100.00', entryCount: 8 },
        C: { allocatedAmount: '500.00', reservedAmount: '0.00', spentAmount: '45.55', entryCount: 4 },
      });
    } finally {
      await database.db('customers').where({ id: ids.x }).update({ tier: 'A' });
    }
  });

  test('every combination of grouping reconciles to the grand total and to the raw ledger, to the cent', async () => {
    const raw = (
      await database.db.raw(
        'select sum(allocated_delta) a, sum(reserved_delta) r, sum(spent_delta) s, count(*) n from ledger_entries where account_id = any(?::uuid[])',
        [`{${[ids.x, ids.y, ids.z].join(',')}}`],
      )
    ).rows[0] as { a: string; r: string; s: string; n: string };
    const dimensions = [...DIMENSIONS];
    const combinations = [
      [],
      ...dimensions.map((d) => [d]),
      ...dimensions.flatMap((a, i) => dimensions.slice(i + 1).map((b) => [a, b])),
      ['TIER', 'EFFECT', 'MONTH'],
    ];
    for (const groupBy of combinations) {
      const result = await allocate(groupBy, { accountIds: [ids.x, ids.y, ids.z] });
      expect({
        groupBy,
        allocated: sum(result.groups, 'allocatedAmount'),
        reserved: sum(result.groups, 'reservedAmount'),
        spent: sum(result.groups, 'spentAmount'),
      }).toEqual({
        groupBy,
        allocated: raw.a,
        reserved: raw.r,
        spent: raw.s,
      });
      expect(result.grandTotal).toEqual({
        allocatedAmount: raw.a,
        reservedAmount: raw.r,
        spentAmount: raw.s,
        entryCount: Number(raw.n),
      });
      expect(result.groups.reduce((n, g) => n + g.totals.entryCount, 0)).toBe(Number(raw.n));
    }
  });

  test('pages add up to the grand total; an effect filter gives that effect’s share', async () => {
    const all = await allocate(['ACCOUNT', 'ENTRY_KIND'], { accountIds: [ids.x, ids.y, ids.z] });
    const filter = { accountIds: [ids.x, ids.y, ids.z] };
    const pages: Group[] = [];
    const totals = new Set<number>();
    let page = await allocationPage(['ACCOUNT', 'ENTRY_KIND'], filter, 2, null);
    for (;;) {
      pages.push(...page.edges.map((edge) => edge.node));
      totals.add(page.totalCount);
      expect(page.grandTotal).toEqual(all.grandTotal);
      if (!page.pageInfo.hasNextPage) break;
      page = await allocationPage(['ACCOUNT', 'ENTRY_KIND'], filter, 2, page.pageInfo.endCursor);
    }
    expect([pages, [...totals]]).toEqual([all.groups, [all.totalGroups]]);
    // After the last group: no groups, no next page, and still the total and the grand total.
    const last = page.edges[page.edges.length - 1]!.cursor;
    const beyond = await allocationPage(['ACCOUNT', 'ENTRY_KIND'], filter, 2, last);
    expect(beyond).toEqual({
      totalCount: all.totalGroups,
      pageInfo: { hasNextPage: false, hasPreviousPage: true, endCursor: null },
      edges: [],
      grandTotal: all.grandTotal,
    });
    const closeness = await allocate([], {
      accountIds: [ids.x, ids.y, ids.z],
      effects: ['RELATIONSHIP_CLOSENESS'],
    });
    expect(closeness.grandTotal.spentAmount).toBe('33.33');
    // A kinds filter keeps only those entries: the per-kind groups of the full answer, exactly.
    const perKind = byKey((await allocate(['ENTRY_KIND'], { accountIds: [ids.x, ids.y, ids.z] })).groups);
    const spends = await allocate(['ENTRY_KIND'], { accountIds: [ids.x, ids.y, ids.z], kinds: ['SPEND'] });
    expect([byKey(spends.groups), spends.grandTotal]).toEqual([{ SPEND: perKind.SPEND }, perKind.SPEND]);
    const bad = await server.graphql(
      users.finance.token,
      ALLOCATION.replace('$FY', String(fiscalYearNow())),
      {
        groupBy: ['TIER'],
        filter: { kinds: ['SPENDING'] },
      },
    );
    expect([bad.data, bad.errors?.[0]?.message]).toEqual([
      null,
      expect.stringContaining('Value "SPENDING" does not exist in "LedgerEntryKind" enum'),
    ]);
  });

  test('a CSM may not read cost allocation; bad arguments name the field', async () => {
    const csm = await server.graphql(users.csm.token, ALLOCATION.replace('$FY', String(fiscalYearNow())), {
      groupBy: ['TIER'],
    });
    expect(csm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const tooMany = await server.graphql(
      users.finance.token,
      ALLOCATION.replace('$FY', String(fiscalYearNow())),
      { groupBy: ['TIER'], first: 5000 },
    );
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'first' });
  });
});

describe('account ROI', () => {
  type Roi = {
    account: { name: string };
    spentAmount: string;
    reservedAmount: string;
    budgetUtilisation: string | null;
    uplift: Record<string, number> | null;
    hatchedAmount: string;
    registeredAmount: string;
    wonAmount: string;
    pipelineAmount: string;
    wonPerSpend: string | null;
    pipelinePerSpend: string | null;
    upliftPer10k: string | null;
    explanation: string[];
  };
  const ROI = `query($accounts: [ID!], $sort: RoiSort) { accountRoi(period: { fiscalYear: ${fiscalYearNow()} }, accountIds: $accounts, sort: $sort) {
    totalCount edges { node { account { name } spentAmount reservedAmount budgetUtilisation uplift { relationshipCloseness solutionAcceptance priceAcceptance }
      hatchedAmount registeredAmount wonAmount pipelineAmount wonPerSpend pipelinePerSpend upliftPer10k explanation } } } }`;
  type RoiPage = { totalCount: number; edges: { node: Roi }[] };
  const rowsOf = (page: RoiPage) => page.edges.map((edge) => edge.node);

  test('each figure of the hand-computed scenario, ranked by won per unit of spend', async () => {
    const result = await server.graphql<{ accountRoi: RoiPage }>(users.salesLeader.token, ROI, {
      accounts: [ids.x, ids.y, ids.z],
    });
    const [x, y, z] = rowsOf(result.data!.accountRoi);
    expect(result.data!.accountRoi.totalCount).toBe(3);
    expect(rowsOf(result.data!.accountRoi).map((r) => r.account.name)).toEqual([
      'Report X',
      'Report Y',
      'Report Z',
    ]);
    expect(x).toMatchObject({
      spentAmount: '100.00',
      reservedAmount: '0.00',
      budgetUtilisation: '0.1',
      uplift: { relationshipCloseness: 1, solutionAcceptance: 2, priceAcceptance: 0 },
      hatchedAmount: '1500000.00',
      registeredAmount: '500000.00',
      wonAmount: '500000.00',
      pipelineAmount: '1000000.00',
      wonPerSpend: '5000',
      pipelinePerSpend: '10000',
      upliftPer10k: '300',
    });
    expect(x!.explanation.join('\n')).toContain('last assessment');
    expect(y).toMatchObject({ spentAmount: '45.55', uplift: null, wonPerSpend: '0', upliftPer10k: null });
    expect(y!.explanation.join('\n')).toContain('needs two assessments');
    expect(z).toMatchObject({
      spentAmount: '0.00',
      reservedAmount: '10.00',
      wonPerSpend: null,
      budgetUtilisation: '0',
    });
  });

  test('a CSM sees ROI for their own accounts only', async () => {
    const mine = await server.graphql<{ accountRoi: RoiPage }>(users.csm.token, ROI, {
      accounts: [ids.x, ids.y, ids.z],
      sort: 'NAME',
    });
    expect(rowsOf(mine.data!.accountRoi).map((r) => r.account.name)).toEqual(['Report X', 'Report Z']);
    // Another CSM's accounts, asked for by their person id, are simply not among a CSM's rows.
    const theirs = await server.graphql<{ accountRoi: RoiPage }>(
      users.csm.token,
      `query($csm: ID) { accountRoi(period: { fiscalYear: ${fiscalYearNow()} }, csmPersonId: $csm) { totalCount edges { node { account { name } } } } }`,
      { csm: org.otherCsm.id },
    );
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data!.accountRoi).toEqual({ totalCount: 0, edges: [] });
  });
});

describe('CSV export', () => {
  const get = (path: string, token: string | null) =>
    fetch(`${server.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  test('allocation exports as CSV with a total row that matches the query', async () => {
    const response = await get(
      `/export/allocation.csv?fiscalYear=${fiscalYearNow()}&groupBy=tier,effect`,
      users.finance.token,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('tier,effect,allocated_amount,reserved_amount,spent_amount,entry_count');
    const query = await allocate(['TIER', 'EFFECT']);
    expect(lines).toHaveLength(query.totalGroups + 2);
    expect(lines[lines.length - 1]).toBe(
      `TOTAL,,${query.grandTotal.allocatedAmount},${query.grandTotal.reservedAmount},${query.grandTotal.spentAmount},${query.grandTotal.entryCount}`,
    );
  });

  test('ROI exports for a sales leader; a CSM gets only their accounts; refusals are clear', async () => {
    const leader = (
      await (
        await get(`/export/roi.csv?fiscalYear=${fiscalYearNow()}&sort=name`, users.salesLeader.token)
      ).text()
    )
      .trim()
      .split('\r\n');
    expect(leader[0]).toMatch(/^account_id,account,tier,spent,/);
    expect(leader.some((line) => line.includes('Report Y'))).toBe(true);
    const csm = (await (await get(`/export/roi.csv?fiscalYear=${fiscalYearNow()}`, users.csm.token)).text())
      .trim()
      .split('\r\n');
    expect(csm.some((line) => line.includes('Report Y'))).toBe(false);
    expect(csm.some((line) => line.includes('Report X'))).toBe(true);
    expect((await get(`/export/roi.csv?fiscalYear=${fiscalYearNow()}`, null)).status).toBe(401);
    expect((await get(`/export/allocation.csv?fiscalYear=${fiscalYearNow()}`, users.csm.token)).status).toBe(
      403,
    );
    const bad = await get(
      `/export/allocation.csv?fiscalYear=${fiscalYearNow()}&groupBy=colour`,
      users.finance.token,
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'groupBy' });
    expect((await get('/export/allocation.csv', users.finance.token)).status).toBe(400);
  });
});

describe('rollups', () => {
  const everyGrouping = [
    [],
    ['TIER'],
    ['EFFECT'],
    ['SERVICE', 'ENTRY_KIND'],
    ['TIER', 'EFFECT', 'MONTH'],
    ['DEPARTMENT', 'QUARTER'],
    ['FISCAL_YEAR', 'EFFECT'],
    ['ACCOUNT', 'EFFECT'],
    ['CSM'],
  ];
  const snapshot = async () => {
    const allocations = [];
    for (const groupBy of everyGrouping) allocations.push(await allocate(groupBy));
    const roiRows = await server.graphql(
      users.finance.token,
      `{ accountRoi(period: { fiscalYear: ${fiscalYearNow()} }, sort: NAME, first: 200) { totalCount pageInfo { hasNextPage } edges { node { account { name } spentAmount reservedAmount budgetUtilisation wonPerSpend } } } }`,
    );
    return { allocations, roi: roiRows.data };
  };
  const queued = async () =>
    Number((await database.db('ledger_rollup_queue').count<{ n: string }[]>('* as n'))[0]!.n);

  test('reports are identical whether entries are queued, rolled up, or both — and equal the ledger', async () => {
    const { rollUpAll } = await import('../../src/modules/reports/rollup');
    const csm = contextFor(database.db, actorOf(users.csm, org.csm.id));
    // An account of its own: the hand-computed accounts' figures stay what the ROI tests say,
    // and its new budget puts an entry in the queue whatever ran before.
    const { account: extraAccount } = await keyAccountWithBudget(database.db, org, actorOf(users.finance), {
      amount: '100.00',
    });
    expect(await queued()).toBeGreaterThan(0);
    const allQueued = await snapshot();
    const moved = await rollUpAll(database.db, config.fiscal);
    expect(moved).toBeGreaterThan(0);
    expect(await queued()).toBe(0);
    expect(await snapshot()).toEqual(allQueued);
    // A new posting sits in the queue beside the rollup: totals move by exactly its amount.
    const ledgerTotal = async () =>
      (await database.db.raw('select sum(spent_delta) s, sum(allocated_delta) a from ledger_entries'))
        .rows[0] as { s: string; a: string };
    const extra = await bookFreeService(csm, {
      accountId: extraAccount.id,
      serviceId: ids.s1!,
      plannedDate: inDays(4),
      idempotencyKey: key(),
    });
    await deliverBooking(csm, {
      bookingId: extra.id,
      actualCost: new Decimal('0.02'),
      idempotencyKey: key(),
    });
    expect(await queued()).toBe(3);
    const mixed = await allocate(['EFFECT']);
    const total = await ledgerTotal();
    expect(mixed.grandTotal.spentAmount).toBe(new Decimal(total.s).toFixed(2));
    expect(byKey(mixed.groups).OPPORTUNITY!.spentAmount).toBe(
      new Decimal(byKey(allQueued.allocations[2]!.groups).OPPORTUNITY!.spentAmount).plus('0.01').toFixed(2),
    );
    const mixedSnapshot = await snapshot();
    await rollUpAll(database.db, config.fiscal);
    expect(await snapshot()).toEqual(mixedSnapshot);
  });

  test('a different fiscal calendar rebuilds the rollups from the whole ledger', async () => {
    const { rollUpAll } = await import('../../src/modules/reports/rollup');
    const april = { startMonth: 4, timeZone: 'America/New_York' };
    await rollUpAll(database.db, april);
    expect((await database.db('ledger_rollup_state').first()).time_zone).toBe('America/New_York');
    const sums = (await database.db.raw('select sum(spent) s, sum(entries) n from ledger_rollup_effects'))
      .rows[0];
    const ledger = (await database.db.raw('select sum(spent_delta) s, count(*) n from ledger_entries'))
      .rows[0];
    expect([sums.s, sums.n]).toEqual([ledger.s, ledger.n]);
    await rollUpAll(database.db, config.fiscal); // back to the test calendar for the other tests
  });
});
