// Fairness signals, burn-rate forecasts, tier review proposals and the paid P&L on a
// hand-computed scenario: P (tier A) is over-served with no output, Q (tier C) holds most of the
// potential, gets nothing, yet wins a deal.
import { DateTime } from 'luxon';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { actorOf, config, contextFor, fiscalYearNow, inDays, key } from '../support/money';
import { createExpertService } from '../../src/modules/catalog/service';
import { createBudget, setOperatingRatio } from '../../src/modules/budgets/service';
import { bookFreeService, decideBookingException, deliverBooking } from '../../src/modules/budgets/service';
import {
  createOpportunity,
  recordAssessment,
  recordOpportunityInvestment,
  setOpportunityStage,
} from '../../src/modules/outcomes/service';
import { setCustomerFinancials, setTieringPolicy } from '../../src/modules/customers/service';
import { advancePaidOrder, quotePaidService } from '../../src/modules/orders/service';
import { fiscalYearRange } from '../../src/shared/fiscal';
import { Decimal } from '../../src/shared/money';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;
const ids: Record<string, string> = {};
// Read when the data is made, not at module load (which may be on the other side of midnight of
// the fiscal year's last day from the moment the tests run).
let fy: number;
let range: ReturnType<typeof fiscalYearRange>;

beforeAll(async () => {
  fy = fiscalYearNow();
  range = fiscalYearRange(config.fiscal, fy);
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
  const admin = contextFor(database.db, actorOf(users.admin));
  const finance = contextFor(database.db, actorOf(users.finance));
  const csm = contextFor(database.db, actorOf(users.csm, org.csm.id));
  const leader = contextFor(database.db, actorOf(users.salesLeader));
  await setOperatingRatio(finance, { fiscalYear: fy, ratio: new Decimal('0.01') });
  await setTieringPolicy(finance, {
    fiscalYear: fy,
    contributionThreshold: new Decimal('2000000'),
    potentialThreshold: new Decimal('5000000'),
    currency: 'CNY',
  });
  const p = await org.customer('A', { name: 'Signal P' });
  const q = await org.customer('C', { name: 'Signal Q' });
  Object.assign(ids, { p: p.id, q: q.id });
  await createBudget(finance, {
    accountId: p.id,
    fiscalYear: fy,
    revenueTarget: new Decimal('1000000'),
    currency: 'CNY',
    idempotencyKey: key(),
  }); // 10,000
  await createBudget(finance, {
    accountId: q.id,
    fiscalYear: fy,
    revenueTarget: new Decimal('9000000'),
    currency: 'CNY',
    idempotencyKey: key(),
  }); // 90,000
  await setCustomerFinancials(finance, {
    accountId: p.id,
    fiscalYear: fy,
    contribution: new Decimal('3000000'),
    potential: new Decimal('100000'),
    currency: 'CNY',
  });
  await setCustomerFinancials(finance, {
    accountId: q.id,
    fiscalYear: fy,
    contribution: new Decimal('500000'),
    potential: new Decimal('9900000'),
    currency: 'CNY',
  });
  const free = (code: string, price: string) =>
    createExpertService(admin, {
      code,
      name: code,
      kind: 'FREE',
      providingDepartment: 'SERVICE',
      effects: ['OPPORTUNITY'],
      effectiveFrom: '2020-01-01',
      settlementPrice: new Decimal(price),
      currency: 'CNY',
    });
  const five = await free('FIVE_K', '5000');
  const six = await free('SIX_K', '6000');
  const first = await bookFreeService(csm, {
    accountId: p.id,
    serviceId: five.id,
    plannedDate: inDays(1),
    idempotencyKey: key(),
  });
  await deliverBooking(csm, { bookingId: first.id, idempotencyKey: key() });
  const second = await bookFreeService(csm, {
    accountId: p.id,
    serviceId: six.id,
    plannedDate: inDays(1),
    requestException: true,
    exceptionReason: 'exec visit',
    idempotencyKey: key(),
  });
  await decideBookingException(leader, { bookingId: second.id, approve: true, idempotencyKey: key() });
  await deliverBooking(csm, { bookingId: second.id, idempotencyKey: key() }); // P spent 11,000 of 10,000
  const today = DateTime.now().setZone(config.fiscal.timeZone).toISODate()!;
  await recordAssessment(csm, {
    accountId: q.id,
    assessedOn: range.firstDay,
    relationshipCloseness: 2,
    solutionAcceptance: 2,
    priceAcceptance: 2,
  });
  await recordAssessment(csm, {
    accountId: q.id,
    assessedOn: today,
    relationshipCloseness: 3,
    solutionAcceptance: 3,
    priceAcceptance: 3,
  });
  const deal = await createOpportunity(csm, {
    accountId: q.id,
    name: 'Q deal',
    amount: new Decimal('1000000'),
    currency: 'CNY',
    registered: true,
  });
  await recordOpportunityInvestment(csm, {
    opportunityId: deal.id,
    cost: new Decimal('8000'),
    spentOn: today,
    description: 'pre-sales demo',
    idempotencyKey: key(),
  });
  await setOpportunityStage(csm, { opportunityId: deal.id, stage: 'WON' });
  const paid = await createExpertService(admin, {
    code: 'KPI',
    name: 'KPI',
    kind: 'PAID',
    providingDepartment: 'SERVICE',
    effectiveFrom: '2020-01-01',
    listPrice: new Decimal('75000'),
    internalCost: new Decimal('45000'),
    currency: 'CNY',
  });
  const order = await quotePaidService(leader, {
    accountId: p.id,
    serviceId: paid.id,
    requirement: 'KPI uplift',
    estimatedHours: new Decimal('100'),
    idempotencyKey: key(),
  });
  await advancePaidOrder(leader, { orderId: order.id, to: 'CONFIRMED', idempotencyKey: key() });
  await advancePaidOrder(leader, {
    orderId: order.id,
    to: 'DELIVERED',
    actualHours: new Decimal('110'),
    internalCost: new Decimal('48750.50'),
    idempotencyKey: key(),
  });
  await advancePaidOrder(leader, { orderId: order.id, to: 'ACCEPTED', idempotencyKey: key() });
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

/** A connection as these tests select it, and its nodes in order. */
type Nodes<T> = { totalCount?: number; edges: { node: T }[] };
const nodesOf = <T>(connection: Nodes<T>): T[] => connection.edges.map((edge) => edge.node);
const q = async <T>(query: string, token = users.finance.token) => {
  const result = await server.graphql<T>(token, query);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
};

test('fairness: P over-served (100% of spend vs 10% of targets), Q under-served (99% of potential, no spend)', async () => {
  const data = await q<{
    fairnessSignals: Nodes<{
      account: { name: string };
      kind: string;
      reason: string;
      spendShare: string;
      targetShare: string;
      potentialShare: string;
    }>;
  }>(
    `{ fairnessSignals(fiscalYear: ${fy}) { totalCount edges { node { account { name } kind reason spendShare targetShare potentialShare } } } }`,
  );
  expect(data.fairnessSignals.totalCount).toBe(2);
  expect(nodesOf(data.fairnessSignals)).toEqual([
    {
      account: { name: 'Signal P' },
      kind: 'OVER_SERVED',
      reason: 'spend share 100% > 2 × max(target share 10%, potential share 1%)',
      spendShare: '1',
      targetShare: '0.1',
      potentialShare: '0.01',
    },
    {
      account: { name: 'Signal Q' },
      kind: 'UNDER_SERVED',
      reason: 'potential share 99% ≥ 5% but spend share 0% < 0.5 × potential share',
      spendShare: '0',
      targetShare: '0.9',
      potentialShare: '0.99',
    },
  ]);
});

test('burn forecast: P runs out (already over), Q is largely unused; as of the year start nothing was posted', async () => {
  const at = range.end.minus({ seconds: 1 }).toUTC().toISO();
  type Burn = {
    burnForecasts: Nodes<{
      budget: { account: { name: string } };
      status: string;
      projectedAmount: string;
      runOutDate: string | null;
      explanation: string;
    }>;
  };
  const data = await q<Burn>(
    `{ burnForecasts(fiscalYear: ${fy}, at: "${at}") { edges { node { budget { account { name } } status projectedAmount runOutDate explanation } } } }`,
  );
  const [p, qq] = nodesOf(data.burnForecasts);
  expect(p).toMatchObject({
    budget: { account: { name: 'Signal P' } },
    status: 'RUNS_OUT_EARLY',
    runOutDate: range.lastDay,
  });
  expect(new Decimal(p!.projectedAmount).greaterThanOrEqualTo('11000')).toBe(true);
  expect(qq).toMatchObject({ status: 'LARGELY_UNUSED', projectedAmount: '0.00', runOutDate: null });
  const atStart = await q<Burn>(
    `{ burnForecasts(fiscalYear: ${fy}, at: "${range.start.plus({ seconds: 1 }).toUTC().toISO()}") { edges { node { budget { account { name } } status projectedAmount runOutDate explanation } } } }`,
  );
  expect(nodesOf(atStart.burnForecasts).map((b) => b.projectedAmount)).toEqual(['0.00', '0.00']);
});

test('burn forecasts of one account, and a CSM sees only their own accounts’ (their board flags them)', async () => {
  type Names = { burnForecasts: Nodes<{ budget: { account: { name: string } }; status: string }> };
  const names = async (args: string, token?: string) =>
    nodesOf(
      (
        await q<Names>(
          `{ burnForecasts(fiscalYear: ${fy}${args}) { edges { node { budget { account { name } } status } } } }`,
          token,
        )
      ).burnForecasts,
    ).map((b) => b.budget.account.name);
  expect(await names(`, accountId: "${ids.q}"`)).toEqual(['Signal Q']);
  expect(await names('', users.csm.token)).toEqual(['Signal P', 'Signal Q']);
  expect(await names(`, accountId: "${ids.p}"`, users.csm.token)).toEqual(['Signal P']);
  expect(await names('', users.otherCsm.token)).toEqual([]);
  expect(await names(`, accountId: "${ids.p}"`, users.otherCsm.token)).toEqual([]);
  const bad = await server.graphql(
    users.finance.token,
    `{ burnForecasts(fiscalYear: ${fy}, accountId: "nope") { totalCount } }`,
  );
  expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_FAILED', field: 'accountId' });
});

test('tier review: Q (C, uplift 3, won 1,000,000) → A; P (A, 110% used, no output, high contribution) → B; nothing changes', async () => {
  type Proposals = {
    tierReviewProposals: Nodes<{
      account: { name: string };
      fromTier: string;
      toTier: string;
      reasons: string[];
      budgetImpact: string[];
    }>;
  };
  const data = await q<Proposals>(
    `{ tierReviewProposals(fiscalYear: ${fy}) { edges { node { account { name } fromTier toTier reasons budgetImpact } } } }`,
    users.salesLeader.token,
  );
  expect(nodesOf(data.tierReviewProposals)).toEqual([
    {
      account: { name: 'Signal P' },
      fromTier: 'A',
      toTier: 'B',
      reasons: [
        'budget utilisation 110% ≥ 80%',
        'no output: nothing won, no open pipeline, uplift not measured',
        'contribution high: B',
      ],
      budgetImpact: [
        'leaves the key accounts: the CSM is released with the change',
        `FY${fy} budget: 0.00 reserved by open bookings to deliver or cancel, -1000.00 remaining to transfer or close`,
      ],
    },
    {
      account: { name: 'Signal Q' },
      fromTier: 'C',
      toTier: 'A',
      reasons: ['relationship uplift 3 ≥ 2', 'won 1000000.00 in the period'],
      budgetImpact: ['stays a key account with its CSM and budget; the overrun policy of tier A applies'],
    },
  ]);
  expect(
    await database.db('customers').whereIn('id', [ids.p!, ids.q!]).orderBy('name').pluck('tier'),
  ).toEqual(['A', 'C']);
});

test('paid P&L by department and per-account margin net of free investment', async () => {
  const data = await q<{ paidServicePnl: Nodes<unknown>; accountNetMargins: Nodes<unknown> }>(
    `{ paidServicePnl(period: { fiscalYear: ${fy} }, groupBy: [DEPARTMENT]) { edges { node { keys { dimension value } orders revenue internalCost margin } } }
       accountNetMargins(period: { fiscalYear: ${fy} }) { edges { node { account { name } paidMargin freeSpend opportunityInvestment net } } } }`,
  );
  expect(nodesOf(data.paidServicePnl)).toEqual([
    {
      keys: [{ dimension: 'DEPARTMENT', value: 'SERVICE' }],
      orders: 1,
      revenue: '75000.00',
      internalCost: '48750.50',
      margin: '26249.50',
    },
  ]);
  expect(nodesOf(data.accountNetMargins)).toEqual([
    {
      account: { name: 'Signal P' },
      paidMargin: '26249.50',
      freeSpend: '11000.00',
      opportunityInvestment: '0.00',
      net: '15249.50',
    },
    {
      account: { name: 'Signal Q' },
      paidMargin: '0.00',
      freeSpend: '0.00',
      opportunityInvestment: '8000.00',
      net: '-8000.00',
    },
  ]);
});

test('thresholds are FINANCE’s to set, validated; other roles cannot read the signals', async () => {
  const SET = `mutation($input: ReportSettingsInput!) { setReportSettings(input: $input) { __typename ... on ReportSettings { overShareFactor } ... on Error { field } } }`;
  const input = {
    overShareFactor: '20',
    underPotentialShareMin: '0.05',
    underSpendFactor: '0.5',
    underuseRatio: '0.5',
    promotionUpliftMin: 2,
    heavyUtilisation: '0.8',
  };
  const bad = await server.graphql<{ setReportSettings: Record<string, unknown> }>(users.finance.token, SET, {
    input: { ...input, underSpendFactor: '1.5' },
  });
  expect(bad.data!.setReportSettings).toEqual({
    __typename: 'ValidationError',
    field: 'input.underSpendFactor',
  });
  const set = await server.graphql<{ setReportSettings: Record<string, unknown> }>(users.finance.token, SET, {
    input,
  });
  expect(set.data!.setReportSettings).toEqual({ __typename: 'ReportSettings', overShareFactor: '20' });
  const after = await q<{ fairnessSignals: Nodes<{ kind: string }> }>(
    `{ fairnessSignals(fiscalYear: ${fy}) { edges { node { kind } } } }`,
  );
  expect(nodesOf(after.fairnessSignals).map((f) => f.kind)).toEqual(['UNDER_SERVED']); // 100% is not > 20 × 10%
  const csm = await server.graphql(
    users.csm.token,
    `{ fairnessSignals(fiscalYear: ${fy}) { edges { node { kind } } } }`,
  );
  expect(csm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const leader = await server.graphql(users.salesLeader.token, SET, { input });
  expect(leader.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
