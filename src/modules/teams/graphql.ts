// GraphQL for people, cost rates and teams. Related objects load through dataloaders (one query
// per kind of object per request), never one query per row.
import { builder } from '../../graphql/builder';
import { COMMON_MUTATION_ERRORS, INPUT_ARG_DESCRIPTION } from '../../graphql/errors';
import * as loaders from './loaders';
import type { CostRate, Person, Team } from './loaders';
import { DEPARTMENTS, TEAM_KINDS } from './rules';
import * as service from './service';
import { optionalId } from '../../shared/ids';

export const TeamKindEnum = builder.enumType('TeamKind', {
  description: 'The four kinds of service team (README, The domain).',
  values: {
    DELIVERY: {
      description:
        'Project delivery: implementation and contract customisation; serves contract projects after go-live.',
    },
    SUPPORT: {
      description: 'Customer service: hotline, tickets and remote fixes to the SLA, for every tier.',
    },
    CSM: { description: 'Customer success managers: concierge service for key accounts (A and C) only.' },
    EXPERT: {
      description:
        'Experts from service, sales, solutions and pre-sales: hard problems and planning; free for A/C via the CSM, paid for anyone.',
    },
  } satisfies Record<(typeof TEAM_KINDS)[number], { description: string }>,
});

export const DepartmentEnum = builder.enumType('Department', {
  description: 'The department a person belongs to.',
  values: {
    SERVICE: { description: 'The service (after-sales) department.' },
    SALES: { description: 'Sales.' },
    SOLUTIONS: { description: 'Solutions (solution architects).' },
    PRESALES: { description: 'Pre-sales.' },
    DELIVERY: { description: 'Project delivery.' },
  } satisfies Record<(typeof DEPARTMENTS)[number], { description: string }>,
});

export const TeamRef = builder.loadableObject('Team', {
  description: 'A service team of one kind.',
  load: (ids: string[], context) => loaders.teamsByIds(context, ids),
  sort: (team) => team.id,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    kind: t.field({ type: TeamKindEnum, description: 'What the team does.', resolve: (team) => team.kind }),
    name: t.exposeString('name', { description: 'Unique name.' }),
    active: t.exposeBoolean('active', { description: 'Inactive teams are not routed to.' }),
  }),
});

const CostRateRef = builder.objectRef<CostRate>('CostRate').implement({
  description: 'An internal cost rate per hour, in force from a day until the next rate of the same person.',
  fields: (t) => ({
    effectiveFrom: t.field({
      type: 'Date',
      description: 'First day in force.',
      resolve: (rate) => rate.effectiveFrom,
    }),
    ratePerHour: t.field({
      type: 'Money',
      description: 'Internal cost per hour.',
      resolve: (rate) => rate.ratePerHour,
    }),
    currency: t.field({
      type: 'Currency',
      description: 'Currency of the rate.',
      resolve: (rate) => rate.currency,
    }),
  }),
});

export const PersonRef = builder.loadableObject('Person', {
  description:
    'Someone who delivers service: in a department, in zero or more teams, with an internal cost rate.',
  load: (ids: string[], context) => loaders.peopleByIds(context, ids),
  sort: (person) => person.id,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id.' }),
    name: t.exposeString('name', { description: 'Full name.' }),
    department: t.field({
      type: DepartmentEnum,
      description: 'Department.',
      resolve: (person) => person.department,
    }),
    skills: t.exposeStringList('skills', { description: 'Skills, free text.' }),
    active: t.exposeBoolean('active', { description: 'Inactive people are not routed to.' }),
    userId: t.exposeID('userId', {
      nullable: true,
      description: 'The user account this person signs in with, if any.',
    }),
    teams: t.loadableGroup({
      type: builder.objectRef<Team & { memberPersonId: string }>('TeamMembership').implement({
        description: 'A team a person belongs to.',
        fields: (m) => ({
          team: m.field({ type: TeamRef, description: 'The team.', resolve: (row) => row.id }),
        }),
      }),
      description: 'Teams this person is in.',
      load: (personIds: string[], context) => loaders.teamsOfPeople(context, personIds),
      group: (row) => row.memberPersonId,
      resolve: (person) => person.id,
    }),
    // Internal cost is finance data: other roles get null, not an error that blanks the list.
    costRates: t.loadableGroup({
      type: CostRateRef,
      nullable: true,
      description: 'Cost rates, newest first. Null unless you are FINANCE or ADMIN (internal cost).',
      authScopes: { $any: { finance: true, admin: true } },
      unauthorizedResolver: () => null,
      load: (personIds: string[], context) => loaders.costRatesOfPeople(context, personIds),
      group: (rate) => rate.personId,
      resolve: (person) => person.id,
    }),
  }),
});

// Team members are added after Person exists, as the two types refer to each other.
builder.objectField(TeamRef, 'members', (t) =>
  t.loadableGroup({
    type: builder.objectRef<Person & { teamId: string }>('TeamMember').implement({
      description: 'A person in a team.',
      fields: (m) => ({
        person: m.field({ type: PersonRef, description: 'The person.', resolve: (row) => row.id }),
      }),
    }),
    description: 'People in this team.',
    load: (teamIds: string[], context) => loaders.membersOfTeams(context, teamIds),
    group: (row) => row.teamId,
    resolve: (team) => team.id,
  }),
);

