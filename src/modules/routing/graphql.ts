// GraphQL for coverage and routing: delivery projects, SLA policies, route(accountId, need) and
// the coverage-gap report, plus the ADMIN mutations that assign coverage.
import { accountScoped, builder } from '../../graphql/builder';
import { optionalId } from '../../shared/ids';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../graphql/errors';
import { CustomerRef, TierEnum } from '../customers/graphql';
import { PersonRef, TeamRef } from '../teams/graphql';
import * as loaders from './loaders';
import type { DeliveryProject } from './service';
import { GAP_KINDS, NEEDS, PRIORITIES, type Gap, type Hop, type Sla } from './rules';
import * as service from './service';

const NeedEnum = builder.enumType('Need', {
  description: 'What the customer needs (the columns of the routing table).',
  values: {
    PRODUCT_PROBLEM: { description: 'A problem with the standard product: support to the SLA.' },
    EXPERT_SERVICE: {
      description: 'An expert service: free or paid for key accounts via the CSM, paid only for others.',
    },
    CUSTOMISATION: {
      description: 'Customised or contract work: project delivery, or the partner’s implementer for tier E.',
    },
  } satisfies Record<(typeof NEEDS)[number], { description: string }>,
});

const PriorityEnum = builder.enumType('Priority', {
  description: 'Urgency of a support request; SLA targets are set per tier and priority.',
  values: {
    P1: { description: 'Critical: production down.' },
    P2: { description: 'High: a major function impaired.' },
    P3: { description: 'Normal.' },
    P4: { description: 'Low: questions and minor issues.' },
  } satisfies Record<(typeof PRIORITIES)[number], { description: string }>,
});

const HopRoleEnum = builder.enumType('HopRole', {
  description: 'Who a hop of a route goes to.',
  values: {
    CSM: { description: 'The account’s customer success manager.' },
    SUPPORT: { description: 'The support team, to the SLA.' },
    EXPERT: { description: 'The expert team.' },
    DELIVERY: { description: 'A delivery project’s contact.' },
    CHANNEL_PARTNER: { description: 'The channel partner’s implementer.' },
  },
});

export const GapKindEnum = builder.enumType('GapKind', {
  description: 'An assignment that is missing, so a route cannot name who serves.',
  values: {
    MISSING_CSM: { description: 'A key account (A/C) has no CSM.' },
    MISSING_SUPPORT_TEAM: { description: 'The account has no support team.' },
    MISSING_EXPERT_TEAM: { description: 'The account has no expert team.' },
    MISSING_DELIVERY_PROJECT: {
      description: 'Customisation was asked for but the account has no active delivery project.',
    },
    MISSING_PROJECT_CONTACT: { description: 'An active delivery project has no named contact.' },
    MISSING_PARTNER_IMPLEMENTER: {
      description: 'A tier E account’s channel partner has no implementer named.',
    },
    MISSING_SLA_POLICY: { description: 'No SLA targets are set for the tier and priority.' },
  } satisfies Record<(typeof GAP_KINDS)[number], { description: string }>,
});

const SlaRef = builder.objectRef<Sla>('SlaPolicy').implement({
  description: 'Support response and resolution targets for a tier and priority.',
  fields: (t) => ({
    tier: t.field({ type: TierEnum, description: 'Tier.', resolve: (s) => s.tier }),
    priority: t.field({ type: PriorityEnum, description: 'Priority.', resolve: (s) => s.priority }),
    responseMinutes: t.exposeInt('responseMinutes', {
      description: 'First response due within this many minutes.',
    }),
    resolutionMinutes: t.exposeInt('resolutionMinutes', {
      description: 'Resolution due within this many minutes.',
    }),
  }),
});

const GapRef = builder.objectRef<Gap>('RouteGap').implement({
  description: 'A missing assignment on a route.',
  fields: (t) => ({
    kind: t.field({ type: GapKindEnum, description: 'What is missing.', resolve: (g) => g.kind }),
    message: t.exposeString('message', { description: 'In words.' }),
    projectId: t.exposeID('projectId', { nullable: true, description: 'The project concerned, if any.' }),
  }),
});

