// Request rate limits: token buckets refilled continuously, held in memory per instance (behind a
// load balancer each instance enforces its own share). Bounded: the least recently used buckets
// are dropped past BUCKETS_MAX. One bucket per API token (keyed by its hash), and one per client
// address for requests without a valid token, so neither anonymous floods nor random tokens (each
// of which costs a database lookup) go unmetered.
import type { Database } from '../db/knex';
import type { Actor } from '../shared/auth';
import { authenticate } from '../modules/users/service';
import { TokenCache } from '../modules/users/token-cache';

export const BUCKETS_MAX = 10_000;

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    /** Whose budget it is, for the refusal text. */
    private readonly subject = 'this token',
  ) {}

  take(key: string): RateDecision {
    return this.decide(key, true);
  }

  /** Would a request be allowed now? Consumes nothing. */
  check(key: string): RateDecision {
    return this.decide(key, false);
  }

  private decide(key: string, consume: boolean): RateDecision {
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
    if (consume) bucket.tokens -= 1;
    return { allowed: true };
  }

  /** What every endpoint tells a client that is over its budget. */
  refusalMessage(retryAfterSeconds: number): string {
    return `Rate limit of ${this.perMinute} requests per minute for ${this.subject} exceeded; retry in ${retryAfterSeconds} s`;
  }
}

export type Admission =
  | { admitted: true; actor: Actor | null }
  | { admitted: false; status: 401; message: string }
  | { admitted: false; status: 429; message: string; retryAfterSeconds: number };

/**
 * Who is asking, within the limits: one gate per app, shared by GraphQL and the CSV exports.
 * An anonymous request draws on its address's budget; a token first on its own, and an unknown
 * token on its address's too. An address out of budget is refused before any database lookup.
 */
export class RequestGate {
  readonly perToken: RateLimiter;
  readonly perAddress: RateLimiter;

  private readonly tokens: TokenCache;

  constructor(
    private readonly db: Database,
    limits: { perTokenPerMinute: number; perAddressPerMinute: number; tokenCacheMs?: number },
    now: () => number = Date.now,
  ) {
    this.tokens = new TokenCache(limits.tokenCacheMs ?? 0, now);
    this.perToken = new RateLimiter(limits.perTokenPerMinute, now, 'this token');
    this.perAddress = new RateLimiter(
      limits.perAddressPerMinute,
      now,
      'requests without a valid token from this address',
    );
  }

  async admit(tokenHash: string | null, address: string): Promise<Admission> {
    if (tokenHash === null) {
      const decision = this.perAddress.take(address);
      return decision.allowed ? { admitted: true, actor: null } : this.tooMany(this.perAddress, decision);
    }
    const forToken = this.perToken.take(tokenHash);
    if (!forToken.allowed) return this.tooMany(this.perToken, forToken);
    const forAddress = this.perAddress.check(address);
    if (!forAddress.allowed) return this.tooMany(this.perAddress, forAddress);
    const actor = await this.tokens.actorOf(tokenHash, () => authenticate(this.db, tokenHash));
    if (actor) return { admitted: true, actor };
    this.perAddress.take(address);
    return { admitted: false, status: 401, message: 'The API token is unknown or revoked' };
  }

  private tooMany(limiter: RateLimiter, decision: { retryAfterSeconds: number }): Admission {
    return {
      admitted: false,
      status: 429,
      message: limiter.refusalMessage(decision.retryAfterSeconds),
      retryAfterSeconds: decision.retryAfterSeconds,
    };
  }
}
