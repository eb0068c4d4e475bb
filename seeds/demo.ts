// Demo data: loaded by `npm start` when the database is empty, or on demand by `npm run seed`.
// Idempotent: every row has a natural key and is inserted only when missing. Demo tokens are
// fixed strings so the README's example queries work as written; never enable in production.
import { isProductionDatabase } from '../src/modules/users/bootstrap';
import type { Knex } from 'knex';
import { hashToken } from '../src/modules/users/tokens';
import { DateTime } from 'luxon';
import type { Config } from '../src/config';
import type { Actor, Role } from '../src/shared/auth';
import { Decimal } from '../src/shared/money';
import { fiscalYearRange } from '../src/shared/fiscal';
import { createExpertService } from '../src/modules/catalog/service';
import { findServiceByCode } from '../src/modules/catalog/repository';
import { createBudget, setOperatingRatio } from '../src/modules/budgets/service';
import { bookFreeService, deliverBooking } from '../src/modules/budgets/service';
import * as outcomes from '../src/modules/outcomes/repository';
import type { OpportunityStage } from '../src/modules/outcomes/rules';

export type DemoUser = { key: string; name: string; email: string; roles: Role[]; token: string };

export const DEMO_USERS: DemoUser[] = [
  {
    key: 'admin',
    name: 'Wang Wei (admin)',
    email: 'admin@demo.example',
    roles: ['ADMIN'],
    token: 'demo_admin_token',
  },
  {
    key: 'finance',
    name: 'Zhao Min (finance)',
    email: 'finance@demo.example',
    roles: ['FINANCE'],
    token: 'demo_finance_token',
  },
  {
    key: 'salesLeader',
    name: 'Chen Jie (sales leader)',
    email: 'sales.leader@demo.example',
    roles: ['SALES_LEADER'],
    token: 'demo_sales_leader_token',
  },
  { key: 'csm', name: 'Li Na (CSM)', email: 'li.na@demo.example', roles: ['CSM'], token: 'demo_csm_token' },
  {
    key: 'csm2',
    name: 'Liu Yang (CSM)',
    email: 'liu.yang@demo.example',
    roles: ['CSM'],
    token: 'demo_csm2_token',
  },
];

/** fiscalYear: the demo's current fiscal year (figures, policy and budgets are set for it). */
export type DemoSeedOptions = { config: Config; fiscalYear: number };

async function seedUsers(trx: Knex.Transaction, options: DemoSeedOptions): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const user of DEMO_USERS) {
    await trx.raw(
      `insert into users (name, email, roles) values (?, ?, ?::text[]) on conflict ((lower(email))) do nothing`,
      [user.name, user.email, user.roles],
    );
    const row = await trx('users').whereRaw('lower(email) = ?', [user.email]).first('id');
    ids.set(user.key, row.id as string);
    await trx.raw(
      `insert into api_tokens (user_id, label, token_hash) values (?, 'demo', ?) on conflict (token_hash) do nothing`,
      [row.id, hashToken(options.config.tokenHashKey, user.token)],
    );
  }
  return ids;
}

async function idByName(
  trx: Knex.Transaction,
  table: string,
  name: string,
  insert: Record<string, unknown>,
): Promise<string> {
  const existing = await trx(table).whereRaw('lower(name) = lower(?)', [name]).first('id');
  if (existing) return existing.id as string;
  const [row] = await trx(table)
    .insert({ name, ...insert })
    .returning('id');
  return row.id as string;
}

type DemoPerson = {
  key: string;
  name: string;
  department: string;
  teams: string[];
  rate: string;
  userKey?: string;
};

export const DEMO_TEAMS = [
  { key: 'delivery', name: 'Delivery East', kind: 'DELIVERY' },
  { key: 'support', name: 'Support Hotline', kind: 'SUPPORT' },
  { key: 'csm', name: 'Customer Success', kind: 'CSM' },
  { key: 'expert', name: 'Expert Services', kind: 'EXPERT' },
];

