// A per-token request rate limit: a token bucket per API token (keyed by its hash), refilled
// continuously, held in memory per instance (behind a load balancer each instance enforces its
// own share). Bounded: the least recently used buckets are dropped past BUCKETS_MAX.
export const BUCKETS_MAX = 10_000;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): RateDecision {
    if (this.perMinute <= 0) return { allowed: true };
    const nowMs = this.now();
    const refillPerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updatedMs: nowMs };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (nowMs - bucket.updatedMs) * refillPerMs);
    bucket.updatedMs = nowMs;
    this.buckets.delete(key); // re-insert: Map order is recency order
    this.buckets.set(key, bucket);
    if (this.buckets.size > BUCKETS_MAX) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens < 1)
      return { allowed: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / refillPerMs / 1000) };
    bucket.tokens -= 1;
    return { allowed: true };
  }

  /** What every endpoint tells a token that is over its budget. */
  refusalMessage(retryAfterSeconds: number): string {
    return `Rate limit of ${this.perMinute} requests per minute for this token exceeded; retry in ${retryAfterSeconds} s`;
  }
}
