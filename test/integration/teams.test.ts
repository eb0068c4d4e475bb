// People, cost rates, teams and memberships through GraphQL (ADMIN), with their refusals.
import { apiAs } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

type Result = Record<string, Record<string, unknown> & { __typename: string }>;
const asAdmin = () => apiAs(server, users.admin);

test('an admin builds a team of people with cost rates; a user linked to a person acts as that person', async () => {
  const team = await asAdmin().request<Result>(
    `mutation { createTeam(input: { kind: EXPERT, name: "Experts North" }) { __typename ... on Team { id kind } } }`,
  );
  expect(team.data!.createTeam).toMatchObject({ __typename: 'Team', kind: 'EXPERT' });
  const teamId = team.data!.createTeam!.id;
  const person = await asAdmin().request<Result>(
    `mutation($input: CreatePersonInput!) { createPerson(input: $input) { __typename ... on Person { id name skills userId } } }`,
    {
      input: {
        name: ' Gao Yan ',
        department: 'SOLUTIONS',
        skills: ['ERP', 'ERP', ' BI '],
        userId: users.csm.user.id,
      },
    },
  );
  expect(person.data!.createPerson).toMatchObject({
    name: 'Gao Yan',
    skills: ['ERP', 'BI'],
    userId: users.csm.user.id,
  });
  const personId = person.data!.createPerson!.id;
  const joined = await asAdmin().request<Result>(
    `mutation($input: TeamMembershipInput!) { setTeamMembership(input: $input) { __typename ... on Team { members { person { name } } } } }`,
    {
      input: { teamId, personId, member: true },
    },
  );
  expect(joined.data!.setTeamMembership).toMatchObject({ members: [{ person: { name: 'Gao Yan' } }] });
  const rate = await asAdmin().request<Result>(
    `mutation { setCostRate(input: { personId: "${personId}", effectiveFrom: "2026-01-01", ratePerHour: "812.50" }) { __typename ... on Person { costRates { effectiveFrom ratePerHour currency } teams { team { name } } } } }`,
  );
  expect(rate.data!.setCostRate).toMatchObject({
    costRates: [{ effectiveFrom: '2026-01-01', ratePerHour: '812.50', currency: 'CNY' }],
    teams: [{ team: { name: 'Experts North' } }],
  });
  const audit = await database
    .db('audit_log')
    .where({ entity_id: personId, action: 'person.setCostRate' })
    .first();
  expect(audit.after).toMatchObject({ ratePerHour: '812.5' });
});

test.each([
  [
    'a duplicate team name',
    `mutation { createTeam(input: { kind: SUPPORT, name: "experts north" }) { __typename ... on Error { field } } }`,
    'ConflictError',
    'input.name',
  ],
  [
    'an empty name',
    `mutation { createPerson(input: { name: "  ", department: SALES }) { __typename ... on Error { field } } }`,
    'ValidationError',
    'input.name',
  ],
  [
    'a malformed person id',
    `mutation { setCostRate(input: { personId: "nope", effectiveFrom: "2026-01-01", ratePerHour: "1" }) { __typename ... on Error { field } } }`,
    'ValidationError',
    'input.personId',
  ],
  [
    'a negative rate',
    `mutation { setCostRate(input: { personId: "00000000-0000-0000-0000-000000000000", effectiveFrom: "2026-01-01", ratePerHour: "-1" }) { __typename ... on Error { field } } }`,
    'ValidationError',
    'input.ratePerHour',
  ],
  [
    'an unknown person',
    `mutation { setCostRate(input: { personId: "00000000-0000-0000-0000-000000000000", effectiveFrom: "2026-01-01", ratePerHour: "1" }) { __typename ... on Error { field } } }`,
    'NotFoundError',
    'input.personId',
  ],
])('%s is refused naming the field', async (_case, mutation, typename, field) => {
  if (_case === 'a duplicate team name')
    await asAdmin().request<Result>(
      `mutation { createTeam(input: { kind: EXPERT, name: "Experts North" }) { __typename } }`,
    );
  const result = await asAdmin().request<Result>(mutation);
  const [answer] = Object.values(result.data!);
  expect(answer).toEqual({ __typename: typename, field });
});

test('a delivery person cannot join an expert team; non-admins cannot manage teams', async () => {
  const team = await asAdmin().request<Result>(
    `mutation { createTeam(input: { kind: EXPERT, name: "Experts South" }) { ... on Team { id } } }`,
  );
  const person = await asAdmin().request<Result>(
    `mutation { createPerson(input: { name: "Deliverer", department: DELIVERY }) { ... on Person { id } } }`,
  );
  const refused = await asAdmin().request<Result>(
    `mutation($input: TeamMembershipInput!) { setTeamMembership(input: $input) { __typename ... on Error { field message } } }`,
    {
      input: { teamId: team.data!.createTeam!.id, personId: person.data!.createPerson!.id, member: true },
    },
  );
  expect(refused.data!.setTeamMembership).toMatchObject({
    __typename: 'ValidationError',
    field: 'input.personId',
  });
  const forbidden = await apiAs(server, users.finance).request(
    `mutation { createTeam(input: { kind: CSM, name: "Nope" }) { __typename } }`,
  );
  expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
