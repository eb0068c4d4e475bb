// The deliver_webhook job: one attempt of one delivery. The message is the event, signed per
// Standard Webhooks with every secret in force; the attempt, the delivery's new state, the next
// attempt's job and the endpoint's failure count are written in one transaction, so a process
// killed mid-attempt leaves the delivery PENDING and its job is run again (at least once).
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { Config } from '../../config';
import type { Database } from '../../db/knex';
import { inTransaction, type Queryable } from '../../db/transaction';
import { recordAudit } from '../audit/repository';
import { notificationId, notificationMessage } from '../events/notifications';
import * as repository from './repository';
import { attemptOutcome, shouldDisable, signatureHeader, type AttemptOutcome } from './rules';
import { sendSigned, type SendResult } from './send';

type Deps = { db: Database; config: Config; logger: Logger };

const USER_AGENT = 'service-ledger-webhooks/1';

/** The Standard Webhooks body: type, timestamp, data (here the notification as GraphQL shows it). */
export function messageBody(event: repository.OutgoingEvent): string {
  return JSON.stringify({
    type: event.type,
    timestamp: event.occurredAt.toUTC().toISO(),
    data: {
      id: notificationId(event),
      accountId: event.accountId,
      occurredAt: event.occurredAt.toUTC().toISO(),
      message: notificationMessage(event),
      payload: event.payload,
    },
  });
}

function deliveryIdOf(payload: unknown): string | null {
  const id = (payload as { deliveryId?: unknown } | null)?.deliveryId;
  return typeof id === 'string' && /^[1-9]\d{0,17}$/.test(id) ? id : null;
}

type Prepared = {
  delivery: repository.WebhookDelivery;
  endpoint: repository.SigningEndpoint;
  event: repository.OutgoingEvent;
};

/** What to send, or null when there is nothing to do (done, not yet due, or refused). */
async function prepare(deps: Deps, deliveryId: string): Promise<Prepared | null> {
  const { db } = deps;
  const delivery = await repository.findDelivery(db, deliveryId);
  if (!delivery || delivery.state !== 'PENDING') return null;
  // Another job holds the next attempt (this one was released after a crash and runs early).
  if (delivery.nextAttemptAt && delivery.nextAttemptAt.toMillis() > Date.now() + 1_000) return null;
  const endpoint = (await repository.findEndpoint(db, delivery.endpointId))!;
  if (!endpoint.enabled) {
    await repository.updateDelivery(db, deliveryId, {
      state: 'FAILED',
      finished_at: db.fn.now(),
      next_attempt_at: null,
      last_error: `the endpoint is disabled: ${endpoint.disabledReason ?? 'by an ADMIN'}`,
    });
    return null;
  }
  const event = (await repository.findEvent(db, delivery.eventId))!;
  return { delivery, endpoint, event };
}

function secretsInForce(endpoint: repository.SigningEndpoint, now: DateTime): string[] {
  const previousValid =
    endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now;
  return previousValid ? [endpoint.secret, endpoint.previousSecret!] : [endpoint.secret];
}

export async function deliverWebhook(deps: Deps, payload: unknown): Promise<void> {
  const deliveryId = deliveryIdOf(payload);
  if (!deliveryId) {
    deps.logger.warn({ payload }, 'deliver_webhook job without a delivery id; dropped');
    return;
  }
  const prepared = await prepare(deps, deliveryId);
  if (!prepared) return;
  const { endpoint, event } = prepared;
  const startedAt = DateTime.now();
  const messageId = notificationId(event);
  const timestamp = Math.floor(startedAt.toSeconds());
  const body = messageBody(event);
  const result = await sendSigned(
    endpoint.url,
    {
      'user-agent': USER_AGENT,
      'webhook-id': messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(secretsInForce(endpoint, startedAt), messageId, timestamp, body),
    },
    body,
    { timeoutMs: deps.config.webhooks.timeoutMs, allowPrivate: deps.config.webhooks.allowPrivateTargets },
  );
  await recordAttempt(deps, prepared, startedAt, result);
}

