import { BUCKETS_MAX, RateLimiter } from '../../src/graphql/rate-limit';

test('a token gets its per-minute allowance, then waits for the bucket to refill', () => {
  let now = 0;
  const limiter = new RateLimiter(60, () => now); // one a second
  for (let i = 0; i < 60; i += 1) expect(limiter.take('a').allowed).toBe(true);
  expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  expect(limiter.take('b').allowed).toBe(true); // other tokens are not affected
  now += 1_000;
  expect(limiter.take('a').allowed).toBe(true);
  expect(limiter.take('a').allowed).toBe(false);
});

test('0 turns the limit off', () => {
  const limiter = new RateLimiter(0);
  for (let i = 0; i < 10_000; i += 1) expect(limiter.take('a').allowed).toBe(true);
});

test('memory stays bounded', () => {
  const limiter = new RateLimiter(10);
  for (let i = 0; i < BUCKETS_MAX + 50; i += 1) limiter.take(`token-${i}`);
  expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(BUCKETS_MAX);
});

test('check says whether a request would pass without spending the allowance', () => {
  const limiter = new RateLimiter(2, () => 0, 'this address');
  expect(limiter.check('a').allowed).toBe(true);
  expect(limiter.check('a').allowed).toBe(true);
  expect(limiter.take('a').allowed).toBe(true);
  expect(limiter.take('a').allowed).toBe(true);
  expect(limiter.check('a')).toEqual({ allowed: false, retryAfterSeconds: 30 });
  expect(limiter.refusalMessage(30)).toBe(
    'Rate limit of 2 requests per minute for this address exceeded; retry in 30 s',
  );
});
