// Outbound webhooks end to end on real PostgreSQL: the job queue running in this process, events
// caused by the use cases, and a receiver on localhost that checks every request with the
// `standardwebhooks` package (the spec's own reference library, not our signing code). Retries
// after 500, a 410 disabling the endpoint, redelivery, secret rotation with two signatures, and
// the refusals of addresses and roles.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Webhook } from 'standardwebhooks';
import { moneyWorld } from '../support/money-world';
import { refusal } from '../support/refusal';
import { actorOf, config, createFreeService, inDays, key, keyAccountWithBudget } from '../support/money';
import { bookFreeService } from '../../src/modules/budgets/service';
import {
  listWebhookDeliveries,
  listWebhookAttempts,
  redeliverWebhook,
  registerWebhookEndpoint,
  rotateWebhookSecret,
  setWebhookEndpointEnabled,
} from '../../src/modules/webhooks/service';
import { startJobQueue, type JobQueue } from '../../src/jobs/queue';
import { sendSigned } from '../../src/modules/webhooks/send';
import type { Config } from '../../src/config';

const world = moneyWorld();
const { csm, finance, admin } = world;

const queueConfig: Config = {
  ...config,
  rollupIntervalMs: 0,
  expirySweepIntervalMs: 0,
  jobs: { concurrency: 2, pollIntervalMs: 50 },
  webhooks: { ...config.webhooks, allowPrivateTargets: true, retryBaseMs: 150, timeoutMs: 2_000 },
};
const withQueueConfig = (context: ReturnType<typeof admin>) => ({ ...context, config: queueConfig });

type Received = { headers: http.IncomingHttpHeaders; body: string };

/** A receiver that answers from a script (then 200), keeping every request. */
async function receiver(script: number[] = []) {
  const requests: Received[] = [];
  const answers = [...script];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ headers: request.headers, body });
      response.statusCode = answers.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { url, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** What the reference library makes of a request: the payload, or the reason it refused it. */
function verify(secret: string, request: Received): unknown {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  });
}

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One booking on a fresh key account whose budget it takes over 75%: one threshold event. */
async function causeThresholdEvent(): Promise<string> {
  const { account } = await keyAccountWithBudget(world.database.db, world.org, finance().actor!, {
    amount: '100.00',
  });
  const service = await createFreeService(world.database.db, actorOf(world.users.admin), '80.00');
  await bookFreeService(csm(), {
    accountId: account.id,
    serviceId: service.id,
    plannedDate: inDays(3),
    idempotencyKey: key(),
  });
  return account.id;
}

async function deliveriesOf(endpointId: string) {
  const page = await listWebhookDeliveries(admin(), endpointId, { first: 50 });
  return page.edges.map((edge) => edge.node);
}

let queue: JobQueue;
beforeAll(async () => {
  queue = await startJobQueue({
    db: world.database.db,
    config: queueConfig,
    logger: pino({ level: 'silent' }),
  });
  world.beforeDrop(() => queue.stop());
});
// Each test's endpoints stop receiving when it ends: the next test's events are its own.
afterEach(async () => {
  await world.database
    .db('webhook_endpoints')
    .where({ enabled: true })
    .update({ enabled: false, disabled_at: world.database.db.fn.now(), disabled_reason: 'test over' });
});