const DEMO_PEOPLE: DemoPerson[] = [
  { key: 'liNa', name: 'Li Na', department: 'SERVICE', teams: ['csm'], rate: '450.00', userKey: 'csm' },
  {
    key: 'liuYang',
    name: 'Liu Yang',
    department: 'SERVICE',
    teams: ['csm'],
    rate: '420.00',
    userKey: 'csm2',
  },
  { key: 'zhouTao', name: 'Zhou Tao', department: 'SERVICE', teams: ['support'], rate: '260.00' },
  { key: 'sunQiang', name: 'Sun Qiang', department: 'SOLUTIONS', teams: ['expert'], rate: '800.00' },
  { key: 'huangLei', name: 'Huang Lei', department: 'PRESALES', teams: ['expert'], rate: '700.00' },
  { key: 'wuFang', name: 'Wu Fang', department: 'DELIVERY', teams: ['delivery'], rate: '380.00' },
  { key: 'maJun', name: 'Ma Jun', department: 'SALES', teams: [], rate: '500.00' },
];

type DemoCustomer = {
  externalId: string;
  name: string;
  tier: string;
  industry: string;
  region: string;
  csm?: string;
  partner?: boolean;
  contribution: string;
  potential: string;
};

/** One account of every tier, so every cell of the routing table can be queried. */
export const DEMO_CUSTOMERS: DemoCustomer[] = [
  {
    externalId: 'DEMO-A',
    name: 'Account A',
    tier: 'A',
    industry: 'Manufacturing',
    region: 'East',
    csm: 'liNa',
    contribution: '8000000.00',
    potential: '20000000.00',
  },
  {
    externalId: 'DEMO-C',
    name: 'Jinlong Retail',
    tier: 'C',
    industry: 'Retail',
    region: 'South',
    csm: 'liuYang',
    contribution: '1200000.00',
    potential: '15000000.00',
  },
  {
    externalId: 'DEMO-C2',
    name: 'Haitang Logistics',
    tier: 'C',
    industry: 'Logistics',
    region: 'North',
    contribution: '900000.00',
    potential: '9000000.00',
  },
  {
    externalId: 'DEMO-B',
    name: 'Baiyun Pharma',
    tier: 'B',
    industry: 'Healthcare',
    region: 'South',
    contribution: '3000000.00',
    potential: '2000000.00',
  },
  {
    externalId: 'DEMO-B2',
    name: 'Qingshan Energy',
    tier: 'B',
    industry: 'Energy',
    region: 'West',
    contribution: '600000.00',
    potential: '12000000.00',
  },
  {
    externalId: 'DEMO-D',
    name: 'Xiaomei Studio',
    tier: 'D',
    industry: 'Media',
    region: 'East',
    contribution: '150000.00',
    potential: '300000.00',
  },
  {
    externalId: 'DEMO-E',
    name: 'Donghai Foods',
    tier: 'E',
    industry: 'Food',
    region: 'East',
    partner: true,
    contribution: '400000.00',
    potential: '800000.00',
  },
];

const SLA_MINUTES: Record<string, [number, number][]> = {
  // [response, resolution] for P1..P4: key accounts answer faster.
  A: [
    [15, 240],
    [30, 480],
    [120, 1440],
    [480, 4320],
  ],
  C: [
    [15, 240],
    [30, 480],
    [120, 1440],
    [480, 4320],
  ],
  B: [
    [30, 480],
    [60, 960],
    [240, 2880],
    [960, 7200],
  ],
  D: [
    [60, 960],
    [120, 1440],
    [480, 4320],
    [1440, 10080],
  ],
  E: [
    [60, 960],
    [120, 1440],
    [480, 4320],
    [1440, 10080],
  ],
};

