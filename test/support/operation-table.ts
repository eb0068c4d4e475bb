// Every root field of the schema with a valid call (document and fresh variables) and, per role,
// the outcome it must get. role-matrix.test.ts walks the outcomes; bad-input.test.ts starts
// from the valid calls and breaks one argument at a time.
//
// Roles, in column order:
//   none      no token
//   csmOwn    the CSM of the account the operation is about
//   csmOther  a CSM of another account
//   finance   FINANCE
//   leader    SALES_LEADER
//   admin     ADMIN
// Outcomes:
//   ALLOW     answered (a mutation returns its object, not an error member)
//   FILTERED  answered, but the other account's rows are left out
//   FORBIDDEN refused for the role: FORBIDDEN error code or ForbiddenError member; a refused mutation
//             changes nothing
//   NOT_FOUND refused for the object: NOT_FOUND code or NotFoundError member, worded exactly as for an
//             unknown id; a refused mutation changes nothing
//   UNAUTH    401 UNAUTHENTICATED
// Another CSM asking for one account (or its budget, booking, order…) by id is told NOT_FOUND, as
// if it did not exist: a refusal naming the account would confirm that the id is real. Lists
// leave it out.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/knex';
import { createStandardUsers } from './factories';
import { createOrg, type Org } from './org';
import { actorOf, createFreeService, fiscalYearNow, inDays, keyAccountWithBudget } from './money';
import type { TestServer } from './server';

