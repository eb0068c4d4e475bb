// GraphQL for opportunities and the investment made to win them.
import { accountScoped, builder } from '../../graphql/builder';
import { IDEMPOTENCY_KEY_DESCRIPTION } from '../../shared/idempotency';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../graphql/errors';
import { CustomerRef } from '../customers/graphql';
import { ExpertServiceRef } from '../catalog/graphql';
import { BookingRef, MONEY_ERRORS } from '../budgets/graphql';
import * as loaders from './loaders';
import type { Assessment, Investment, Opportunity } from './loaders';
import { OPPORTUNITY_STAGES } from './rules';
import * as service from './service';
import { optionalId } from '../../shared/ids';

const StageEnum = builder.enumType('OpportunityStage', {
  description: 'Where an opportunity is.',
  values: {
    HATCHED: { description: 'Hatched from customer operation, not yet registered.' },
    REGISTERED: {
      description: 'Registered as a sales opportunity: free resources to win it are pre-sales cost.',
    },
    WON: { description: 'Won.' },
    LOST: { description: 'Lost.' },
  } satisfies Record<(typeof OPPORTUNITY_STAGES)[number], { description: string }>,
});

const InvestmentRef = builder.objectRef<Investment>('OpportunityInvestment').implement({
  ...accountScoped<Investment>((i) => i.accountId),
  description:
    'Free resources spent to win a registered opportunity: its pre-sales cost, never charged to the operating budget.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    service: t.field({
      type: ExpertServiceRef,
      nullable: true,
      description: 'The service given, if from the catalog.',
      resolve: (i) => i.serviceId,
    }),
    cost: t.field({ type: 'Money', description: 'Internal cost.', resolve: (i) => i.cost }),
    currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (i) => i.currency }),
    spentOn: t.field({ type: 'Date', description: 'When.', resolve: (i) => i.spentOn }),
    description: t.exposeString('description', { description: 'What was done.' }),
  }),
});

export const OpportunityRef = builder.objectRef<Opportunity>('Opportunity').implement({
  ...accountScoped<Opportunity>((o) => o.accountId),
  description: 'An opportunity hatched or caught with a key account.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    account: t.field({ type: CustomerRef, description: 'The account.', resolve: (o) => o.accountId }),
    name: t.exposeString('name', { description: 'Name.' }),
    amount: t.field({ type: 'Money', description: 'Expected deal amount.', resolve: (o) => o.amount }),
    currency: t.field({ type: 'Currency', description: 'Currency.', resolve: (o) => o.currency }),
    stage: t.field({ type: StageEnum, description: 'Stage.', resolve: (o) => o.stage }),
    hatchedOn: t.field({ type: 'Date', description: 'When it was hatched.', resolve: (o) => o.hatchedOn }),
    registeredOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When it was registered.',
      resolve: (o) => o.registeredOn,
    }),
    closedOn: t.field({
      type: 'Date',
      nullable: true,
      description: 'When it was won or lost.',
      resolve: (o) => o.closedOn,
    }),
    investments: t.loadableGroup({
      type: InvestmentRef,
      description: 'Pre-sales investment made to win it.',
      load: (ids: string[], context) => loaders.investmentsOfOpportunities(context, ids),
      group: (i) => i.opportunityId,
      resolve: (o) => o.id,
    }),
  }),
});

builder.objectField(CustomerRef, 'opportunities', (t) =>
  t.loadableGroup({
    type: OpportunityRef,
    description: 'Opportunities of the account, newest first.',
    load: (ids: string[], context) => loaders.opportunitiesOfAccounts(context, ids),
    group: (o) => o.accountId,
    resolve: (c) => c.id,
  }),
);

const CreateOpportunityInput = builder.inputType('CreateOpportunityInput', {
  description: 'A new opportunity.',
  fields: (t) => ({
    accountId: t.id({ description: 'Account.' }),
    name: t.string({ description: 'Name.' }),
    amount: t.field({ type: 'Money', description: 'Expected deal amount.' }),
    currency: t.field({
      type: 'Currency',
      required: false,
      description: 'Currency; the default when omitted.',
    }),
    registered: t.boolean({ required: false, description: 'Already registered (default: hatched only).' }),
    hatchedOn: t.field({
      type: 'Date',
      required: false,
      description: 'When it was hatched (today when omitted).',
    }),
  }),
});

const InvestmentInput = builder.inputType('RecordOpportunityInvestmentInput', {
  description: 'Free resources spent to win a registered opportunity.',
  fields: (t) => ({
    opportunityId: t.id({ description: 'A REGISTERED opportunity.' }),
    serviceId: t.id({ required: false, description: 'The service given, if from the catalog.' }),
    cost: t.field({ type: 'Money', description: 'Internal cost (> 0).' }),
    spentOn: t.field({ type: 'Date', description: 'When.' }),
    description: t.string({ description: 'What was done.' }),
    idempotencyKey: t.string({
      description: IDEMPOTENCY_KEY_DESCRIPTION,
    }),
  }),
});