async function seedOrganisation(
  trx: Knex.Transaction,
  userIds: Map<string, string>,
  options: DemoSeedOptions,
): Promise<void> {
  const teamIds = new Map<string, string>();
  for (const team of DEMO_TEAMS)
    teamIds.set(team.key, await idByName(trx, 'teams', team.name, { kind: team.kind }));
  const personIds = new Map<string, string>();
  for (const person of DEMO_PEOPLE) {
    const id = await idByName(trx, 'people', person.name, {
      department: person.department,
      user_id: person.userKey ? userIds.get(person.userKey) : null,
    });
    personIds.set(person.key, id);
    for (const team of person.teams) {
      await trx('team_members')
        .insert({ team_id: teamIds.get(team), person_id: id })
        .onConflict(['team_id', 'person_id'])
        .ignore();
    }
    await trx('person_cost_rates')
      .insert({ person_id: id, effective_from: '2026-01-01', rate_per_hour: person.rate, currency: 'CNY' })
      .onConflict(['person_id', 'effective_from'])
      .ignore();
  }
  const partnerId = await idByName(trx, 'channel_partners', 'Partner Tech Co.', {
    implementer_name: 'Zheng Hui',
    implementer_contact: 'zheng.hui@partner.example',
  });
  for (const customer of DEMO_CUSTOMERS) {
    let existing = await trx('customers').where({ external_id: customer.externalId }).first('id');
    if (!existing) {
      [existing] = await trx('customers')
        .insert({
          external_id: customer.externalId,
          name: customer.name,
          tier: customer.tier,
          industry: customer.industry,
          region: customer.region,
          sales_rep_person_id: personIds.get('maJun'),
          channel_partner_id: customer.partner ? partnerId : null,
          csm_person_id: customer.csm ? personIds.get(customer.csm) : null,
          support_team_id: teamIds.get('support'),
          expert_team_id: teamIds.get('expert'),
        })
        .returning('id');
      await trx('customer_tier_history').insert({
        account_id: existing.id,
        from_tier: null,
        to_tier: customer.tier,
        effective_from: trx.raw('now()'),
        reason: 'demo data',
      });
    }
    await trx('customer_financials')
      .insert({
        account_id: existing.id,
        fiscal_year: options.fiscalYear,
        contribution: customer.contribution,
        potential: customer.potential,
        currency: 'CNY',
      })
      .onConflict(['account_id', 'fiscal_year'])
      .ignore();
  }
  const accountId = async (externalId: string) =>
    (await trx('customers').where({ external_id: externalId }).first('id')).id as string;
  const projects = [
    { account: 'DEMO-A', name: 'ERP rollout', contract: 'CT-2026-001', contact: personIds.get('wuFang') },
    { account: 'DEMO-B', name: 'Warehouse integration', contract: 'CT-2026-014', contact: null },
  ];
  for (const project of projects) {
    const id = await accountId(project.account);
    if (!(await trx('delivery_projects').where({ account_id: id, name: project.name }).first('id'))) {
      await trx('delivery_projects').insert({
        account_id: id,
        name: project.name,
        contract_reference: project.contract,
        delivery_team_id: teamIds.get('delivery'),
        contact_person_id: project.contact,
      });
    }
  }
  for (const [tier, targets] of Object.entries(SLA_MINUTES)) {
    for (const [index, [response, resolution]] of targets.entries()) {
      await trx('sla_policies')
        .insert({
          tier,
          priority: `P${index + 1}`,
          response_minutes: response,
          resolution_minutes: resolution,
        })
        .onConflict(['tier', 'priority'])
        .ignore();
    }
  }
  await trx('tiering_policies')
    .insert({
      fiscal_year: options.fiscalYear,
      contribution_threshold: '2000000.00',
      potential_threshold: '5000000.00',
      currency: 'CNY',
    })
    .onConflict('fiscal_year')
    .ignore();
}

