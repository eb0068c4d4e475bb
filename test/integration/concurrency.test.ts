// Races real transactions: 200 concurrent bookings on one budget never overspend, with one
// server process and with two sharing the database; replays race too; a failure in the middle
// of a booking leaves nothing behind.
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createStandardUsers } from '../support/factories';
import { createOrg, type Org } from '../support/org';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import {
  actorOf,
  contextFor,
  createFreeService,
  inDays,
  key,
  keyAccountWithBudget,
  ledgerMismatches,
} from '../support/money';
import { BudgetExceededError, IdempotencyInProgressError } from '../../src/shared/errors';
import { bookFreeService } from '../../src/modules/budgets/service';

let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;
let org: Org;

beforeAll(async () => {
  database = await createTestDatabase({ poolMax: 20 });
  users = await createStandardUsers(database.db);
  org = await createOrg(database.db, users);
});
afterAll(async () => {
  expect(await ledgerMismatches(database.db)).toEqual([]);
  await database.drop();
});

const csm = () => actorOf(users.csm, org.csm.id);

test('200 concurrent bookings against one budget: exactly as many as fit, never below zero', async () => {
  const { account, budget } = await keyAccountWithBudget(database.db, org, actorOf(users.finance), {
    amount: '10000.00',
  });
  const service = await createFreeService(database.db, actorOf(users.admin), '70.00');
  const outcomes = await Promise.allSettled(
    Array.from({ length: 200 }, () =>
      bookFreeService(contextFor(database.db, csm()), {
        accountId: account.id,
        serviceId: service.id,
        plannedDate: inDays(3),
        idempotencyKey: key(),
      }),
    ),
  );
  const booked = outcomes.filter((o) => o.status === 'fulfilled').length;
  const refused = outcomes.filter(
    (o) => o.status === 'rejected' && o.reason instanceof BudgetExceededError,
  ).length;
  expect(booked).toBe(142); // floor(10000 / 70)
  expect(refused).toBe(58);
  const row = await database.db('budgets').where({ id: budget.id }).first();
  expect(row).toMatchObject({ reserved_amount: '9940.00', remaining_amount: '60.00' });
  expect(await ledgerMismatches(database.db)).toEqual([]);
});

/** Runs `attempt` until it stops answering IDEMPOTENCY_IN_PROGRESS (what a retrying client does). */
async function untilSettled<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 0; ; tries += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof IdempotencyInProgressError) || tries > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

test('concurrent requests with one key: one runs, the others are told it is in progress, and all settle on it', async () => {
  const { account, budget } = await keyAccountWithBudget(database.db, org, actorOf(users.finance), {
    amount: '1000',
  });
  const service = await createFreeService(database.db, actorOf(users.admin), '10');
  const sharedKey = key();
  const book = () =>
    bookFreeService(contextFor(database.db, csm()), {
      accountId: account.id,
      serviceId: service.id,
      plannedDate: inDays(3),
      idempotencyKey: sharedKey,
    });
  const answers = await Promise.allSettled(Array.from({ length: 20 }, book));
  const booked = answers.filter((a) => a.status === 'fulfilled').map((a) => a.value.id);
  const others = answers.filter((a) => a.status === 'rejected').map((a) => a.reason);
  // Every answer is the booking or "in progress": never a refusal beside a success.
  expect(others.every((reason) => reason instanceof IdempotencyInProgressError)).toBe(true);
  expect(new Set(booked).size).toBe(1);
  const settled = await Promise.all(others.map(() => untilSettled(book)));
  expect(new Set([...booked, ...settled.map((b) => b.id)]).size).toBe(1);
  expect(await database.db('bookings').where({ budget_id: budget.id }).count('* as n')).toEqual([{ n: '1' }]);
  expect((await database.db('budgets').where({ id: budget.id }).first()).reserved_amount).toBe('10.00');
});

test('concurrent requests with one key that does not fit: every settled answer is the same refusal, nothing booked', async () => {
  const { account, budget } = await keyAccountWithBudget(database.db, org, actorOf(users.finance), {
    amount: '5',
  });
  const service = await createFreeService(database.db, actorOf(users.admin), '10');
  const sharedKey = key();
  const book = () =>
    untilSettled(() =>
      bookFreeService(contextFor(database.db, csm()), {
        accountId: account.id,
        serviceId: service.id,
        plannedDate: inDays(3),
        idempotencyKey: sharedKey,
      }),
    );
  const answers = await Promise.allSettled(Array.from({ length: 20 }, book));
  expect(answers.map((a) => (a.status === 'rejected' ? a.reason.constructor.name : 'booked'))).toEqual(
    Array(20).fill('BudgetExceededError'),
  );
  expect(await database.db('bookings').where({ budget_id: budget.id }).count('* as n')).toEqual([{ n: '0' }]);
});

