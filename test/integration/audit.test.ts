// Every mutation writes its audit record in the same transaction as its change.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { createStandardUsers } from '../support/factories';
import { inTransaction } from '../../src/db/transaction';
import { recordAudit } from '../../src/modules/audit/repository';

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

const CREATE_USER = `mutation($input: CreateUserInput!) {
  createUser(input: $input) {
    __typename
    ... on User { id email roles }
    ... on Error { code message field }
  }
}`;

type CreateUserResult = {
  createUser: { __typename: string; id?: string; code?: string; message?: string; field?: string };
};

describe('audit trail', () => {
  test('a mutation records actor, before/after and request id', async () => {
    const result = await server.graphql<CreateUserResult>(users.admin.token, CREATE_USER, {
      input: { name: 'Audit Me', email: 'Audit.Me@Test.example', roles: ['FINANCE', 'CSM'] },
    });
    expect(result.data?.createUser.__typename).toBe('User');
    const row = await database.db('audit_log').where({ entity_id: result.data!.createUser.id }).first();
    expect(row).toMatchObject({
      actor_user_id: users.admin.user.id,
      action: 'user.create',
      entity_type: 'User',
      before: null,
    });
    expect(row.after).toMatchObject({ email: 'audit.me@test.example', roles: ['FINANCE', 'CSM'] });
    expect(row.request_id).toMatch(/^[\w-]{8,}$/);
  });

  test('a refused mutation (duplicate email) leaves neither a change nor an audit row', async () => {
    const before = await database.db('audit_log').count<{ count: string }[]>('* as count');
    const usersBefore = await database.db('users').count<{ count: string }[]>('* as count');
    const result = await server.graphql<CreateUserResult>(users.admin.token, CREATE_USER, {
      input: { name: 'Dup', email: users.finance.user.email.toUpperCase(), roles: ['CSM'] },
    });
    expect(result.data?.createUser).toMatchObject({
      __typename: 'ConflictError',
      code: 'CONFLICT',
      field: 'input.email',
    });
    expect(await database.db('audit_log').count('* as count')).toEqual(before);
    expect(await database.db('users').count('* as count')).toEqual(usersBefore);
  });

  test.each([
    [{ name: '', email: 'a@b.example', roles: ['CSM'] }, 'input.name'],
    [{ name: 'A', email: 'not-an-email', roles: ['CSM'] }, 'input.email'],
    [{ name: 'A', email: 'a@b.example', roles: [] }, 'input.roles'],
    [{ name: 'x'.repeat(201), email: 'a@b.example', roles: ['CSM'] }, 'input.name'],
  ])('invalid input %o is a ValidationError naming %s and writes nothing', async (input, field) => {
    const before = await database.db('audit_log').count('* as count');
    const result = await server.graphql<CreateUserResult>(users.admin.token, CREATE_USER, { input });
    expect(result.data?.createUser).toMatchObject({
      __typename: 'ValidationError',
      code: 'VALIDATION_FAILED',
      field,
    });
    expect(await database.db('audit_log').count('* as count')).toEqual(before);
  });

  test('an audit row written before a failure in the same transaction rolls back with it', async () => {
    const before = await database.db('audit_log').count('* as count');
    await expect(
      inTransaction(database.db, async (trx) => {
        await recordAudit(
          trx,
          { actor: null, requestId: 'test' },
          { action: 'x', entityType: 'T', entityId: '1' },
        );
        await trx.raw('select 1/0');
      }),
    ).rejects.toThrow('division by zero');
    expect(await database.db('audit_log').count('* as count')).toEqual(before);
  });

  test('the audit log cannot be edited or deleted, even with SQL', async () => {
    await expect(database.db('audit_log').update({ action: 'tampered' })).rejects.toThrow('append-only');
    await expect(database.db('audit_log').delete()).rejects.toThrow('append-only');
  });

  test('auditLog filters and pages newest first', async () => {
    for (let index = 0; index < 5; index += 1) {
      await server.graphql(users.admin.token, CREATE_USER, {
        input: { name: `Page ${index}`, email: `page${index}@test.example`, roles: ['CSM'] },
      });
    }
    const query = `query($after: String) { auditLog(first: 2, after: $after, filter: { action: "user.create", actorUserId: "${users.admin.user.id}" }) {
      edges { node { id action after } } pageInfo { hasNextPage endCursor } } }`;
    type Page = {
      auditLog: {
        edges: { node: { id: string; after: { email: string } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const seen: string[] = [];
    let after: string | null = null;
    for (let pageNumber = 0; pageNumber < 10; pageNumber += 1) {
      const page: Awaited<ReturnType<typeof server.graphql<Page>>> = await server.graphql<Page>(
        users.finance.token,
        query,
        { after },
      );
      seen.push(...page.data!.auditLog.edges.map((edge) => edge.node.after.email));
      if (!page.data!.auditLog.pageInfo.hasNextPage) break;
      after = page.data!.auditLog.pageInfo.endCursor;
    }
    expect(seen.slice(0, 5)).toEqual([
      'page4@test.example',
      'page3@test.example',
      'page2@test.example',
      'page1@test.example',
      'page0@test.example',
    ]);
    expect(new Set(seen).size).toBe(seen.length);
  });

  test('page size and cursors are checked', async () => {
    const tooBig = await server.graphql(
      users.finance.token,
      '{ auditLog(first: 1000) { edges { cursor } } }',
    );
    expect(tooBig.errors?.[0]?.message).toContain('page size limit');
    const badCursor = await server.graphql(
      users.finance.token,
      '{ auditLog(after: "garbage") { edges { cursor } } }',
    );
    expect(badCursor.errors?.[0]?.message).toContain('not a cursor');
  });
});