test('a 500 is retried with the same webhook-id until a 2xx; every request verifies with standardwebhooks', async () => {
  const hooks = await receiver([500, 500]);
  try {
    const { endpoint, secret } = await registerWebhookEndpoint(withQueueConfig(admin()), {
      url: hooks.url,
      eventTypes: ['budget.threshold_crossed'],
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const accountId = await causeThresholdEvent();
    const [delivery] = await until(async () => {
      const found = await deliveriesOf(endpoint.id);
      return found[0]?.state === 'SUCCEEDED' && found;
    });
    expect(hooks.requests).toHaveLength(3);
    const ids = new Set(hooks.requests.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const request of hooks.requests)
      expect(verify(secret, request)).toMatchObject({
        type: 'budget.threshold_crossed',
        data: { accountId, payload: { thresholdPercent: '75', allocated: '100.00', used: '80.00' } },
      });
    expect(delivery!.attemptCount).toBe(3);
    const attempts = await listWebhookAttempts(admin(), delivery!.id);
    expect(attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    // Backoff: the second retry waited longer than the first (150 ms then 600 ms, ±20%).
    const gap = (i: number) => attempts[i]!.startedAt.toMillis() - attempts[i - 1]!.startedAt.toMillis();
    expect(gap(1)).toBeGreaterThanOrEqual(120);
    expect(gap(2)).toBeGreaterThan(gap(1));
    // A forged body or a wrong secret is what the receiver's check refuses.
    expect(() =>
      verify(secret, { ...hooks.requests[0]!, body: hooks.requests[0]!.body.replace('80.00', '1.00') }),
    ).toThrow();
    const { secret: other } = await registerWebhookEndpoint(withQueueConfig(admin()), {
      url: `${hooks.url}/x`,
      eventTypes: ['fiscal_year.closing'],
    });
    expect(() => verify(other, hooks.requests[0]!)).toThrow();
  } finally {
    await hooks.close();
  }
});

test('a 410 disables the endpoint at once: no retry, and no delivery of later events', async () => {
  const hooks = await receiver([410]);
  try {
    const { endpoint } = await registerWebhookEndpoint(withQueueConfig(admin()), {
      url: hooks.url,
      eventTypes: ['budget.threshold_crossed'],
    });
    await causeThresholdEvent();
    await until(async () => (await deliveriesOf(endpoint.id))[0]?.state === 'FAILED');
    const [endpointRow] = await world.database.db('webhook_endpoints').where({ id: endpoint.id });
    expect(endpointRow).toMatchObject({ enabled: false, disabled_reason: 'the receiver answered 410 Gone' });
    await causeThresholdEvent();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hooks.requests).toHaveLength(1);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);
    const audit = await world.database
      .db('audit_log')
      .where({ entity_id: endpoint.id, action: 'webhookEndpoint.disable' });
    expect(audit).toHaveLength(1);
    // Enabled again by ADMIN, then redelivered on request: the same message id arrives again.
    await setWebhookEndpointEnabled(admin(), endpoint.id, true);
    const [failed] = await deliveriesOf(endpoint.id);
    const again = await redeliverWebhook(admin(), `whd_${failed!.id}`);
    expect(again.redeliveryOf).toBe(failed!.id);
    await until(
      async () => (await deliveriesOf(endpoint.id)).find((d) => d.id === again.id)?.state === 'SUCCEEDED',
    );
    expect(hooks.requests).toHaveLength(2);
    expect(hooks.requests[1]!.headers['webhook-id']).toBe(hooks.requests[0]!.headers['webhook-id']);
    await expect(redeliverWebhook(admin(), 'whd_0')).rejects.toMatchObject({ field: 'deliveryId' });
  } finally {
    await hooks.close();
  }
});

test('after a rotation each message carries two signatures, each verifying with its own secret', async () => {
  const hooks = await receiver();
  try {
    const { endpoint, secret: old } = await registerWebhookEndpoint(withQueueConfig(admin()), {
      url: hooks.url,
      eventTypes: ['budget.threshold_crossed'],
    });
    const { secret: current, endpoint: rotated } = await rotateWebhookSecret(admin(), endpoint.id);
    expect(current).not.toBe(old);
    expect(rotated.previousSecretExpiresAt).not.toBeNull();
    await causeThresholdEvent();
    await until(async () => hooks.requests.length === 1);
    expect(String(hooks.requests[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(old, hooks.requests[0]!)).toBeTruthy();
    expect(verify(current, hooks.requests[0]!)).toBeTruthy();
    const audit = await world.database.db('audit_log').where({ entity_id: endpoint.id }).orderBy('id');
    expect(audit.map((row: { action: string }) => row.action)).toEqual([
      'webhookEndpoint.register',
      'webhookEndpoint.rotateSecret',
    ]);
    expect(JSON.stringify(audit)).not.toContain('whsec_');
  } finally {
    await hooks.close();
  }
});

test('only http(s) public URLs are registered unless private targets are allowed; only ADMIN manages endpoints', async () => {
  const strict = admin();
  for (const [url, message] of [
    ['ftp://example.com/hooks', 'must be http or https'],
    ['not a url', 'is not a URL'],
    ['http://127.0.0.1:8080/hooks', 'loopback or private'],
    ['https://10.1.2.3/hooks', 'loopback or private'],
    ['http://[::1]/hooks', 'loopback or private'],
    ['http://localhost/hooks', 'loopback or private'],
    ['https://user:pw@example.com/hooks', 'user name or password'],
  ] as const)
    expect(await refusal(() => registerWebhookEndpoint(strict, { url }))).toMatchObject({
      error: 'ValidationError',
      field: 'input.url',
      message: expect.stringContaining(message),
    });
  expect(
    await refusal(() => registerWebhookEndpoint(csm(), { url: 'https://example.com/hooks' })),
  ).toMatchObject({
    error: 'ForbiddenActionError',
  });
  expect(await refusal(() => setWebhookEndpointEnabled(finance(), crypto.randomUUID(), false))).toMatchObject(
    {
      error: 'ForbiddenActionError',
    },
  );
  // A name that resolves to loopback is refused when the request connects, not only when registered.
  const hooks = await receiver();
  try {
    const port = new URL(hooks.url).port;
    const refused = await sendSigned(`http://localhost:${port}/hooks`, {}, '{}', {
      timeoutMs: 1_000,
      allowPrivate: false,
    });
    expect(refused).toMatchObject({
      statusCode: null,
      error: expect.stringContaining('not a public address'),
    });
    const literal = await sendSigned(hooks.url, {}, '{}', { timeoutMs: 1_000, allowPrivate: false });
    expect(literal.error).toContain('not a public address');
    expect(hooks.requests).toHaveLength(0);
  } finally {
    await hooks.close();
  }
});