const HopRef = builder.objectRef<Hop>('RouteHop').implement({
  description: 'One step of a route: who serves at this point, or the gap where nobody is assigned.',
  fields: (t) => ({
    step: t.exposeInt('step', { description: '1 for the first contact, then onward.' }),
    role: t.field({ type: HopRoleEnum, description: 'Who this hop goes to.', resolve: (h) => h.role }),
    description: t.exposeString('description', { description: 'What happens at this hop.' }),
    team: t.field({
      type: TeamRef,
      nullable: true,
      description: 'The team, where assigned.',
      resolve: (h) => h.teamId,
    }),
    person: t.field({
      type: PersonRef,
      nullable: true,
      description: 'The person, where assigned.',
      resolve: (h) => h.personId,
    }),
    externalContact: t.exposeString('externalContact', {
      nullable: true,
      description: 'Someone outside the vendor (partner implementer).',
    }),
    projectId: t.exposeID('projectId', { nullable: true, description: 'Delivery project of this hop.' }),
    sla: t.field({
      type: SlaRef,
      nullable: true,
      description: 'SLA targets (support hops).',
      resolve: (h) => h.sla,
    }),
    gap: t.field({
      type: GapRef,
      nullable: true,
      description: 'What is missing at this hop.',
      resolve: (h) => h.gap,
    }),
  }),
});

const RouteRef = builder.objectRef<service.RouteView>('Route').implement({
  ...accountScoped<service.RouteView>((r) => r.accountId),
  description: 'Who serves a need of an account, hop by hop (README, The domain: teams and routing).',
  fields: (t) => ({
    account: t.field({ type: CustomerRef, description: 'The account.', resolve: (r) => r.accountId }),
    tier: t.field({
      type: TierEnum,
      description: 'Its tier, which decides the route.',
      resolve: (r) => r.tier,
    }),
    need: t.field({ type: NeedEnum, description: 'The need routed.', resolve: (r) => r.need }),
    hops: t.field({ type: [HopRef], description: 'The hops in order.', resolve: (r) => r.hops }),
    gaps: t.field({
      type: [GapRef],
      description: 'Every missing assignment on this route (empty when fully covered).',
      resolve: (r) => r.gaps,
    }),
    freeExpertServicesOpen: t.exposeBoolean('freeExpertServicesOpen', {
      description: 'Free expert services are open to key accounts (A, C) only.',
    }),
    paidExpertServicesOpen: t.exposeBoolean('paidExpertServicesOpen', {
      description: 'Paid expert services are open to every tier.',
    }),
  }),
});

const DeliveryProjectRef = builder.objectRef<DeliveryProject>('DeliveryProject').implement({
  ...accountScoped<DeliveryProject>((p) => p.accountId),
  description:
    'A contract project with a named delivery contact, who keeps serving its customisation after go-live.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    account: t.field({ type: CustomerRef, description: 'The account.', resolve: (p) => p.accountId }),
    name: t.exposeString('name', { description: 'Project name.' }),
    contractReference: t.exposeString('contractReference', {
      nullable: true,
      description: 'Contract number.',
    }),
    deliveryTeam: t.field({
      type: TeamRef,
      nullable: true,
      description: 'Delivery team.',
      resolve: (p) => p.deliveryTeamId,
    }),
    contact: t.field({
      type: PersonRef,
      nullable: true,
      description: 'Named delivery contact.',
      resolve: (p) => p.contactPersonId,
    }),
    status: t.exposeString('status', { description: 'ACTIVE or CLOSED.' }),
  }),
});

builder.objectField(CustomerRef, 'deliveryProjects', (t) =>
  t.loadableGroup({
    type: DeliveryProjectRef,
    description: 'Delivery projects of the account.',
    load: (ids: string[], context) => loaders.projectsOfAccounts(context, ids),
    group: (p) => p.accountId,
    resolve: (c) => c.id,
  }),
);

builder.queryFields((t) => ({
  route: t.field({
    type: RouteRef,
    description: 'Who serves a need of an account, with SLA targets and explicit gaps.',
    authScopes: { authenticated: true },
    args: {
      accountId: t.arg.id({ description: 'Account.' }),
      need: t.arg({ type: NeedEnum, description: 'The need.' }),
      priority: t.arg({
        type: PriorityEnum,
        required: false,
        description: 'Support priority for SLA targets (default P3).',
      }),
    },
    resolve: (_root, args, context) =>
      service.routeNeed(context, String(args.accountId), args.need, args.priority ?? 'P3'),
  }),
  slaPolicies: t.field({
    type: [SlaRef],
    description: 'All SLA targets by tier and priority.',
    authScopes: { authenticated: true },
    resolve: (_root, _args, context) => service.listSlaPolicies(context),
  }),
}));

