// The webhook rules as pure functions: the signature against the spec's reference library, the
// retry schedule's growth, cap and jitter, the 3-day window, when an endpoint is given up on, and
// which addresses count as non-public.
import { Webhook } from 'standardwebhooks';
import {
  attemptOutcome,
  newSecret,
  retryDelayMs,
  shouldDisable,
  signature,
  signatureHeader,
} from '../../src/modules/webhooks/rules';
import { isNonPublicAddress, validateWebhookUrl } from '../../src/modules/webhooks/targets';

const HOUR = 3_600_000;

test('signatures verify with standardwebhooks, by either secret after a rotation', () => {
  const [first, second] = [newSecret(), newSecret()];
  const timestamp = Math.floor(Date.now() / 1000);
  const body = '{"type":"budget.threshold_crossed","data":{"amount":"0.10"}}';
  const headers = (value: string) => ({
    'webhook-id': 'evt_1',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': value,
  });
  expect(new Webhook(first).verify(body, headers(signature(first, 'evt_1', timestamp, body)))).toEqual(
    JSON.parse(body),
  );
  const both = signatureHeader([second, first], 'evt_1', timestamp, body);
  expect(both.split(' ')).toHaveLength(2);
  expect(new Webhook(first).verify(body, headers(both))).toBeTruthy();
  expect(new Webhook(second).verify(body, headers(both))).toBeTruthy();
  expect(() => new Webhook(newSecret()).verify(body, headers(both))).toThrow();
  expect(() => new Webhook(first).verify(body.replace('0.10', '9.10'), headers(both))).toThrow();
});

test('retries wait 4 times longer each time, capped at 12 hours, within ±20%', () => {
  expect([1, 2, 3, 4].map((n) => retryDelayMs(5_000, n, 0.5))).toEqual([5_000, 20_000, 80_000, 320_000]);
  expect(retryDelayMs(5_000, 20, 0.5)).toBe(12 * HOUR);
  expect(retryDelayMs(5_000, 1, 0)).toBe(4_000);
  expect(retryDelayMs(5_000, 1, 0.999999)).toBe(6_000);
});

test('2xx succeeds, 410 is gone, anything else is retried until the window closes', () => {
  const firstAttemptAt = new Date('2026-12-01T00:00:00Z');
  const at = (hours: number) => new Date(firstAttemptAt.getTime() + hours * HOUR);
  const outcome = (statusCode: number | null, now: Date, failedAttempts = 1) =>
    attemptOutcome({
      statusCode,
      firstAttemptAt,
      now,
      failedAttempts,
      retryBaseMs: 5_000,
      retryWindowMs: 72 * HOUR,
      random: 0.5,
    });
  expect(outcome(200, at(0))).toEqual({ kind: 'SUCCEEDED' });
  expect(outcome(299, at(0))).toEqual({ kind: 'SUCCEEDED' });
  expect(outcome(410, at(0))).toEqual({ kind: 'GONE' });
  expect(outcome(500, at(0))).toEqual({
    kind: 'FAILED',
    retryAt: new Date(firstAttemptAt.getTime() + 5_000),
  });
  expect(outcome(null, at(1), 2)).toEqual({ kind: 'FAILED', retryAt: new Date(at(1).getTime() + 20_000) });
  expect(outcome(301, at(0)).kind).toBe('FAILED');
  // The next retry would start after 72 hours: given up.
  expect(outcome(503, at(65), 10)).toEqual({ kind: 'FAILED', retryAt: null });
});

test('an endpoint is disabled only after 5 failures in a row and the whole period failing', () => {
  const failingSince = new Date('2026-12-01T00:00:00Z');
  const after = (ms: number) => new Date(failingSince.getTime() + ms);
  const disable = (consecutiveFailures: number, now: Date) =>
    shouldDisable({ consecutiveFailures, failingSince, now, disableAfterMs: 72 * HOUR });
  expect(disable(5, after(72 * HOUR))).toBe(true);
  expect(disable(4, after(100 * HOUR))).toBe(false);
  expect(disable(50, after(72 * HOUR - 1))).toBe(false);
});

test('loopback, private, link-local and mapped addresses are non-public; public ones are not', () => {
  for (const address of [
    '127.0.0.1',
    '10.0.0.8',
    '172.20.1.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    'not-an-ip',
  ])
    expect([address, isNonPublicAddress(address)]).toEqual([address, true]);
  for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
    expect([address, isNonPublicAddress(address)]).toEqual([address, false]);
  expect(validateWebhookUrl('http://127.0.0.1:9/x', 'input.url', true).toString()).toBe(
    'http://127.0.0.1:9/x',
  );
  expect(() => validateWebhookUrl('https://example.com/x#frag', 'input.url', false)).toThrow('#fragment');
  expect(() => validateWebhookUrl(`https://example.com/${'x'.repeat(2_100)}`, 'input.url', false)).toThrow(
    'at most',
  );
});
