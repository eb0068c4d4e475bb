// Who a token names, remembered briefly per instance, so a request does not cost a database
// lookup before its work. The bound on revocation, stated and tested (test/unit/token-cache.test.ts,
// test/integration/token-cache.test.ts):
// - on the instance that revokes a token (or changes any credential), at once: every cache in the
//   process forgets everything (credentialsChanged);
// - on every other instance, within TOKEN_CACHE_MS (5 s by default; 0 turns the cache off).
// Only tokens that were found are remembered (an unknown token is looked up every time, and is
// metered per address by the rate limiter), at most TOKEN_CACHE_ENTRIES_MAX of them.
import type { Actor } from '../../shared/auth';

export const TOKEN_CACHE_ENTRIES_MAX = 10_000;

let generation = 0;

/** A token or a user changed on this instance: every cache here forgets what it holds. */
export function credentialsChanged(): void {
  generation += 1;
}

type Entry = { actor: Actor; expiresAtMs: number; generation: number };

export class TokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The actor for a token hash: remembered, or loaded (and remembered when found). */
  async actorOf(tokenHash: string, load: () => Promise<Actor | null>): Promise<Actor | null> {
    if (this.ttlMs <= 0) return load();
    const hit = this.entries.get(tokenHash);
    if (hit && hit.generation === generation && hit.expiresAtMs > this.now()) return hit.actor;
    if (hit) this.entries.delete(tokenHash);
    // Read before the lookup: a change that lands while it runs makes its answer stale at once.
    const loadedIn = generation;
    const startedMs = this.now();
    const actor = await load();
    if (actor === null) return null;
    if (this.entries.size >= TOKEN_CACHE_ENTRIES_MAX) this.entries.delete(this.entries.keys().next().value!);
    // The lifetime counts from before the lookup: no answer outlives the bound.
    this.entries.set(tokenHash, { actor, expiresAtMs: startedMs + this.ttlMs, generation: loadedIn });
    return actor;
  }

  get size(): number {
    return this.entries.size;
  }
}
