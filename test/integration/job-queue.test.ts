// The job queue across real service processes on one database: two instances share the periodic
// work (each run of a task starts only after the previous one ended and its period passed, never
// twice at once), and a process killed with SIGKILL in the middle of a webhook delivery loses no
// event: after a restart the delivery is attempted again and succeeds.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createStandardUsers } from '../support/factories';
import { createOrg } from '../support/org';
import { actorOf, keyAccountWithBudget } from '../support/money';
import { startServerProcess, type ServerProcess } from '../support/server-process';

let database: TestDatabase;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop('SIGKILL')));
  await database.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(50);
  }
}

/** How many hour boundaries passed since `since` (the daily checks' cron runs at minute 0). */
const hourBoundariesSince = (since: number) => {
  const hour = 3_600_000;
  return Math.floor(Date.now() / hour) - Math.floor(since / hour);
};

type Run = { instance_id: string; started_at: Date; finished_at: Date };

/** Each run starts after the one before it ended plus the period (a little slack for clocks). */
function gapsBetween(runs: Run[]): number[] {
  return runs.slice(1).map((run, i) => run.started_at.getTime() - runs[i]!.finished_at.getTime());
}

test('two instances run each periodic task once per period, never overlapping', async () => {
  const env = { ROLLUP_INTERVAL_MS: '300', EXPIRY_SWEEP_INTERVAL_MS: '400', JOB_POLL_INTERVAL_MS: '50' };
  const startedAt = Date.now();
  const pair = await Promise.all([
    startServerProcess({ databaseUrl: database.url, env }),
    startServerProcess({ databaseUrl: database.url, env }),
  ]);
  servers.push(...pair);
  await sleep(4_000);
  await Promise.all(pair.map((server) => server.stop()));
  for (const [task, periodMs] of [
    ['roll_up_reports', 300],
    ['expire_reservations', 400],
  ] as const) {
    const runs: Run[] = await database
      .db('job_runs')
      .where({ task })
      .orderBy('started_at')
      .select('instance_id', 'started_at', 'finished_at');
    // 4 s at one run per period is at most 4000 / period runs (+1 for the first at start).
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.length).toBeLessThanOrEqual(Math.floor(4_000 / periodMs) + 1);
    for (const gap of gapsBetween(runs)) expect(gap).toBeGreaterThanOrEqual(periodMs - 20);
    expect(await database.db('job_runs').where({ task, outcome: 'FAILED' })).toEqual([]);
  }
  // The daily checks: once at start for both instances, and once more per hour boundary the
  // test crossed (graphile cron at minute 0, taken by one instance).
  expect(await database.db('job_runs').where({ task: 'daily_checks' })).toHaveLength(
    1 + hourBoundariesSince(startedAt),
  );
  // A graceful stop takes each instance's workers off the liveness list.
  expect(await database.db('worker_liveness')).toEqual([]);
}, 60_000);

test('a service started after the daily checks ran this hour does not run them again', async () => {
  // The first test's instances ran them at start; one more instance now finds that run.
  const before = await database.db('job_runs').where({ task: 'daily_checks' });
  expect(before.length).toBeGreaterThanOrEqual(1);
  const started = Date.now();
  const server = await startServerProcess({ databaseUrl: database.url, env: { JOB_POLL_INTERVAL_MS: '50' } });
  servers.push(server);
  // Its start-up job is taken and done (a job leaves graphile's table when it is done).
  await until(async () => {
    const waiting = await database
      .db('graphile_worker._private_jobs')
      .where({ key: 'startup:daily_checks' })
      .first('id');
    return waiting === undefined;
  });
  await server.stop();
  expect(await database.db('job_runs').where({ task: 'daily_checks' })).toHaveLength(
    before.length + hourBoundariesSince(started),
  );
}, 60_000);

test('kill -9 during a delivery loses nothing: after a restart the event is delivered, signed', async () => {
  const users = await createStandardUsers(database.db);
  const org = await createOrg(database.db, users);
  const { account } = await keyAccountWithBudget(database.db, org, actorOf(users.finance));
  // The receiver holds the first request unanswered (the server is killed while waiting), then
  // answers 200.
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let firstArrived!: () => void;
  const first = new Promise<void>((resolve) => (firstArrived = resolve));
  const receiver = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      if (received.length === 1) return firstArrived();
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const env = {
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_TIMEOUT_MS: '60000',
    JOB_POLL_INTERVAL_MS: '100',
  };
  try {
    const server = await startServerProcess({ databaseUrl: database.url, env });
    servers.push(server);
    const answer = await fetch(`${server.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${users.admin.token}` },
      body: JSON.stringify({
        query: `mutation ($url: String!) {
          registerWebhookEndpoint(input: { url: $url, eventTypes: [FISCAL_YEAR_CLOSING] }) {
            __typename ... on WebhookEndpointWithSecret { secret endpoint { id } }
          } }`,
        variables: { url },
      }),
    }).then((response) => response.json());
    const { secret, endpoint } = answer.data.registerWebhookEndpoint;
    // The event as the daily check writes it; its delivery and job come from the same insert.
    const [event] = await database
      .db('events')
      .insert({ type: 'fiscal_year.closing', account_id: account.id, payload: { unused: '12.34' } })
      .returning('id');
    await first;
    await server.stop('SIGKILL');
    const [pending] = await database.db('webhook_deliveries').where({ endpoint_id: endpoint.id });
    expect(pending).toMatchObject({ state: 'PENDING', attempt_count: 0 });

    const restarted = await startServerProcess({ databaseUrl: database.url, env });
    servers.push(restarted);
    const [delivered] = await until(async () => {
      const rows = await database.db('webhook_deliveries').where({ endpoint_id: endpoint.id });
      return rows[0]?.state === 'SUCCEEDED' && rows;
    });
    expect(delivered).toMatchObject({ attempt_count: 1, last_status_code: 200 });
    expect(received).toHaveLength(2);
    for (const request of received) {
      expect(request.headers['webhook-id']).toBe(`evt_${event.id}`);
      expect(
        new Webhook(secret).verify(request.body, {
          'webhook-id': String(request.headers['webhook-id']),
          'webhook-timestamp': String(request.headers['webhook-timestamp']),
          'webhook-signature': String(request.headers['webhook-signature']),
        }),
      ).toMatchObject({ type: 'fiscal_year.closing', data: { payload: { unused: '12.34' } } });
    }
    await restarted.stop();
  } finally {
    receiver.closeAllConnections();
    receiver.close();
  }
}, 60_000);
