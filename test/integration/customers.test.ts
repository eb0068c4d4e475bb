// Tier changes and their history, tier suggestions with reasons, and CSM scoping.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { everyNode } from '../support/pages';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';

let database: TestDatabase;
let server: TestServer;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;

beforeAll(async () => {
  database = await createTestDatabase();
  server = await startTestServer(database.db);
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const CHANGE_TIER = `mutation($input: ChangeTierInput!) {
  changeTier(input: $input) {
    __typename
    ... on Customer { tier keyAccount csm { name } tierHistory { fromTier toTier reason changedByUserId } }
    ... on TierChangeBlockedError { code field message blockers { resource message } }
    ... on Error { code field message }
  }
}`;
type ChangeTier = { changeTier: Record<string, unknown> & { __typename: string } };

describe('tier changes', () => {
  test('a change needs a reason and a different tier', async () => {
    const account = await org.customer('B');
    const noReason = await server.graphql<ChangeTier>(users.admin.token, CHANGE_TIER, {
      input: { accountId: account.id, tier: 'C', reason: '  ' },
    });
    expect(noReason.data!.changeTier).toMatchObject({ __typename: 'ValidationError', field: 'input.reason' });
    const same = await server.graphql<ChangeTier>(users.admin.token, CHANGE_TIER, {
      input: { accountId: account.id, tier: 'B', reason: 'x' },
    });
    expect(same.data!.changeTier).toMatchObject({ __typename: 'ValidationError', field: 'input.tier' });
  });

  test('leaving A/C with a CSM is refused, saying what to resolve; nothing changes', async () => {
    const account = await org.customer('A');
    const auditBefore = await database.db('audit_log').where({ entity_id: account.id }).count('* as n');
    const refused = await server.graphql<ChangeTier>(users.salesLeader.token, CHANGE_TIER, {
      input: { accountId: account.id, tier: 'B', reason: 'growth stalled' },
    });
    expect(refused.data!.changeTier).toMatchObject({
      __typename: 'TierChangeBlockedError',
      code: 'CONFLICT',
      blockers: [{ resource: 'CSM', message: expect.stringContaining('releaseCsm') }],
    });
    const row = await database.db('customers').where({ id: account.id }).first();
    expect(row).toMatchObject({ tier: 'A', csm_person_id: org.csm.id });
    expect(
      await database.db('customer_tier_history').where({ account_id: account.id }).count('* as n'),
    ).toEqual([{ n: '1' }]);
    expect(await database.db('audit_log').where({ entity_id: account.id }).count('* as n')).toEqual(
      auditBefore,
    );
  });

  test('with releaseCsm the CSM is released in the same change, and the history says who and why', async () => {
    const account = await org.customer('C');
    const result = await server.graphql<ChangeTier>(users.salesLeader.token, CHANGE_TIER, {
      input: { accountId: account.id, tier: 'D', reason: 'low potential after review', releaseCsm: true },
    });
    expect(result.data!.changeTier).toMatchObject({
      __typename: 'Customer',
      tier: 'D',
      keyAccount: false,
      csm: null,
      tierHistory: [
        {
          fromTier: 'C',
          toTier: 'D',
          reason: 'low potential after review',
          changedByUserId: users.salesLeader.user.id,
        },
        { fromTier: null, toTier: 'C' },
      ],
    });
    const audit = await database
      .db('audit_log')
      .where({ entity_id: account.id, action: 'customer.changeTier' })
      .first();
    expect(audit.before).toMatchObject({ tier: 'C', csmPersonId: org.csm.id });
    expect(audit.after).toMatchObject({ tier: 'D', csmPersonId: null });
  });

  test('tierAsOf reads the effective-dated history', async () => {
    const account = await org.customer('B');
    // The database clock has microseconds, JavaScript milliseconds: leave a margin on both sides.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const beforeChange = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await server.graphql<ChangeTier>(users.admin.token, CHANGE_TIER, {
      input: { accountId: account.id, tier: 'A', reason: 'strategic deal' },
    });
    const result = await server.graphql<{ customer: { then: string; now: string; longAgo: string | null } }>(
      users.admin.token,
      `query($id: ID!, $then: DateTime!, $now: DateTime!) { customer(id: $id) { then: tierAsOf(at: $then) now: tierAsOf(at: $now) longAgo: tierAsOf(at: "2000-01-01T00:00:00Z") } }`,
      { id: account.id, then: beforeChange, now: new Date(Date.now() + 1000).toISOString() },
    );
    expect(result.data!.customer).toEqual({ then: 'B', now: 'A', longAgo: null });
  });

  test('moving to E needs a channel partner', async () => {
    const account = await org.customer('D');
    const refused = await server.graphql<ChangeTier>(users.admin.token, CHANGE_TIER, {
      input: { accountId: account.id, tier: 'E', reason: 'partner takes over' },
    });
    expect(refused.data!.changeTier).toMatchObject({
      __typename: 'ValidationError',
      field: 'input.channelPartnerId',
    });
    const moved = await server.graphql<ChangeTier>(users.admin.token, CHANGE_TIER, {
      input: {
        accountId: account.id,
        tier: 'E',
        reason: 'partner takes over',
        channelPartnerId: org.partner.id,
      },
    });
    expect(moved.data!.changeTier).toMatchObject({ __typename: 'Customer', tier: 'E' });
  });

  test('the database refuses a CSM on a non-key account even without the service', async () => {
    const account = await org.customer('B');
    await expect(
      database.db('customers').where({ id: account.id }).update({ csm_person_id: org.csm.id }),
    ).rejects.toThrow('customers_csm_only_key_accounts');
  });

  test('CSMs and finance may not change tiers', async () => {
    const account = await org.customer('A');
    for (const role of ['csm', 'finance'] as const) {
      const result = await server.graphql(users[role].token, CHANGE_TIER, {
        input: { accountId: account.id, tier: 'C', reason: 'x' },
      });
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('tier suggestions', () => {
  test('accounts whose suggested tier differs, with reasons; nothing changes', async () => {
    const year = 2031;
    const setPolicy = await server.graphql<{ setTieringPolicy: { __typename: string } }>(
      users.finance.token,
      `mutation { setTieringPolicy(input: { fiscalYear: ${year}, contributionThreshold: "2000000", potentialThreshold: "5000000" }) { __typename } }`,
    );
    expect(setPolicy.data!.setTieringPolicy.__typename).toBe('TieringPolicy');
    const rising = await org.customer('B', { name: 'Suggest rising' });
    const steady = await org.customer('A', { name: 'Suggest steady' });
    const figures = async (accountId: string, contribution: string, potential: string) => {
      const result = await server.graphql<{ setCustomerFinancials: { __typename: string } }>(
        users.finance.token,
        `mutation($input: SetCustomerFinancialsInput!) { setCustomerFinancials(input: $input) { __typename } }`,
        { input: { accountId, fiscalYear: year, contribution, potential } },
      );
      expect(result.data!.setCustomerFinancials.__typename).toBe('Customer');
    };
    await figures(rising.id, '600000', '12000000');
    await figures(steady.id, '3000000', '9000000');
    type Suggestions = {
      tierSuggestions: {
        account: { id: string };
        currentTier: string;
        suggestedTier: string;
        reasons: string[];
      }[];
    };
    const suggestions = await everyNode<Suggestions['tierSuggestions'][number]>(
      server,
      users.salesLeader.token,
      'tierSuggestions',
      '{ account { id } currentTier suggestedTier reasons }',
      `fiscalYear: ${year}`,
    );
    const mine = suggestions.filter((s) => s.account.id === rising.id || s.account.id === steady.id);
    expect(mine).toEqual([
      {
        account: { id: rising.id },
        currentTier: 'B',
        suggestedTier: 'C',
        reasons: [
          'contribution 600000.00 < threshold 2000000.00 CNY (low)',
          'potential 12000000.00 ≥ threshold 5000000.00 CNY (high)',
        ],
      },
    ]);
    expect((await database.db('customers').where({ id: rising.id }).first()).tier).toBe('B');
  });

  test('no policy for the year: no suggestions', async () => {
    const result = await server.graphql<{ tierSuggestions: { totalCount: number; edges: unknown[] } }>(
      users.finance.token,
      '{ tierSuggestions(fiscalYear: 2099) { totalCount edges { node { suggestedTier } } } }',
    );
    expect(result.data!.tierSuggestions).toEqual({ totalCount: 0, edges: [] });
  });

  test('a bad threshold names the field', async () => {
    const result = await server.graphql<{ setTieringPolicy: Record<string, unknown> }>(
      users.finance.token,
      `mutation { setTieringPolicy(input: { fiscalYear: 2031, contributionThreshold: "0", potentialThreshold: "10" }) { __typename ... on Error { field } } }`,
    );
    expect(result.data!.setTieringPolicy).toEqual({
      __typename: 'ValidationError',
      field: 'input.contributionThreshold',
    });
    // More than two decimals never reaches the service: the Money scalar refuses it.
    const tooPrecise = await server.graphql(
      users.finance.token,
      `mutation { setTieringPolicy(input: { fiscalYear: 2031, contributionThreshold: "10", potentialThreshold: "10.001" }) { __typename } }`,
    );
    expect(tooPrecise.errors?.[0]?.message).toContain('Money has 3 decimal places; at most 2 are allowed');
    expect(tooPrecise.data).toBeNull();
  });
});

describe('CSM scoping', () => {
  test('a CSM reads their own accounts only', async () => {
    const mine = await org.customer('A', { name: 'Scoped mine' });
    const theirs = await org.customer('C', { csm: org.otherCsm.id, name: 'Scoped theirs' });
    const own = await server.graphql<{ customer: { name: string } }>(
      users.csm.token,
      `query($id: ID!) { customer(id: $id) { name } }`,
      { id: mine.id },
    );
    expect(own.data!.customer.name).toBe('Scoped mine');
    const other = await server.graphql(users.csm.token, `query($id: ID!) { customer(id: $id) { name } }`, {
      id: theirs.id,
    });
    // Another CSM's account answers exactly as an id that does not exist: nothing says it is real.
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const unknown = await server.graphql(users.csm.token, `query($id: ID!) { customer(id: $id) { name } }`, {
      id: unknownId,
    });
    expect(unknown.errors?.[0]?.message.replace(unknownId, theirs.id)).toBe(other.errors?.[0]?.message);
    expect(JSON.stringify(other)).not.toContain('Scoped theirs');
    const route = await server.graphql(
      users.csm.token,
      `query($id: ID!) { route(accountId: $id, need: EXPERT_SERVICE) { tier } }`,
      { id: theirs.id },
    );
    expect(route.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    type List = { customers: { edges: { node: { id: string } }[] } };
    const list = await server.graphql<List>(
      users.csm.token,
      '{ customers(first: 200) { edges { node { id } } } }',
    );
    const ids = list.data!.customers.edges.map((edge) => edge.node.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    const csmIds = await database.db('customers').whereIn('id', ids).distinct('csm_person_id');
    expect(csmIds).toEqual([{ csm_person_id: org.csm.id }]);
  });

  test('a CSM edits their own account but not another CSM’s', async () => {
    const mine = await org.customer('A');
    const theirs = await org.customer('A', { csm: org.otherCsm.id });
    const UPDATE = `mutation($input: UpdateCustomerInput!) { updateCustomer(input: $input) { __typename ... on Customer { region } ... on Error { code } } }`;
    const own = await server.graphql<{ updateCustomer: Record<string, unknown> }>(users.csm.token, UPDATE, {
      input: { accountId: mine.id, region: 'North' },
    });
    expect(own.data!.updateCustomer).toEqual({ __typename: 'Customer', region: 'North' });
    const other = await server.graphql<{ updateCustomer: Record<string, unknown> }>(users.csm.token, UPDATE, {
      input: { accountId: theirs.id, region: 'North' },
    });
    expect(other.data!.updateCustomer).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
  });

  test('lists filter by tier, key account, region and search, and page without repeats', async () => {
    for (let index = 0; index < 5; index += 1)
      await org.customer('D', { name: `Paging ${org.tag} ${index}` });
    type List = {
      customers: {
        edges: { node: { name: string; tier: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const names: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof server.graphql<List>>> = await server.graphql<List>(
        users.finance.token,
        `query($after: String) { customers(first: 2, after: $after, filter: { tiers: [D], search: "Paging ${org.tag}" }) { edges { node { name tier } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      names.push(...page.data!.customers.edges.map((edge) => edge.node.name));
      after = page.data!.customers.pageInfo.hasNextPage ? page.data!.customers.pageInfo.endCursor : null;
    } while (after);
    expect(names).toEqual([0, 1, 2, 3, 4].map((index) => `Paging ${org.tag} ${index}`));
    const keyOnly = await server.graphql<List>(
      users.finance.token,
      `{ customers(first: 200, filter: { keyAccount: true, tiers: [D] }) { edges { node { name tier } } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(keyOnly.data!.customers.edges).toEqual([]);
  });
});