/** The free-service menu of DOMAIN.md section 6, with demo settlement prices. */
export const DEMO_FREE_SERVICES = [
  {
    code: 'PROJECT_REVIEW',
    name: 'Project review and effect assessment',
    effects: ['OPPORTUNITY', 'SOLUTION_ACCEPTANCE'],
    price: '40000.00',
    department: 'SOLUTIONS',
  },
  {
    code: 'BRAINSTORMING',
    name: 'Brainstorming workshop',
    effects: ['OPPORTUNITY'],
    price: '30000.00',
    department: 'SOLUTIONS',
  },
  {
    code: 'OPTIMISATION_ADVICE',
    name: 'Optimisation and improvement advice',
    effects: ['OPPORTUNITY', 'SOLUTION_ACCEPTANCE'],
    price: '25000.00',
    department: 'SERVICE',
  },
  {
    code: 'PRODUCT_TRIAL',
    name: 'Free product trial',
    effects: ['PRICE_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS'],
    price: '15000.00',
    department: 'PRESALES',
  },
  {
    code: 'TRAINING_SERIES',
    name: 'Training series',
    effects: ['PRICE_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS'],
    price: '20000.00',
    department: 'SERVICE',
  },
  {
    code: 'FEATURE_RECOMMENDATION',
    name: 'New product/solution feature recommendation',
    effects: [],
    price: '10000.00',
    department: 'PRESALES',
  },
  {
    code: 'CASE_VISIT',
    name: 'Latest case introduction and site visit',
    effects: ['OPPORTUNITY', 'RELATIONSHIP_CLOSENESS'],
    price: '30000.00',
    department: 'PRESALES',
  },
  {
    code: 'ACCOUNT_MEETINGS',
    name: 'Regular account meetings',
    effects: ['SOLUTION_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS'],
    price: '5000.00',
    department: 'SERVICE',
  },
  {
    code: 'EXPERIENCE_FIX',
    name: 'Special budget to fix a major experience problem',
    effects: ['PRICE_ACCEPTANCE', 'SOLUTION_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS'],
    price: '50000.00',
    department: 'SERVICE',
  },
] as const;

/** The worked example of DOMAIN.md section 5: the three services the CSM books for account A. */
export const WORKED_EXAMPLE_BOOKINGS = ['BRAINSTORMING', 'PROJECT_REVIEW', 'CASE_VISIT'] as const;

async function actorFor(trx: Knex.Transaction, key: string): Promise<Actor> {
  const user = DEMO_USERS.find((u) => u.key === key)!;
  const row = await trx('users').whereRaw('lower(email) = ?', [user.email]).first('id');
  const person = await trx('people').where({ user_id: row.id }).first('id');
  return { userId: row.id, name: user.name, roles: user.roles, personId: person?.id ?? null };
}

/** What the real use cases need to run as a demo user, inside the seeding transaction. */
function seedContext(trx: Knex.Transaction, options: DemoSeedOptions, actor: Actor) {
  return {
    db: trx,
    actor,
    requestId: 'demo-seed',
    fiscalCalendar: options.config.fiscal,
    config: options.config,
  };
}

/** Catalog, ratio, account A's budget and its three bookings, through the real use cases. */
async function seedMoney(trx: Knex.Transaction, options: DemoSeedOptions): Promise<void> {
  const context = (actor: Actor) => seedContext(trx, options, actor);
  const admin = await actorFor(trx, 'admin');
  const finance = await actorFor(trx, 'finance');
  const csm = await actorFor(trx, 'csm');
  const yearStart = fiscalYearRange(options.config.fiscal, options.fiscalYear).firstDay;
  for (const service of DEMO_FREE_SERVICES) {
    if (await findServiceByCode(trx, service.code)) continue;
    await createExpertService(context(admin), {
      code: service.code,
      name: service.name,
      kind: 'FREE',
      providingDepartment: service.department,
      effects: [...service.effects],
      effectiveFrom: yearStart,
      settlementPrice: new Decimal(service.price),
      currency: 'CNY',
    });
  }
  await setOperatingRatio(context(finance), { fiscalYear: options.fiscalYear, ratio: new Decimal('0.02') });
  const account = await trx('customers').where({ external_id: 'DEMO-A' }).first('id');
  // Fixed idempotency keys: seeding again finds these and changes nothing.
  await createBudget(context(finance), {
    accountId: account.id,
    fiscalYear: options.fiscalYear,
    revenueTarget: new Decimal('10000000.00'),
    openingUsed: new Decimal('50000.00'),
    currency: 'CNY',
    idempotencyKey: `demo-budget-A-FY${options.fiscalYear}`,
  });
  const lastDay = fiscalYearRange(options.config.fiscal, options.fiscalYear).lastDay;
  for (const [index, code] of WORKED_EXAMPLE_BOOKINGS.entries()) {
    const service = (await findServiceByCode(trx, code))!;
    const planned = DateTime.now()
      .setZone(options.config.fiscal.timeZone)
      .plus({ days: 7 * (index + 1) })
      .toISODate()!;
    await bookFreeService(context(csm), {
      accountId: account.id,
      serviceId: service.id,
      plannedDate: planned < lastDay ? planned : lastDay,
      notes: 'worked example (DOMAIN.md section 5)',
      idempotencyKey: `demo-booking-A-FY${options.fiscalYear}-${code}`,
    });
  }
}

