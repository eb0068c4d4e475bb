// SQL for webhook endpoints, their deliveries (one per event and endpoint, written by the events
// trigger: migrations/20261204000100_jobs_and_webhooks.ts) and every delivery attempt.
import { DateTime } from 'luxon';
import type { Queryable } from '../../db/transaction';
import type { PageRequest } from '../../shared/pagination';

export type WebhookEndpoint = {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: DateTime | null;
  consecutiveFailures: number;
  failingSince: DateTime | null;
  previousSecretExpiresAt: DateTime | null;
  createdBy: string;
  createdAt: DateTime;
  updatedAt: DateTime;
};

/** The endpoint with its secrets, for signing only: never returned to a client nor audited. */
export type SigningEndpoint = WebhookEndpoint & { secret: string; previousSecret: string | null };

export type DeliveryState = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export type WebhookDelivery = {
  id: string;
  endpointId: string;
  eventId: string;
  state: DeliveryState;
  attemptCount: number;
  firstAttemptAt: DateTime | null;
  nextAttemptAt: DateTime | null;
  lastStatusCode: number | null;
  lastError: string | null;
  redeliveryOf: string | null;
  requestedBy: string | null;
  createdAt: DateTime;
  finishedAt: DateTime | null;
};

export type WebhookAttempt = {
  attempt: number;
  startedAt: DateTime;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
};

const time = (value: unknown): DateTime | null => (value ? DateTime.fromJSDate(value as Date) : null);

function toEndpoint(row: Record<string, unknown>): SigningEndpoint {
  return {
    id: row.id as string,
    url: row.url as string,
    description: row.description as string,
    eventTypes: row.event_types as string[],
    enabled: row.enabled as boolean,
    disabledReason: row.disabled_reason as string | null,
    disabledAt: time(row.disabled_at),
    consecutiveFailures: row.consecutive_failures as number,
    failingSince: time(row.failing_since),
    previousSecretExpiresAt: time(row.previous_secret_expires_at),
    createdBy: row.created_by as string,
    createdAt: time(row.created_at)!,
    updatedAt: time(row.updated_at)!,
    secret: row.secret as string,
    previousSecret: row.previous_secret as string | null,
  };
}

/** The client's view: the secrets left out. */
export function withoutSecrets(endpoint: SigningEndpoint): WebhookEndpoint {
  const { secret: _secret, previousSecret: _previous, ...rest } = endpoint;
  return rest;
}

function toDelivery(row: Record<string, unknown>): WebhookDelivery {
  return {
    id: String(row.id),
    endpointId: row.endpoint_id as string,
    eventId: String(row.event_id),
    state: row.state as DeliveryState,
    attemptCount: row.attempt_count as number,
    firstAttemptAt: time(row.first_attempt_at),
    nextAttemptAt: time(row.next_attempt_at),
    lastStatusCode: row.last_status_code as number | null,
    lastError: row.last_error as string | null,
    redeliveryOf: row.redelivery_of === null ? null : String(row.redelivery_of),
    requestedBy: row.requested_by as string | null,
    createdAt: time(row.created_at)!,
    finishedAt: time(row.finished_at),
  };
}

export async function insertEndpoint(
  db: Queryable,
  endpoint: { url: string; description: string; eventTypes: string[]; secret: string; createdBy: string },
): Promise<SigningEndpoint> {
  const [row] = await db('webhook_endpoints')
    .insert({
      url: endpoint.url,
      description: endpoint.description,
      event_types: endpoint.eventTypes,
      secret: endpoint.secret,
      created_by: endpoint.createdBy,
    })
    .returning('*');
  return toEndpoint(row);
}

/** `forUpdate`: locked until the transaction ends (a change reads and writes it). */
export async function findEndpoint(
  db: Queryable,
  id: string,
  forUpdate = false,
): Promise<SigningEndpoint | null> {
  const query = db('webhook_endpoints').where({ id }).first();
  if (forUpdate) query.forUpdate();
  const row = await query;
  return row ? toEndpoint(row) : null;
}