builder.mutationFields((t) => ({
  createOpportunity: t.field({
    type: OpportunityRef,
    description: 'Records an opportunity. The account’s CSM, a SALES_LEADER or an ADMIN.',
    authScopes: { $any: { csm: true, salesLeader: true, admin: true } },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateOpportunityInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.createOpportunity(context, {
        ...input,
        accountId: String(input.accountId),
        currency: input.currency ?? context.config.defaultCurrency,
      }),
  }),
  setOpportunityStage: t.field({
    type: OpportunityRef,
    description: 'Moves an opportunity forward (HATCHED → REGISTERED → WON or LOST).',
    authScopes: { $any: { csm: true, salesLeader: true, admin: true } },
    errors: { types: MONEY_ERRORS },
    args: {
      opportunityId: t.arg.id({ description: 'Opportunity.' }),
      stage: t.arg({ type: StageEnum, description: 'New stage.' }),
    },
    resolve: (_root, args, context) =>
      service.setOpportunityStage(context, { opportunityId: String(args.opportunityId), stage: args.stage }),
  }),
  recordOpportunityInvestment: t.field({
    type: InvestmentRef,
    description:
      'Records free resources spent to win a registered opportunity (not charged to the operating budget).',
    authScopes: { $any: { csm: true, salesLeader: true, admin: true } },
    errors: { types: MONEY_ERRORS },
    args: { input: t.arg({ type: InvestmentInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.recordOpportunityInvestment(context, {
        ...input,
        opportunityId: String(input.opportunityId),
        serviceId: optionalId(input.serviceId, 'input.serviceId') ?? null,
      }),
  }),
}));

const AssessmentRef = builder.objectRef<Assessment>('RelationshipAssessment').implement({
  ...accountScoped<Assessment>((a) => a.accountId),
  description:
    'Scores of the business relationship on a 1–5 scale (1 poor, 2 weak, 3 neutral, 4 good, 5 excellent).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    assessedOn: t.field({
      type: 'Date',
      description: 'Day of the assessment.',
      resolve: (a) => a.assessedOn,
    }),
    relationshipCloseness: t.exposeInt('relationshipCloseness', {
      description: 'Closeness of the relationship, 1–5.',
    }),
    solutionAcceptance: t.exposeInt('solutionAcceptance', {
      description: 'Acceptance of our solutions, 1–5.',
    }),
    priceAcceptance: t.exposeInt('priceAcceptance', { description: 'Acceptance of our prices, 1–5.' }),
    assessorUserId: t.exposeID('assessorUserId', { description: 'Who assessed.' }),
    note: t.exposeString('note', { description: 'Note.' }),
  }),
});

builder.objectField(CustomerRef, 'assessments', (t) =>
  t.loadableGroup({
    type: AssessmentRef,
    description: 'Relationship assessments, newest first.',
    load: (ids: string[], context) => loaders.assessmentsOfAccounts(context, ids),
    group: (a) => a.accountId,
    resolve: (c) => c.id,
  }),
);

builder.objectField(OpportunityRef, 'contributingBookingIds', (t) =>
  t.loadableGroup({
    type: builder
      .objectRef<{ opportunityId: string; bookingId: string }>('OpportunityBookingLink')
      .implement({
        description: 'A free-service booking that contributed to an opportunity.',
        fields: (l) => ({ bookingId: l.exposeID('bookingId', { description: 'The booking.' }) }),
      }),
    description: 'Free-service bookings that contributed to it, as links holding the booking id.',
    deprecationReason: 'Use contributingBookings: the name says ids, but the field answers link objects.',
    load: (ids: string[], context) => loaders.bookingLinksOfOpportunities(context, ids),
    group: (l) => l.opportunityId,
    resolve: (o) => o.id,
  }),
);

builder.objectField(OpportunityRef, 'contributingBookings', (t) =>
  t.loadableGroup({
    type: BookingRef,
    description:
      'Free-service bookings that contributed to it (each checked like any booking: its account must be readable).',
    load: (ids: string[], context) => loaders.bookingsOfOpportunities(context, ids),
    // The loaded shapes are bookings, each with the opportunity it is linked to.
    group: (booking) => (booking as unknown as { opportunityId: string }).opportunityId,
    resolve: (o) => o.id,
  }),
);

const AssessmentInput = builder.inputType('RecordAssessmentInput', {
  description: 'A relationship assessment of an account.',
  fields: (t) => ({
    accountId: t.id({ description: 'Account.' }),
    assessedOn: t.field({ type: 'Date', description: 'Day of the assessment (not in the future).' }),
    relationshipCloseness: t.int({ description: '1–5.' }),
    solutionAcceptance: t.int({ description: '1–5.' }),
    priceAcceptance: t.int({ description: '1–5.' }),
    note: t.string({ required: false, description: 'Note.' }),
  }),
});

builder.mutationFields((t) => ({
  recordAssessment: t.field({
    type: AssessmentRef,
    description: 'Records a relationship assessment. The account’s CSM, a SALES_LEADER or an ADMIN.',
    authScopes: { $any: { csm: true, salesLeader: true, admin: true } },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: AssessmentInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.recordAssessment(context, { ...input, accountId: String(input.accountId) }),
  }),
  linkBookingToOpportunity: t.field({
    type: OpportunityRef,
    description: 'Records that a free-service booking contributed to an opportunity of the same account.',
    authScopes: { $any: { csm: true, salesLeader: true, admin: true } },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: {
      opportunityId: t.arg.id({ description: 'Opportunity.' }),
      bookingId: t.arg.id({ description: 'Booking.' }),
    },
    resolve: (_root, args, context) =>
      service.linkBookingToOpportunity(context, {
        opportunityId: String(args.opportunityId),
        bookingId: String(args.bookingId),
      }),
  }),
}));