test('a failure in the middle of a booking leaves neither a booking nor a ledger entry nor an audit row', async () => {
  const { account, budget } = await keyAccountWithBudget(database.db, org, actorOf(users.finance), {
    amount: '1000',
  });
  const service = await createFreeService(database.db, actorOf(users.admin), '123.45');
  // Fault injection: the ledger insert fails after the booking row was written in the same transaction.
  await database.db.raw(`
    create function fail_reserve() returns trigger language plpgsql as $$
    begin if new.kind = 'RESERVE' and new.amount = 123.45 then raise exception 'injected ledger failure'; end if; return new; end $$;
    create trigger inject_failure before insert on ledger_entries for each row execute function fail_reserve();`);
  try {
    const auditBefore = await database.db('audit_log').count('* as n');
    await expect(
      bookFreeService(contextFor(database.db, csm()), {
        accountId: account.id,
        serviceId: service.id,
        plannedDate: inDays(3),
        idempotencyKey: key(),
      }),
    ).rejects.toThrow('injected ledger failure');
    expect(await database.db('bookings').where({ budget_id: budget.id }).count('* as n')).toEqual([
      { n: '0' },
    ]);
    expect(
      await database.db('ledger_entries').where({ budget_id: budget.id, kind: 'RESERVE' }).count('* as n'),
    ).toEqual([{ n: '0' }]);
    expect(await database.db('audit_log').count('* as n')).toEqual(auditBefore);
    expect((await database.db('budgets').where({ id: budget.id }).first()).remaining_amount).toBe('1000.00');
  } finally {
    await database.db.raw('drop trigger inject_failure on ledger_entries; drop function fail_reserve();');
  }
});

describe('two server processes sharing the database', () => {
  const servers: ServerProcess[] = [];
  const startServer = async () => {
    const server = await startServerProcess({ databaseUrl: database.url });
    servers.push(server);
    return server;
  };
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  test('200 bookings split across both never overspend, and replays across them book once', async () => {
    await startServer();
    await startServer();
    const { account, budget } = await keyAccountWithBudget(database.db, org, actorOf(users.finance), {
      amount: '5000.00',
    });
    const service = await createFreeService(database.db, actorOf(users.admin), '30.00');
    const BOOK = `mutation($input: BookFreeServiceInput!) { bookFreeService(input: $input) { __typename ... on Booking { id } } }`;
    type Answer = { __typename: string; id?: string };
    const post = async (port: number, idempotencyKey: string, accountId = account.id) => {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${users.csm.token}` },
        body: JSON.stringify({
          query: BOOK,
          variables: {
            input: { accountId, serviceId: service.id, plannedDate: inDays(2), idempotencyKey },
          },
        }),
      });
      return ((await response.json()) as { data: { bookFreeService: Answer } }).data.bookFreeService;
    };
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) => post(servers[index % 2]!.port, key())),
    );
    const typenames = answers.map((a) => a.__typename);
    expect(typenames.filter((t) => t === 'Booking')).toHaveLength(166); // floor(5000 / 30)
    expect(typenames.filter((t) => t === 'BudgetExceededError')).toHaveLength(34);
    expect((await database.db('budgets').where({ id: budget.id }).first()).remaining_amount).toBe('20.00');
    // Each process grouped the bookings waiting on the budget (book_batch_in_one_call), and the
    // groups of the two raced on its lock: the 166 bookings took far fewer transactions.
    const { rows } = await database.db.raw(
      'select count(distinct xmin::text)::int as n from bookings where budget_id = ?',
      [budget.id],
    );
    expect(rows[0].n).toBeLessThan(166 / 2);

    // One key sent 10 times at once across both processes, each retried while "in progress".
    const roomy = await keyAccountWithBudget(database.db, org, actorOf(users.finance), { amount: '1000.00' });
    const replayKey = key();
    const settle = async (port: number): Promise<Answer> => {
      for (;;) {
        const answer = await post(port, replayKey, roomy.account.id);
        if (answer.__typename !== 'IdempotencyInProgressError') return answer;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const replays = await Promise.all(
      Array.from({ length: 10 }, (_, index) => settle(servers[index % 2]!.port)),
    );
    expect(replays.map((r) => r.__typename)).toEqual(Array(10).fill('Booking'));
    expect(new Set(replays.map((r) => r.id)).size).toBe(1);
    expect(await database.db('bookings').where({ budget_id: roomy.budget.id }).count('* as n')).toEqual([
      { n: '1' },
    ]);
    expect(await ledgerMismatches(database.db)).toEqual([]);
  });
});