async function recordAttempt(deps: Deps, prepared: Prepared, startedAt: DateTime, result: SendResult) {
  const { config, logger } = deps;
  await inTransaction(deps.db, async (trx) => {
    const delivery = await repository.findDelivery(trx, prepared.delivery.id, true);
    // Recorded meanwhile by a run of the same delivery released after a stall: keep the first.
    if (!delivery || delivery.state !== 'PENDING' || delivery.attemptCount !== prepared.delivery.attemptCount)
      return;
    const attempt = delivery.attemptCount + 1;
    await repository.insertAttempt(trx, delivery.id, {
      attempt,
      startedAt,
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      error: result.error,
    });
    const now = new Date();
    const firstAttemptAt = (delivery.firstAttemptAt ?? startedAt).toJSDate();
    const outcome = attemptOutcome({
      statusCode: result.statusCode,
      firstAttemptAt,
      now,
      failedAttempts: attempt,
      retryBaseMs: config.webhooks.retryBaseMs,
      retryWindowMs: config.webhooks.retryWindowMs,
      random: Math.random(),
    });
    const lastError =
      result.error ?? (outcome.kind === 'SUCCEEDED' ? null : `the receiver answered ${result.statusCode}`);
    const disableReason = await updateEndpointHealth(trx, deps, prepared.endpoint.id, outcome, now);
    const retryAt = outcome.kind === 'FAILED' && !disableReason ? outcome.retryAt : null;
    await repository.updateDelivery(trx, delivery.id, {
      state: outcome.kind === 'SUCCEEDED' ? 'SUCCEEDED' : retryAt ? 'PENDING' : 'FAILED',
      attempt_count: attempt,
      first_attempt_at: firstAttemptAt,
      next_attempt_at: retryAt,
      last_status_code: result.statusCode,
      last_error: lastError,
      finished_at: retryAt ? null : now,
    });
    if (retryAt) await repository.scheduleDeliveryJob(trx, delivery.id, retryAt);
    if (outcome.kind !== 'SUCCEEDED')
      logger.warn(
        { deliveryId: delivery.id, endpointId: prepared.endpoint.id, attempt, error: lastError, retryAt },
        'webhook delivery attempt failed',
      );
  });
}

/** The endpoint's failure streak after this attempt; answers why it was disabled, if it was. */
async function updateEndpointHealth(
  trx: Queryable,
  deps: Deps,
  endpointId: string,
  outcome: AttemptOutcome,
  now: Date,
): Promise<string | null> {
  if (outcome.kind === 'SUCCEEDED') {
    await trx('webhook_endpoints')
      .where({ id: endpointId })
      .update({ consecutive_failures: 0, failing_since: null });
    return null;
  }
  const [streak] = await trx('webhook_endpoints')
    .where({ id: endpointId })
    .update({
      consecutive_failures: trx.raw('consecutive_failures + 1'),
      failing_since: trx.raw('coalesce(failing_since, ?)', [now]),
    })
    .returning(['consecutive_failures', 'failing_since', 'enabled']);
  if (!streak.enabled) return null;
  const reason =
    outcome.kind === 'GONE'
      ? 'the receiver answered 410 Gone'
      : shouldDisable({
            consecutiveFailures: streak.consecutive_failures,
            failingSince: streak.failing_since,
            now,
            disableAfterMs: deps.config.webhooks.disableAfterMs,
          })
        ? `${streak.consecutive_failures} failed attempts in a row since ${streak.failing_since.toISOString()}`
        : null;
  if (!reason) return null;
  const before = repository.withoutSecrets((await repository.findEndpoint(trx, endpointId))!);
  const after = repository.withoutSecrets(
    await repository.updateEndpoint(trx, endpointId, {
      enabled: false,
      disabled_at: now,
      disabled_reason: reason,
    }),
  );
  await recordAudit(
    trx,
    { actor: null, requestId: `job:deliver_webhook` },
    { action: 'webhookEndpoint.disable', entityType: 'WebhookEndpoint', entityId: endpointId, before, after },
  );
  deps.logger.warn({ endpointId, reason }, 'webhook endpoint disabled');
  return reason;
}