export async function updateEndpoint(
  db: Queryable,
  id: string,
  change: Record<string, unknown>,
): Promise<SigningEndpoint> {
  const [row] = await db('webhook_endpoints')
    .where({ id })
    .update({ ...change, updated_at: db.fn.now() })
    .returning('*');
  return toEndpoint(row);
}

export async function listEndpoints(db: Queryable): Promise<SigningEndpoint[]> {
  const rows = await db('webhook_endpoints').orderBy([{ column: 'created_at' }, { column: 'id' }]);
  return rows.map(toEndpoint);
}

export async function findDelivery(
  db: Queryable,
  id: string,
  forUpdate = false,
): Promise<WebhookDelivery | null> {
  const query = db('webhook_deliveries').where({ id }).first();
  if (forUpdate) query.forUpdate();
  const row = await query;
  return row ? toDelivery(row) : null;
}

/** Newest first. */
export async function listDeliveries(
  db: Queryable,
  endpointId: string,
  page: PageRequest<number>,
): Promise<WebhookDelivery[]> {
  const query = db('webhook_deliveries').where({ endpoint_id: endpointId });
  if (page.after !== null) query.where('id', '<', page.after);
  if (page.before !== null) query.where('id', '>', page.before);
  const rows = await query.orderBy('id', page.inverted ? 'asc' : 'desc').limit(page.limit);
  return rows.map(toDelivery);
}

export async function countDeliveries(db: Queryable, endpointId: string): Promise<number> {
  const [row] = await db('webhook_deliveries').where({ endpoint_id: endpointId }).count('* as n');
  return Number(row!.n);
}

export async function listAttempts(db: Queryable, deliveryId: string): Promise<WebhookAttempt[]> {
  const rows = await db('webhook_attempts').where({ delivery_id: deliveryId }).orderBy('attempt');
  return rows.map((row: Record<string, unknown>) => ({
    attempt: row.attempt as number,
    startedAt: time(row.started_at)!,
    durationMs: row.duration_ms as number,
    statusCode: row.status_code as number | null,
    error: row.error as string | null,
  }));
}

/** A new delivery of an already delivered (or failed) one's event, enqueued in the same transaction. */
export async function insertRedelivery(
  db: Queryable,
  original: WebhookDelivery,
  requestedBy: string,
): Promise<WebhookDelivery> {
  const [row] = await db('webhook_deliveries')
    .insert({
      endpoint_id: original.endpointId,
      event_id: original.eventId,
      redelivery_of: original.id,
      requested_by: requestedBy,
    })
    .returning('*');
  await db.raw('select enqueue_webhook_delivery(?)', [row.id]);
  return toDelivery(row);
}

export type OutgoingEvent = {
  id: string;
  type: string;
  occurredAt: DateTime;
  accountId: string;
  payload: Record<string, unknown>;
};

export async function findEvent(db: Queryable, id: string): Promise<OutgoingEvent | null> {
  const row = await db('events').where({ id }).first();
  if (!row) return null;
  return {
    id: String(row.id),
    type: row.type,
    occurredAt: DateTime.fromJSDate(row.occurred_at),
    accountId: row.account_id,
    payload: row.payload,
  };
}

export async function insertAttempt(
  db: Queryable,
  deliveryId: string,
  attempt: WebhookAttempt,
): Promise<void> {
  await db('webhook_attempts').insert({
    delivery_id: deliveryId,
    attempt: attempt.attempt,
    started_at: attempt.startedAt.toJSDate(),
    duration_ms: attempt.durationMs,
    status_code: attempt.statusCode,
    error: attempt.error,
  });
}

export async function updateDelivery(
  db: Queryable,
  id: string,
  change: Record<string, unknown>,
): Promise<void> {
  await db('webhook_deliveries').where({ id }).update(change);
}

/** The delivery's next attempt as a job at `runAt` (the same function the events trigger calls). */
export async function scheduleDeliveryJob(db: Queryable, deliveryId: string, runAt: Date): Promise<void> {
  await db.raw('select enqueue_webhook_delivery(?, ?)', [deliveryId, runAt]);
}
