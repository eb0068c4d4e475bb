// The rules of outbound webhooks, one source each: the Standard Webhooks signature
// (https://www.standardwebhooks.com), the secret's form, the retry schedule and when an endpoint
// is given up on.
import { createHmac, randomBytes } from 'node:crypto';

export const SECRET_PREFIX = 'whsec_';
/** 24 random bytes (the spec asks for 24 to 64). */
const SECRET_BYTES = 24;
/** After a rotation the old secret signs too, for this long, so receivers can switch over. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;
/** Each retry waits this many times longer than the one before, up to the cap. */
const RETRY_GROWTH = 4;
const RETRY_CAP_MS = 12 * 60 * 60 * 1000;
const RETRY_JITTER = 0.2;
/** An endpoint is disabled only after at least this many failed attempts in a row. */
export const DISABLE_MIN_FAILURES = 5;

export function newSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the secret's base64 part. */
export function signature(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
  const mac = createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The webhook-signature header: one signature per secret in force, space-separated. */
export function signatureHeader(
  secrets: readonly string[],
  messageId: string,
  timestampSeconds: number,
  body: string,
): string {
  return secrets.map((secret) => signature(secret, messageId, timestampSeconds, body)).join(' ');
}

/**
 * The delay before retry number `failedAttempts` (1 after the first failure): base × 4^(n−1),
 * capped at 12 h, ±20% jitter so endpoints that fail together are not retried together.
 * `random` in [0, 1).
 */
export function retryDelayMs(baseMs: number, failedAttempts: number, random: number): number {
  const plain = Math.min(baseMs * RETRY_GROWTH ** Math.max(failedAttempts - 1, 0), RETRY_CAP_MS);
  return Math.round(plain * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random));
}

export type AttemptOutcome =
  | { kind: 'SUCCEEDED' }
  /** 410 Gone: the receiver says never again. */
  | { kind: 'GONE' }
  | { kind: 'FAILED'; retryAt: Date | null };

/** What an attempt's answer means: 2xx delivered; 410 gone; anything else retried within the window. */
export function attemptOutcome(input: {
  statusCode: number | null;
  firstAttemptAt: Date;
  now: Date;
  failedAttempts: number;
  retryBaseMs: number;
  retryWindowMs: number;
  random: number;
}): AttemptOutcome {
  if (input.statusCode !== null && input.statusCode >= 200 && input.statusCode < 300)
    return { kind: 'SUCCEEDED' };
  if (input.statusCode === 410) return { kind: 'GONE' };
  const retryAt = new Date(
    input.now.getTime() + retryDelayMs(input.retryBaseMs, input.failedAttempts, input.random),
  );
  const windowEnd = input.firstAttemptAt.getTime() + input.retryWindowMs;
  return { kind: 'FAILED', retryAt: retryAt.getTime() <= windowEnd ? retryAt : null };
}

/** Failing without a success since `failingSince` for the limit, and at least 5 attempts: disable. */
export function shouldDisable(input: {
  consecutiveFailures: number;
  failingSince: Date;
  now: Date;
  disableAfterMs: number;
}): boolean {
  return (
    input.consecutiveFailures >= DISABLE_MIN_FAILURES &&
    input.now.getTime() - input.failingSince.getTime() >= input.disableAfterMs
  );
}
