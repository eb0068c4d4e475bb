// db/prepared.ts: a named statement on a pooled connection. A call whose backend is terminated
// fails with the database's error, and the next call (at once, on a pool of one) gets a live
// connection: the dead one is retired, not handed out again.
import { createDatabase, type Database } from '../../src/db/knex';
import { runPrepared } from '../../src/db/prepared';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let pool: Database;
let killer: Database;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createDatabase({
    url: database.url,
    poolMax: 1,
    statementTimeoutMs: 10_000,
    applicationName: 'prepared-test',
  });
  killer = createDatabase({ url: database.url, poolMax: 1, statementTimeoutMs: 10_000 });
});
afterAll(async () => {
  await pool.destroy();
  await killer.destroy();
  await database.drop();
});

test('a statement answers its rows, with parameters, prepared once per connection', async () => {
  const statement = { name: 'add', text: 'select $1::int + $2::int as sum' };
  expect(await runPrepared(pool, statement, [2, 3])).toEqual([{ sum: 5 }]);
  expect(await runPrepared(pool, statement, [40, 2])).toEqual([{ sum: 42 }]);
  const { rows } = await pool.raw("select count(*)::int as n from pg_prepared_statements where name = 'add'");
  expect(rows[0].n).toBe(1); // the pool's one session holds it, prepared once
});

test('after a terminated backend the very next call gets a live connection', async () => {
  for (let round = 0; round < 5; round += 1) {
    const slow = runPrepared(pool, { name: 'slow', text: 'select pg_sleep(5)' }, []).then(
      () => null,
      (error: Error) => error.message,
    );
    for (let tries = 0; ; tries += 1) {
      const { rows } = await killer.raw(
        `select pg_terminate_backend(pid) as done from pg_stat_activity
          where application_name = 'prepared-test' and wait_event = 'PgSleep'`,
      );
      if (rows.length > 0) break;
      if (tries > 500) throw new Error('the slow statement never started');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(await slow).toBe('terminating connection due to administrator command');
    expect(await runPrepared(pool, { name: 'one', text: 'select 1 as one' }, [])).toEqual([{ one: 1 }]);
  }
});

test('a failing statement is the database error, and the pool goes on', async () => {
  await expect(runPrepared(pool, { name: 'bad', text: 'select 1 / 0' }, [])).rejects.toMatchObject({
    code: '22012',
  });
  expect(await runPrepared(pool, { name: 'one', text: 'select 1 as one' }, [])).toEqual([{ one: 1 }]);
});