/** Jinlong Retail (C, CSM Liu Yang): a budget with opening use and one delivered free service. */
async function seedSecondKeyAccount(trx: Knex.Transaction, options: DemoSeedOptions): Promise<void> {
  const context = (actor: Actor) => seedContext(trx, options, actor);
  const finance = await actorFor(trx, 'finance');
  const csm = await actorFor(trx, 'csm2');
  const account = await trx('customers').where({ external_id: 'DEMO-C' }).first('id');
  await createBudget(context(finance), {
    accountId: account.id,
    fiscalYear: options.fiscalYear,
    revenueTarget: new Decimal('5000000.00'),
    openingUsed: new Decimal('20000.00'),
    currency: 'CNY',
    idempotencyKey: `demo-budget-C-FY${options.fiscalYear}`,
  });
  const training = (await findServiceByCode(trx, 'TRAINING_SERIES'))!;
  const booking = await bookFreeService(context(csm), {
    accountId: account.id,
    serviceId: training.id,
    plannedDate: DateTime.now().setZone(options.config.fiscal.timeZone).toISODate()!,
    notes: 'store staff training, three sessions',
    idempotencyKey: `demo-booking-C-FY${options.fiscalYear}-TRAINING_SERIES`,
  });
  await deliverBooking(context(csm), {
    bookingId: booking.id,
    actualCost: new Decimal('18500.00'),
    idempotencyKey: `demo-delivery-C-FY${options.fiscalYear}-TRAINING_SERIES`,
  });
}

type DemoOpportunity = {
  name: string;
  amount: string;
  /** Days as fractions of the fiscal year so far (0: its first day, 1: today). */
  hatched: number;
  registered?: number;
  closed?: { stage: Extract<OpportunityStage, 'WON' | 'LOST'>; at: number };
  /** Codes of the account's demo bookings that contributed. */
  bookings?: string[];
};

type DemoOutcomes = {
  account: string;
  csm: string;
  assessments: { at: number; scores: [number, number, number]; note: string }[];
  opportunities: DemoOpportunity[];
};

/** A year of outcomes for the ROI reports: assessments before and after, deals hatched to won or lost. */
export const DEMO_OUTCOMES: DemoOutcomes[] = [
  {
    account: 'DEMO-A',
    csm: 'csm',
    assessments: [
      { at: 0.05, scores: [2, 3, 2], note: 'new CIO; the ERP rollout ran late' },
      { at: 0.95, scores: [4, 4, 3], note: 'after the project review: sponsor engaged, phase 2 signed' },
    ],
    opportunities: [
      {
        name: 'ERP phase 2',
        amount: '1500000.00',
        hatched: 0.15,
        registered: 0.3,
        closed: { stage: 'WON', at: 0.8 },
      },
      {
        name: 'Data platform',
        amount: '400000.00',
        hatched: 0.2,
        registered: 0.4,
        closed: { stage: 'LOST', at: 0.6 },
      },
      { name: 'MES rollout', amount: '600000.00', hatched: 0.9, bookings: ['BRAINSTORMING'] },
    ],
  },
  {
    account: 'DEMO-C',
    csm: 'csm2',
    assessments: [
      { at: 0.1, scores: [3, 2, 2], note: 'price pressure from a competitor' },
      { at: 0.9, scores: [3, 3, 4], note: 'training accepted; renewal at list price' },
    ],
    opportunities: [
      {
        name: 'Store analytics',
        amount: '800000.00',
        hatched: 0.25,
        registered: 0.5,
        closed: { stage: 'WON', at: 0.85 },
        bookings: ['TRAINING_SERIES'],
      },
      { name: 'Loyalty app', amount: '300000.00', hatched: 0.7 },
    ],
  },
  {
    account: 'DEMO-C2',
    csm: 'admin',
    assessments: [{ at: 0.5, scores: [2, 2, 2], note: 'no CSM yet; one visit by the regional manager' }],
    opportunities: [],
  },
];