builder.queryFields((t) => ({
  teams: t.field({
    type: [TeamRef],
    description: `Teams by name, optionally of one kind (at most ${service.TEAMS_LIST_MAX}).`,
    authScopes: { authenticated: true },
    args: { kind: t.arg({ type: TeamKindEnum, required: false, description: 'Only teams of this kind.' }) },
    resolve: (_root, args, context) => service.listTeams(context, args.kind ?? null),
  }),
  people: t.connection(
    {
      type: PersonRef,
      description: 'People by name, filtered, a page at a time.',
      authScopes: { authenticated: true },
      args: {
        department: t.arg({ type: DepartmentEnum, required: false, description: 'Only this department.' }),
        teamId: t.arg.id({ required: false, description: 'Only members of this team.' }),
        active: t.arg.boolean({
          required: false,
          description: 'Only active (true) or inactive (false) people.',
        }),
      },
      resolve: (_root, args, context) =>
        service.listPeople(context, args, {
          department: args.department,
          teamId: optionalId(args.teamId, 'teamId') ?? null,
          active: args.active,
        }),
    },
    { description: 'A page of people.' },
    { description: 'A person and its cursor.' },
  ),
}));

const CreatePersonInput = builder.inputType('CreatePersonInput', {
  description: 'A new person.',
  fields: (t) => ({
    name: t.string({ description: 'Full name, 1–200 characters.' }),
    department: t.field({ type: DepartmentEnum, description: 'Department.' }),
    skills: t.stringList({
      required: false,
      description: 'Skills (at most 50, each at most 60 characters).',
    }),
    userId: t.id({
      required: false,
      description: 'Link to a user, so that user acts as this person (a CSM user is a CSM person).',
    }),
  }),
});

const UpdatePersonInput = builder.inputType('UpdatePersonInput', {
  description: 'Changes to a person; omitted fields stay as they are.',
  fields: (t) => ({
    personId: t.id({ description: 'Person to change.' }),
    name: t.string({ required: false, description: 'New name.' }),
    department: t.field({ type: DepartmentEnum, required: false, description: 'New department.' }),
    skills: t.stringList({ required: false, description: 'New skills (replaces the list).' }),
    active: t.boolean({ required: false, description: 'Activate or deactivate.' }),
    userId: t.id({ required: false, description: 'Link to this user.' }),
    unlinkUser: t.boolean({ required: false, description: 'Remove the link to a user.' }),
  }),
});

const SetCostRateInput = builder.inputType('SetCostRateInput', {
  description: 'An internal cost rate effective from a day (replaces a rate set for the same day).',
  fields: (t) => ({
    personId: t.id({ description: 'Person.' }),
    effectiveFrom: t.field({ type: 'Date', description: 'First day in force.' }),
    ratePerHour: t.field({ type: 'Money', description: 'Internal cost per hour, at most 2 decimals.' }),
    currency: t.field({
      type: 'Currency',
      required: false,
      description: 'Currency; the default currency when omitted.',
    }),
  }),
});

const CreateTeamInput = builder.inputType('CreateTeamInput', {
  description: 'A new team.',
  fields: (t) => ({
    kind: t.field({ type: TeamKindEnum, description: 'Kind of team.' }),
    name: t.string({ description: 'Unique name, 1–200 characters.' }),
  }),
});

const TeamMembershipInput = builder.inputType('TeamMembershipInput', {
  description: 'A person joining or leaving a team.',
  fields: (t) => ({
    teamId: t.id({ description: 'Team.' }),
    personId: t.id({ description: 'Person.' }),
    member: t.boolean({ description: 'true to add, false to remove.' }),
  }),
});

builder.mutationFields((t) => ({
  createPerson: t.field({
    type: PersonRef,
    description: 'Adds a person. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: CreatePersonInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.createPerson(context, { ...input, userId: optionalId(input.userId, 'input.userId') ?? null }),
  }),
  updatePerson: t.field({
    type: PersonRef,
    description: 'Changes a person. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: UpdatePersonInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.updatePerson(context, {
        ...input,
        personId: String(input.personId),
        userId: optionalId(input.userId, 'input.userId') ?? null,
      }),
  }),
  setCostRate: t.field({
    type: PersonRef,
    description: 'Sets a person’s internal cost rate from a day on. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: SetCostRateInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: async (_root, { input }, context) => {
      const rate = await service.setCostRate(context, {
        personId: String(input.personId),
        effectiveFrom: input.effectiveFrom,
        ratePerHour: input.ratePerHour,
        currency: input.currency ?? context.config.defaultCurrency,
      });
      return rate.personId;
    },
  }),
  createTeam: t.field({
    type: TeamRef,
    description: 'Adds a team. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: CreateTeamInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) => service.createTeam(context, input),
  }),
  setTeamMembership: t.field({
    type: TeamRef,
    description: 'Adds a person to a team or removes them. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: { input: t.arg({ type: TeamMembershipInput, description: INPUT_ARG_DESCRIPTION }) },
    resolve: (_root, { input }, context) =>
      service.setTeamMembership(context, {
        teamId: String(input.teamId),
        personId: String(input.personId),
        member: input.member,
      }),
  }),
}));