export const ROLES = ['none', 'csmOwn', 'csmOther', 'finance', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type Outcome = 'ALLOW' | 'FILTERED' | 'FORBIDDEN' | 'NOT_FOUND' | 'UNAUTH';
export type Expected = [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

export type Fixture = Awaited<ReturnType<typeof buildFixture>>;
export type Row = {
  expected: Expected;
  document: string;
  /** Fresh variables for one cell (mutations that consume what they act on get new objects). */
  variables: (f: Fixture) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** For FILTERED cells: does the answer include the account the row is about? */
  sees?: (data: Record<string, unknown>, f: Fixture) => boolean;
};

const U = 'UNAUTH' as const;
const A = 'ALLOW' as const;
const F = 'FORBIDDEN' as const;
const H = 'FILTERED' as const;
const N = 'NOT_FOUND' as const;

// Common shapes of the table.
const EVERYONE: Expected = [U, A, A, A, A, A];
const OWN_ACCOUNT_READ: Expected = [U, A, N, A, A, A];
const OWN_ACCOUNT_LIST: Expected = [U, A, H, A, A, A];
const REPORTING: Expected = [U, F, F, A, A, A];
const ADMIN_ONLY: Expected = [U, F, F, F, F, A];
const FINANCE_ONLY: Expected = [U, F, F, A, F, F];
const FINANCE_OR_ADMIN: Expected = [U, F, F, A, F, A];
const LEADER_ONLY: Expected = [U, F, F, F, A, F];
const CSM_OF_ACCOUNT_OR_ADMIN: Expected = [U, A, N, F, F, A];
const ACCOUNT_TEAM: Expected = [U, A, N, F, A, A]; // the account's CSM, a SALES_LEADER or an ADMIN

const period = (f: Fixture) => ({ period: { fiscalYear: f.year } });
const ids = (rows: unknown): string[] => JSON.stringify(rows).match(/[0-9a-f]{8}-[0-9a-f-]{27}/g) ?? [];
const mentionsOwn = (data: Record<string, unknown>, f: Fixture) => ids(data).includes(f.own.account.id);
const uniq = () => crypto.randomBytes(4).toString('hex');
let dayCounter = 0;
/** A distinct day per call (prices and cost rates are unique per effective day). */
const freshDay = () => inDays(-300 + dayCounter++);

export const QUERIES: Record<string, Row> = {
  accountNetMargins: {
    expected: REPORTING,
    document: `query($period: FiscalPeriodInput!) { accountNetMargins(period: $period) { __typename } }`,
    variables: period,
  },
  accountRoi: {
    expected: OWN_ACCOUNT_LIST,
    document: `query($period: FiscalPeriodInput!) { accountRoi(period: $period) { edges { node { account { id } } } } }`,
    variables: period,
    sees: mentionsOwn,
  },
  auditLog: {
    expected: [U, F, F, A, F, A],
    document: `{ auditLog(first: 5) { edges { node { __typename } } } }`,
    variables: () => ({}),
  },
  bookingPreview: {
    expected: OWN_ACCOUNT_READ,
    document: `query($a: ID!, $s: ID!, $d: Date!) { bookingPreview(accountId: $a, serviceId: $s, plannedDate: $d) { __typename } }`,
    variables: (f) => ({ a: f.own.account.id, s: f.freeService.id, d: inDays(5) }),
  },
  bookings: {
    expected: OWN_ACCOUNT_LIST,
    document: `query($a: ID) { bookings(first: 50, filter: { accountId: $a }) { edges { node { account { id } } } } }`,
    variables: (f) => ({ a: f.own.account.id }),
    sees: mentionsOwn,
  },
  budget: {
    expected: OWN_ACCOUNT_READ,
    document: `query($id: ID!) { budget(id: $id) { id } }`,
    variables: (f) => ({ id: f.own.budget.id }),
  },
  budgetFor: {
    expected: OWN_ACCOUNT_READ,
    document: `query($a: ID!) { budgetFor(accountId: $a) { id } }`,
    variables: (f) => ({ a: f.own.account.id }),
  },
  budgetTransfers: {
    expected: REPORTING,
    document: `{ budgetTransfers { __typename } }`,
    variables: () => ({}),
  },
  budgets: {
    expected: OWN_ACCOUNT_LIST,
    document: `query($y: Int) { budgets(fiscalYear: $y) { edges { node { account { id } } } } }`,
    variables: (f) => ({ y: f.year }),
    sees: mentionsOwn,
  },
  burnForecasts: {
    expected: OWN_ACCOUNT_LIST,
    document: `query($y: Int!) { burnForecasts(fiscalYear: $y) { edges { node { budget { account { id } } } } } }`,
    variables: (f) => ({ y: f.year }),
    sees: mentionsOwn,
  },
  channelPartners: { expected: EVERYONE, document: `{ channelPartners { id } }`, variables: () => ({}) },
  costAllocation: {
    expected: REPORTING,
    document: `query($period: FiscalPeriodInput!) { costAllocation(period: $period, groupBy: [TIER]) { __typename } }`,
    variables: period,
  },
  coverageGaps: {
    expected: OWN_ACCOUNT_LIST,
    document: `{ coverageGaps { edges { node { account { id } } } } }`,
    variables: () => ({}),
    sees: mentionsOwn,
  },
  customer: {
    expected: OWN_ACCOUNT_READ,
    document: `query($id: ID!) { customer(id: $id) { id } }`,
    variables: (f) => ({ id: f.own.account.id }),
  },
  customers: {
    expected: OWN_ACCOUNT_LIST,
    document: `{ customers(first: 100) { edges { node { id } } } }`,
    variables: () => ({}),
    sees: mentionsOwn,
  },
  expertServices: { expected: EVERYONE, document: `{ expertServices { id } }`, variables: () => ({}) },
  fairnessSignals: {
    expected: REPORTING,
    document: `query($y: Int!) { fairnessSignals(fiscalYear: $y) { __typename } }`,
    variables: (f) => ({ y: f.year }),
  },
  fiscalCalendar: {
    expected: EVERYONE,
    document: `{ fiscalCalendar { __typename } }`,
    variables: () => ({}),
  },
  freeServicesForEffects: {
    expected: EVERYONE,
    document: `{ freeServicesForEffects(effects: [OPPORTUNITY]) { id } }`,
    variables: () => ({}),
  },
  me: { expected: EVERYONE, document: `{ me { id } }`, variables: () => ({}) },
  operatingRatio: {
    expected: EVERYONE,
    document: `query($y: Int!) { operatingRatio(fiscalYear: $y) }`,
    variables: (f) => ({ y: f.year }),
  },
  overrunPolicy: { expected: EVERYONE, document: `{ overrunPolicy(tier: A) }`, variables: () => ({}) },
  alertThresholds: { expected: EVERYONE, document: `{ alertThresholds(tier: A) }`, variables: () => ({}) },
  webhookEndpoints: {
    expected: ADMIN_ONLY,
    document: `{ webhookEndpoints { id deliveries(first: 5) { edges { node { id attempts { attempt } } } } } }`,
    variables: () => ({}),
  },
  notifications: {
    expected: OWN_ACCOUNT_LIST,
    document: `{ notifications(first: 20) { edges { node { account { id } } } } }`,
    // A transfer requested from the own account's budget: its newest event.
    variables: async (f) => {
      await f.requestedTransfer();
      return {};
    },
    sees: mentionsOwn,
  },
  carryOverPolicy: { expected: EVERYONE, document: `{ carryOverPolicy(tier: C) }`, variables: () => ({}) },
  paidOrders: {
    expected: OWN_ACCOUNT_LIST,
    document: `query($a: ID) { paidOrders(accountId: $a) { edges { node { account { id } } } } }`,
    variables: (f) => ({ a: f.own.account.id }),
    sees: mentionsOwn,
  },
  paidServicePnl: {
    expected: REPORTING,
    document: `query($period: FiscalPeriodInput!) { paidServicePnl(period: $period, groupBy: [ACCOUNT]) { __typename } }`,
    variables: period,
  },
  people: { expected: EVERYONE, document: `{ people { edges { node { id } } } }`, variables: () => ({}) },
  reportSettings: {
    expected: REPORTING,
    document: `{ reportSettings { __typename } }`,
    variables: () => ({}),
  },
  roiSummary: {
    // A CSM gets the sums of their own accounts; the other CSM's sums leave this account out.
    expected: EVERYONE,
    document: `query($period: FiscalPeriodInput!) { roiSummary(period: $period, groupBy: TIER) { __typename } }`,
    variables: period,
  },
  route: {
    expected: OWN_ACCOUNT_READ,
    document: `query($a: ID!) { route(accountId: $a, need: PRODUCT_PROBLEM) { __typename } }`,
    variables: (f) => ({ a: f.own.account.id }),
  },
  slaPolicies: { expected: EVERYONE, document: `{ slaPolicies { __typename } }`, variables: () => ({}) },
  teams: { expected: EVERYONE, document: `{ teams { id } }`, variables: () => ({}) },
  tierHistory: {
    expected: OWN_ACCOUNT_READ,
    document: `query($a: ID!) { tierHistory(accountId: $a) { __typename } }`,
    variables: (f) => ({ a: f.own.account.id }),
  },
  tierReviewProposals: {
    expected: REPORTING,
    document: `query($y: Int!) { tierReviewProposals(fiscalYear: $y) { __typename } }`,
    variables: (f) => ({ y: f.year }),
  },
  tierSuggestions: {
    expected: OWN_ACCOUNT_LIST,
    document: `query($y: Int) { tierSuggestions(fiscalYear: $y) { edges { node { account { id } } } } }`,
    variables: (f) => ({ y: f.year }),
    sees: mentionsOwn,
  },
  tieringPolicy: {
    expected: EVERYONE,
    document: `query($y: Int!) { tieringPolicy(fiscalYear: $y) { __typename } }`,
    variables: (f) => ({ y: f.year }),
  },
  users: { expected: ADMIN_ONLY, document: `{ users { edges { node { id } } } }`, variables: () => ({}) },
};

/** A mutation document: `field(args) { __typename ... on Error { message } }`. */
const m = (signature: string, call: string) =>
  `mutation${signature} { ${call} { __typename ... on Error { message } } }`;
const withInput = (field: string, type: string) => m(`($input: ${type}!)`, `${field}(input: $input)`);

export const MUTATIONS: Record<string, Row> = {
  adjustBudget: {
    expected: FINANCE_ONLY,
    document: withInput('adjustBudget', 'AdjustBudgetInput'),
    variables: (f) => ({
      input: {
        budgetId: f.own.budget.id,
        amount: '1.00',
        reason: 'matrix',
        idempotencyKey: crypto.randomUUID(),
      },
    }),
  },
  advancePaidOrder: {
    expected: ACCOUNT_TEAM,
    document: withInput('advancePaidOrder', 'AdvancePaidOrderInput'),
    variables: async (f) => ({
      input: { orderId: await f.quotedOrder(), to: 'CONFIRMED', idempotencyKey: crypto.randomUUID() },
    }),
  },
  assignCoverage: {
    expected: ADMIN_ONLY,
    document: withInput('assignCoverage', 'AssignCoverageInput'),
    variables: (f) => ({
      input: { accountId: f.own.account.id, csmPersonId: f.org.csm.id, supportTeamId: f.org.support.id },
    }),
  },
  bookFreeService: {
    expected: CSM_OF_ACCOUNT_OR_ADMIN,
    document: withInput('bookFreeService', 'BookFreeServiceInput'),
    variables: (f) => ({ input: f.bookingInput() }),
  },
  cancelBooking: {
    expected: CSM_OF_ACCOUNT_OR_ADMIN,
    document: withInput('cancelBooking', 'CancelBookingInput'),
    variables: async (f) => ({
      input: { bookingId: await f.booking(), reason: 'matrix', idempotencyKey: crypto.randomUUID() },
    }),
  },
  closeBudget: {
    expected: FINANCE_ONLY,
    document: withInput('closeBudget', 'CloseBudgetInput'),
    variables: async (f) => ({
      input: { budgetId: await f.closableBudget(), idempotencyKey: crypto.randomUUID() },
    }),
  },
  closeFiscalYear: {
    expected: FINANCE_ONLY,
    document: withInput('closeFiscalYear', 'CloseFiscalYearInput'),
    // A year of its own, with one fresh open budget (nothing open on it, nothing to carry).
    variables: async (f) => ({
      input: { fiscalYear: await f.closableYear(), idempotencyKey: crypto.randomUUID() },
    }),
  },
  changeTier: {
    expected: [U, F, F, F, A, A],
    document: withInput('changeTier', 'ChangeTierInput'),
    variables: async (f) => ({
      input: { accountId: (await f.org.customer('B')).id, tier: 'D', reason: 'matrix' },
    }),
  },
  createApiToken: {
    expected: ADMIN_ONLY,
    document: withInput('createApiToken', 'CreateApiTokenInput'),
    variables: (f) => ({ input: { userId: f.users.finance.user.id, label: `matrix ${uniq()}` } }),
  },
  createBudget: {
    expected: FINANCE_ONLY,
    document: withInput('createBudget', 'CreateBudgetInput'),
    variables: async (f) => ({
      input: {
        accountId: (await f.org.customer('A')).id,
        fiscalYear: f.year,
        amount: '100.00',
        idempotencyKey: crypto.randomUUID(),
      },
    }),
  },
  createChannelPartner: {
    expected: ADMIN_ONLY,
    document: withInput('createChannelPartner', 'CreateChannelPartnerInput'),
    variables: () => ({ input: { name: `Partner ${uniq()}` } }),
  },
  createCustomer: {
    expected: ADMIN_ONLY,
    document: withInput('createCustomer', 'CreateCustomerInput'),
    variables: () => ({ input: { name: `Customer ${uniq()}`, tier: 'D' } }),
  },
  createDeliveryProject: {
    expected: ADMIN_ONLY,
    document: withInput('createDeliveryProject', 'CreateDeliveryProjectInput'),
    variables: (f) => ({ input: { accountId: f.own.account.id, name: `Project ${uniq()}` } }),
  },
  createExpertService: {
    expected: ADMIN_ONLY,
    document: withInput('createExpertService', 'CreateExpertServiceInput'),
    variables: () => ({
      input: {
        code: `M-${uniq().toUpperCase()}`,
        name: 'Matrix service',
        kind: 'FREE',
        providingDepartment: 'SOLUTIONS',
        effects: ['OPPORTUNITY'],
        effectiveFrom: '2020-01-01',
        settlementPrice: '10.00',
      },
    }),
  },
  createOpportunity: {
    expected: ACCOUNT_TEAM,
    document: withInput('createOpportunity', 'CreateOpportunityInput'),
    variables: (f) => ({ input: { accountId: f.own.account.id, name: `Opp ${uniq()}`, amount: '1000.00' } }),
  },
  createPerson: {
    expected: ADMIN_ONLY,
    document: withInput('createPerson', 'CreatePersonInput'),
    variables: () => ({ input: { name: `Person ${uniq()}`, department: 'SERVICE' } }),
  },
  createTeam: {
    expected: ADMIN_ONLY,
    document: withInput('createTeam', 'CreateTeamInput'),
    variables: () => ({ input: { name: `Team ${uniq()}`, kind: 'SUPPORT' } }),
  },
  createUser: {
    expected: ADMIN_ONLY,
    document: withInput('createUser', 'CreateUserInput'),
    variables: () => ({
      input: { name: `User ${uniq()}`, email: `${uniq()}@matrix.example`, roles: ['CSM'] },
    }),
  },
  decideBookingException: {
    expected: LEADER_ONLY,
    document: withInput('decideBookingException', 'DecideBookingExceptionInput'),
    variables: async (f) => ({
      input: { bookingId: await f.pendingException(), approve: true, idempotencyKey: crypto.randomUUID() },
    }),
  },
  decideBudgetTransfer: {
    expected: LEADER_ONLY,
    document: withInput('decideBudgetTransfer', 'DecideBudgetTransferInput'),
    variables: async (f) => ({
      input: { transferId: await f.requestedTransfer(), approve: true, idempotencyKey: crypto.randomUUID() },
    }),
  },
  deliverBooking: {
    expected: CSM_OF_ACCOUNT_OR_ADMIN,
    document: withInput('deliverBooking', 'DeliverBookingInput'),
    variables: async (f) => ({
      input: { bookingId: await f.booking(), idempotencyKey: crypto.randomUUID() },
    }),
  },
  importCustomers: {
    expected: ADMIN_ONLY,
    document: m('($csv: String!)', 'importCustomers(csv: $csv)'),
    variables: () => ({
      csv: `external_id,name,tier,industry,region,channel_partner,fiscal_year,contribution,potential\nMX-${uniq()},Imported ${uniq()},D,,,,,,`,
    }),
  },
  linkBookingToOpportunity: {
    expected: ACCOUNT_TEAM,
    document: m('($b: ID!, $o: ID!)', 'linkBookingToOpportunity(bookingId: $b, opportunityId: $o)'),
    variables: async (f) => ({ b: await f.booking(), o: f.opportunityId }),
  },
  quotePaidService: {
    expected: ACCOUNT_TEAM,
    document: withInput('quotePaidService', 'QuotePaidServiceInput'),
    variables: (f) => ({ input: f.quoteInput() }),
  },
  recordAssessment: {
    expected: ACCOUNT_TEAM,
    document: withInput('recordAssessment', 'RecordAssessmentInput'),
    variables: (f) => ({
      input: {
        accountId: f.own.account.id,
        assessedOn: inDays(0),
        relationshipCloseness: 3,
        priceAcceptance: 3,
        solutionAcceptance: 3,
      },
    }),
  },
  recordOpportunityInvestment: {
    expected: ACCOUNT_TEAM,
    document: withInput('recordOpportunityInvestment', 'RecordOpportunityInvestmentInput'),
    variables: (f) => ({
      input: {
        opportunityId: f.opportunityId,
        cost: '10.00',
        description: 'matrix',
        spentOn: inDays(0),
        idempotencyKey: crypto.randomUUID(),
      },
    }),
  },
  requestBudgetTransfer: {
    expected: [U, A, N, A, F, F],
    document: withInput('requestBudgetTransfer', 'RequestBudgetTransferInput'),
    variables: (f) => ({ input: f.transferInput() }),
  },
  retireExpertService: {
    expected: ADMIN_ONLY,
    document: m('($s: ID!)', 'retireExpertService(serviceId: $s)'),
    variables: async (f) => ({ s: (await createFreeService(f.db, actorOf(f.users.admin), '5.00')).id }),
  },
  revokeApiToken: {
    expected: ADMIN_ONLY,
    document: m('($t: ID!)', 'revokeApiToken(tokenId: $t)'),
    variables: async (f) => ({ t: await f.apiToken() }),
  },
  setCostRate: {
    expected: ADMIN_ONLY,
    document: withInput('setCostRate', 'SetCostRateInput'),
    variables: (f) => ({
      input: { personId: f.org.expertPerson.id, effectiveFrom: freshDay(), ratePerHour: '100.00' },
    }),
  },
  setCustomerFinancials: {
    expected: FINANCE_OR_ADMIN,
    document: withInput('setCustomerFinancials', 'SetCustomerFinancialsInput'),
    variables: (f) => ({
      input: { accountId: f.own.account.id, fiscalYear: f.year, contribution: '100.00', potential: '200.00' },
    }),
  },
  setOperatingRatio: {
    expected: FINANCE_ONLY,
    document: m('($y: Int!)', 'setOperatingRatio(fiscalYear: $y, ratio: "0.05")'),
    variables: (f) => ({ y: f.year + 5 }),
  },
  setOpportunityStage: {
    expected: ACCOUNT_TEAM,
    document: m('($o: ID!)', 'setOpportunityStage(opportunityId: $o, stage: REGISTERED)'),
    variables: async (f) => ({ o: await f.hatchedOpportunity() }),
  },
  registerWebhookEndpoint: {
    expected: ADMIN_ONLY,
    document: withInput('registerWebhookEndpoint', 'RegisterWebhookEndpointInput'),
    variables: () => ({
      input: { url: `https://hooks.example.com/${uniq()}`, eventTypes: ['BUDGET_THRESHOLD_CROSSED'] },
    }),
  },
  rotateWebhookSecret: {
    expected: ADMIN_ONLY,
    document: m('($e: ID!)', 'rotateWebhookSecret(endpointId: $e)'),
    variables: async (f) => ({ e: (await f.webhookDelivery()).endpointId }),
  },
  setWebhookEndpointEnabled: {
    expected: ADMIN_ONLY,
    document: m('($e: ID!)', 'setWebhookEndpointEnabled(endpointId: $e, enabled: false)'),
    variables: async (f) => ({ e: (await f.webhookDelivery()).endpointId }),
  },
  redeliverWebhook: {
    expected: ADMIN_ONLY,
    document: m('($d: ID!)', 'redeliverWebhook(deliveryId: $d)'),
    variables: async (f) => ({ d: (await f.webhookDelivery()).deliveryId }),
  },
  markNotificationsRead: {
    expected: EVERYONE,
    document: m('($ids: [ID!]!)', 'markNotificationsRead(ids: $ids)'),
    variables: () => ({ ids: ['evt_1'] }),
  },
  reopenBudget: {
    expected: FINANCE_ONLY,
    document: withInput('reopenBudget', 'ReopenBudgetInput'),
    variables: async (f) => ({
      input: { budgetId: await f.closedBudget(), reason: 'matrix', idempotencyKey: crypto.randomUUID() },
    }),
  },
  setAlertThresholds: {
    expected: FINANCE_ONLY,
    document: m('', 'setAlertThresholds(tier: A, percents: ["75", "90", "100"])'),
    variables: () => ({}),
  },
  setCarryOverPolicy: {
    expected: FINANCE_ONLY,
    document: m('', 'setCarryOverPolicy(tier: C, maxPercent: "0")'),
    variables: () => ({}),
  },
  setOverrunPolicy: {
    expected: FINANCE_ONLY,
    document: m('', 'setOverrunPolicy(tier: A, policy: STOP)'),
    variables: () => ({}),
  },
  setReportSettings: {
    expected: FINANCE_ONLY,
    document: withInput('setReportSettings', 'ReportSettingsInput'),
    variables: () => ({
      input: {
        overShareFactor: '2',
        underSpendFactor: '0.5',
        underPotentialShareMin: '0.1',
        underuseRatio: '0.5',
        heavyUtilisation: '0.9',
        promotionUpliftMin: 2,
      },
    }),
  },
  setServicePrice: {
    expected: FINANCE_OR_ADMIN,
    document: withInput('setServicePrice', 'SetServicePriceInput'),
    variables: (f) => ({
      input: { serviceId: f.freeService.id, effectiveFrom: freshDay(), settlementPrice: '100.00' },
    }),
  },
  setSlaPolicy: {
    expected: ADMIN_ONLY,
    document: withInput('setSlaPolicy', 'SetSlaPolicyInput'),
    variables: () => ({ input: { tier: 'A', priority: 'P1', responseMinutes: 30, resolutionMinutes: 240 } }),
  },
  setTeamMembership: {
    expected: ADMIN_ONLY,
    document: withInput('setTeamMembership', 'TeamMembershipInput'),
    variables: (f) => ({ input: { teamId: f.org.expert.id, personId: f.org.expertPerson.id, member: true } }),
  },
  setTieringPolicy: {
    expected: FINANCE_OR_ADMIN,
    document: withInput('setTieringPolicy', 'SetTieringPolicyInput'),
    variables: (f) => ({
      input: {
        fiscalYear: f.year + 5,
        contributionThreshold: '1000000.00',
        potentialThreshold: '5000000.00',
      },
    }),
  },
  updateChannelPartner: {
    expected: ADMIN_ONLY,
    document: withInput('updateChannelPartner', 'UpdateChannelPartnerInput'),
    variables: (f) => ({ input: { partnerId: f.org.partner.id, implementerName: `Implementer ${uniq()}` } }),
  },
  updateCustomer: {
    expected: CSM_OF_ACCOUNT_OR_ADMIN,
    document: withInput('updateCustomer', 'UpdateCustomerInput'),
    variables: (f) => ({ input: { accountId: f.own.account.id, industry: `Industry ${uniq()}` } }),
  },
  updateDeliveryProject: {
    expected: ADMIN_ONLY,
    document: withInput('updateDeliveryProject', 'UpdateDeliveryProjectInput'),
    variables: (f) => ({ input: { projectId: f.projectId, name: `Project ${uniq()}` } }),
  },
  updatePerson: {
    expected: ADMIN_ONLY,
    document: withInput('updatePerson', 'UpdatePersonInput'),
    variables: (f) => ({ input: { personId: f.org.expertPerson.id, skills: [`skill-${uniq()}`] } }),
  },
};

/** The objects every row acts on, made through the API where a use case exists. */
export async function buildFixture(db: Database, server: TestServer) {
  const users = await createStandardUsers(db);
  const org = await createOrg(db, users);
  const finance = actorOf(users.finance);
  const own = await keyAccountWithBudget(db, org, finance, { amount: '100000.00' });
  const other = await keyAccountWithBudget(db, org, finance, { amount: '100000.00', csm: org.otherCsm.id });
  const freeService = await createFreeService(db, actorOf(users.admin), '100.00');
  const year = fiscalYearNow();

  /** Runs an operation that must succeed and returns its root field's value. */
  const must = async (token: string, document: string, variables: Record<string, unknown>) => {
    const response = await server.graphql<Record<string, Record<string, unknown>>>(
      token,
      document,
      variables,
    );
    const value = response.data ? Object.values(response.data)[0] : undefined;
    if (response.errors || !value || String(value.__typename).endsWith('Error'))
      throw new Error(`fixture step failed: ${JSON.stringify(response)}`);
    return value;
  };
  /** Creates an object through `field(input:)` and returns its id. */
  const create = async (
    token: string,
    field: string,
    inputType: string,
    resultType: string,
    input: Record<string, unknown>,
  ) =>
    String(
      (
        await must(
          token,
          `mutation($input: ${inputType}!) { ${field}(input: $input) { __typename ... on ${resultType} { id } } }`,
          { input },
        )
      ).id,
    );
  const admin = users.admin.token;
  const book = (input: Record<string, unknown>) =>
    create(admin, 'bookFreeService', 'BookFreeServiceInput', 'Booking', input);
  const quote = (input: Record<string, unknown>) =>
    create(admin, 'quotePaidService', 'QuotePaidServiceInput', 'PaidOrder', input);
  const createOpportunity = (accountId = own.account.id) =>
    create(admin, 'createOpportunity', 'CreateOpportunityInput', 'Opportunity', {
      accountId,
      name: `Opp ${uniq()}`,
      amount: '5000.00',
    });

  const paidServiceId = await create(
    admin,
    'createExpertService',
    'CreateExpertServiceInput',
    'ExpertService',
    {
      code: `PAID-${uniq().toUpperCase()}`,
      name: 'Paid service',
      kind: 'PAID',
      providingDepartment: 'DELIVERY',
      effectiveFrom: '2020-01-01',
      listPrice: '1000.00',
      internalCost: '400.00',
    },
  );
  const opportunityId = await createOpportunity();
  await must(
    admin,
    `mutation($o: ID!) { setOpportunityStage(opportunityId: $o, stage: REGISTERED) { __typename } }`,
    { o: opportunityId },
  );
  const projectId = await create(
    admin,
    'createDeliveryProject',
    'CreateDeliveryProjectInput',
    'DeliveryProject',
    {
      accountId: own.account.id,
      name: `Project ${uniq()}`,
    },
  );

  const bookingInput = () => ({
    accountId: own.account.id,
    serviceId: freeService.id,
    plannedDate: inDays(7),
    idempotencyKey: crypto.randomUUID(),
  });
  const quoteInput = () => ({
    accountId: own.account.id,
    serviceId: paidServiceId,
    requirement: 'matrix',
    estimatedHours: '8',
    idempotencyKey: crypto.randomUUID(),
  });
  const transferInput = () => ({
    fromBudgetId: own.budget.id,
    toBudgetId: other.budget.id,
    amount: '1.00',
    reason: 'matrix',
    idempotencyKey: crypto.randomUUID(),
  });
  // So the lists have a row of the account: a booking, a paid order, a tier suggestion (no
  // contribution or potential under a policy that asks for both).
  await book(bookingInput());
  await quote(quoteInput());
  await must(
    users.finance.token,
    `mutation($input: SetTieringPolicyInput!) { setTieringPolicy(input: $input) { __typename } }`,
    { input: { fiscalYear: year, contributionThreshold: '1000000.00', potentialThreshold: '5000000.00' } },
  );
  await must(
    users.finance.token,
    `mutation($input: SetCustomerFinancialsInput!) { setCustomerFinancials(input: $input) { __typename } }`,
    { input: { accountId: own.account.id, fiscalYear: year, contribution: '0.00', potential: '0.00' } },
  );

  // Objects of the other CSM's accounts, for "somebody else's id" cases.
  const otherSecond = await keyAccountWithBudget(db, org, finance, {
    amount: '1000.00',
    csm: org.otherCsm.id,
  });
  const otherBooking = await book({ ...bookingInput(), accountId: other.account.id });
  const otherOpportunityId = await createOpportunity(other.account.id);
  const otherOrder = await quote({ ...quoteInput(), accountId: other.account.id });

  return {
    db,
    users,
    otherObjects: {
      accountId: other.account.id,
      budgetId: other.budget.id,
      fromBudgetId: otherSecond.budget.id,
      bookingId: otherBooking,
      opportunityId: otherOpportunityId,
      orderId: otherOrder,
    } as Record<string, string>,
    org: org as Org,
    own,
    other,
    freeService,
    year,
    opportunityId,
    projectId,
    bookingInput,
    quoteInput,
    transferInput,
    tokens: {
      none: null,
      csmOwn: users.csm.token,
      csmOther: users.otherCsm.token,
      finance: users.finance.token,
      leader: users.salesLeader.token,
      admin: users.admin.token,
    } satisfies Record<Role, string | null>,
    booking: () => book(bookingInput()),
    quotedOrder: () => quote(quoteInput()),
    hatchedOpportunity: () => createOpportunity(),
    apiToken: async () =>
      String(
        (
          (await must(
            admin,
            `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { __typename ... on CreatedApiToken { token { id } } } }`,
            { input: { userId: users.finance.user.id, label: `matrix ${uniq()}` } },
          )) as { token: { id: string } }
        ).token.id,
      ),
    pendingException: async () => {
      // A fresh account whose small budget the booking does not fit: filed for approval.
      const small = await keyAccountWithBudget(db, org, finance, { amount: '10.00' });
      return book({
        ...bookingInput(),
        accountId: small.account.id,
        requestException: true,
        exceptionReason: 'matrix',
      });
    },
    /** A fresh key account's budget with nothing open on it (its carry-over policy is 0%: it lapses). */
    closableBudget: async () => (await keyAccountWithBudget(db, org, finance, { amount: '10.00' })).budget.id,
    closableYear: async () => {
      const fiscalYear = year + 5;
      await create(users.finance.token, 'createBudget', 'CreateBudgetInput', 'Budget', {
        accountId: (await org.customer('A')).id,
        fiscalYear,
        amount: '10.00',
        idempotencyKey: crypto.randomUUID(),
      });
      return fiscalYear;
    },
    closedBudget: async () => {
      const { budget } = await keyAccountWithBudget(db, org, finance, { amount: '10.00' });
      await must(
        users.finance.token,
        `mutation($input: CloseBudgetInput!) { closeBudget(input: $input) { __typename } }`,
        { input: { budgetId: budget.id, idempotencyKey: crypto.randomUUID() } },
      );
      return budget.id;
    },
    /** An endpoint (never called: example.com) with one finished delivery of an event of the own account. */
    webhookDelivery: async () => {
      const [endpoint] = await db('webhook_endpoints')
        .insert({
          url: `https://hooks.example.com/${uniq()}`,
          secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0',
          created_by: users.admin.user.id,
        })
        .returning('id');
      const [event] = await db('events')
        .insert({ type: 'fiscal_year.closing', account_id: own.account.id, payload: {} })
        .returning('id');
      const [delivery] = await db('webhook_deliveries')
        .insert({
          endpoint_id: endpoint.id,
          event_id: event.id,
          state: 'SUCCEEDED',
          attempt_count: 1,
          finished_at: db.fn.now(),
        })
        .returning('id');
      return { endpointId: endpoint.id as string, deliveryId: `whd_${delivery.id}` };
    },
    requestedTransfer: () =>
      create(
        users.finance.token,
        'requestBudgetTransfer',
        'RequestBudgetTransferInput',
        'BudgetTransfer',
        transferInput(),
      ),
  };
}