async function seedOutcomes(trx: Knex.Transaction, options: DemoSeedOptions): Promise<void> {
  const timeZone = options.config.fiscal.timeZone;
  const year = fiscalYearRange(options.config.fiscal, options.fiscalYear);
  const first = DateTime.fromISO(year.firstDay, { zone: timeZone });
  const last = DateTime.fromISO(year.lastDay, { zone: timeZone });
  // Outcomes happen between the year's first day and today (or its last day, for a past year).
  const end = DateTime.min(DateTime.now().setZone(timeZone).startOf('day'), last);
  const span = Math.max(0, Math.floor(end.diff(first, 'days').days));
  const day = (at: number) => first.plus({ days: Math.round(span * at) }).toISODate()!;
  for (const demo of DEMO_OUTCOMES) {
    const account = await trx('customers').where({ external_id: demo.account }).first('id');
    const author = await actorFor(trx, demo.csm);
    if (!(await trx('relationship_assessments').where({ account_id: account.id }).first('id')))
      for (const assessment of demo.assessments)
        await outcomes.insertAssessment(trx, {
          accountId: account.id,
          assessedOn: day(assessment.at),
          relationshipCloseness: assessment.scores[0],
          solutionAcceptance: assessment.scores[1],
          priceAcceptance: assessment.scores[2],
          assessorUserId: author.userId,
          note: assessment.note,
        });
    for (const deal of demo.opportunities) {
      if (await trx('opportunities').where({ account_id: account.id, name: deal.name }).first('id')) continue;
      const opportunity = await outcomes.insertOpportunity(trx, {
        accountId: account.id,
        name: deal.name,
        amount: new Decimal(deal.amount),
        currency: 'CNY',
        stage: deal.registered === undefined ? 'HATCHED' : 'REGISTERED',
        ownerUserId: author.userId,
        hatchedOn: day(deal.hatched),
        registeredOn: deal.registered === undefined ? null : day(deal.registered),
      });
      if (deal.closed)
        await outcomes.updateOpportunityStage(trx, opportunity.id, deal.closed.stage, day(deal.closed.at));
      for (const code of deal.bookings ?? []) {
        const booking = await trx('bookings as b')
          .join('expert_services as s', 's.id', 'b.service_id')
          .where({ 'b.account_id': account.id, 's.code': code })
          .first('b.id');
        await outcomes.linkBooking(trx, opportunity.id, booking.id, account.id);
      }
    }
  }
}

export class DemoRefusedError extends Error {}

export async function seedDemo(db: Knex, options: DemoSeedOptions): Promise<void> {
  // The demo users' tokens are published in the README: never in production.
  if (options.config.env === 'production')
    throw new DemoRefusedError(
      'the demo data cannot be loaded with NODE_ENV=production (its tokens are published)',
    );
  await db.transaction(async (trx) => {
    // One seeder at a time, so two instances starting together do not race each other.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['demo-seed']);
    if (await isProductionDatabase(trx))
      throw new DemoRefusedError(
        'this database has run in production: the demo data (with published tokens) is never loaded into it',
      );
    const userIds = await seedUsers(trx, options);
    await seedOrganisation(trx, userIds, options);
    await seedMoney(trx, options);
    await seedSecondKeyAccount(trx, options);
    await seedOutcomes(trx, options);
  });
}

/** True when no user exists yet: the signal to load demo data at start-up. */
export async function databaseIsEmpty(db: Knex): Promise<boolean> {
  const row = await db('users').first('id');
  return row === undefined;
}