const AssignCoverageInput = builder.inputType('AssignCoverageInput', {
  description: 'Who covers an account. Omitted fields stay; null releases an assignment.',
  fields: (t) => ({
    accountId: t.id({ description: 'Account.' }),
    csmPersonId: t.id({
      required: false,
      description: 'The CSM (an active member of a CSM team; key accounts only).',
    }),
    supportTeamId: t.id({ required: false, description: 'A SUPPORT team.' }),
    expertTeamId: t.id({ required: false, description: 'An EXPERT team.' }),
  }),
});

const CreateProjectInput = builder.inputType('CreateDeliveryProjectInput', {
  description: 'A new delivery project.',
  fields: (t) => ({
    accountId: t.id({ description: 'Account.' }),
    name: t.string({ description: 'Project name.' }),
    contractReference: t.string({ required: false, description: 'Contract number.' }),
    deliveryTeamId: t.id({ required: false, description: 'A DELIVERY team.' }),
    contactPersonId: t.id({ required: false, description: 'Named delivery contact.' }),
  }),
});

const ProjectStatusEnum = builder.enumType('DeliveryProjectStatus', {
  description: 'Whether a project is still served.',
  values: { ACTIVE: { description: 'Served.' }, CLOSED: { description: 'No longer served.' } },
});

const UpdateProjectInput = builder.inputType('UpdateDeliveryProjectInput', {
  description: 'Changes to a delivery project; omitted fields stay, null clears the contact or team.',
  fields: (t) => ({
    projectId: t.id({ description: 'Project.' }),
    name: t.string({ required: false, description: 'New name.' }),
    deliveryTeamId: t.id({ required: false, description: 'New DELIVERY team.' }),
    contactPersonId: t.id({ required: false, description: 'New contact.' }),
    status: t.field({ type: ProjectStatusEnum, required: false, description: 'New status.' }),
  }),
});

const SetSlaInput = builder.inputType('SetSlaPolicyInput', {
  description: 'SLA targets for a tier and priority.',
  fields: (t) => ({
    tier: t.field({ type: TierEnum, description: 'Tier.' }),
    priority: t.field({ type: PriorityEnum, description: 'Priority.' }),
    responseMinutes: t.int({ description: 'Minutes to first response.' }),
    resolutionMinutes: t.int({ description: 'Minutes to resolution (≥ response).' }),
  }),
});

builder.mutationFields((t) => ({
  assignCoverage: t.field({
    type: CustomerRef,
    description: 'Assigns or releases an account’s CSM, support team and expert team. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: AssignCoverageInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.assignCoverage(context, {
        accountId: String(input.accountId),
        csmPersonId: optionalId(input.csmPersonId, 'input.csmPersonId'),
        supportTeamId: optionalId(input.supportTeamId, 'input.supportTeamId'),
        expertTeamId: optionalId(input.expertTeamId, 'input.expertTeamId'),
      }),
  }),
  createDeliveryProject: t.field({
    type: DeliveryProjectRef,
    description: 'Adds a delivery project to an account. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateProjectInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.createDeliveryProject(context, {
        ...input,
        accountId: String(input.accountId),
        deliveryTeamId: optionalId(input.deliveryTeamId, 'input.deliveryTeamId'),
        contactPersonId: optionalId(input.contactPersonId, 'input.contactPersonId'),
      }),
  }),
  updateDeliveryProject: t.field({
    type: DeliveryProjectRef,
    description: 'Changes a delivery project (contact, team, status). ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: UpdateProjectInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.updateDeliveryProject(context, {
        ...input,
        projectId: String(input.projectId),
        deliveryTeamId: optionalId(input.deliveryTeamId, 'input.deliveryTeamId'),
        contactPersonId: optionalId(input.contactPersonId, 'input.contactPersonId'),
      }),
  }),
  setSlaPolicy: t.field({
    type: SlaRef,
    description: 'Sets the SLA targets of a tier and priority. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: SetSlaInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) => service.setSlaPolicy(context, input),
  }),
}));
