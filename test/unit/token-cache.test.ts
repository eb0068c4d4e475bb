// The token cache's bound, on a clock the test moves: remembered within TOKEN_CACHE_MS, looked
// up again after it, forgotten at once when credentials change on this instance (also while a
// lookup is running), never remembering an unknown token, and bounded in size.
import { credentialsChanged, TOKEN_CACHE_ENTRIES_MAX, TokenCache } from '../../src/modules/users/token-cache';
import type { Actor } from '../../src/shared/auth';

const actor: Actor = { userId: 'u1', name: 'Li Na', roles: ['CSM'], personId: 'p1' };

function setUp(ttlMs: number) {
  let nowMs = 1_000_000;
  const cache = new TokenCache(ttlMs, () => nowMs);
  let lookups = 0;
  let answer: Actor | null = actor;
  const lookup = (hash = 'h1') =>
    cache.actorOf(hash, async () => {
      lookups += 1;
      return answer;
    });
  return {
    cache,
    lookup,
    lookups: () => lookups,
    advance: (ms: number) => (nowMs += ms),
    answer: (next: Actor | null) => (answer = next),
  };
}

test('within the bound a token is looked up once; at the bound, again', async () => {
  const t = setUp(5_000);
  expect(await t.lookup()).toEqual(actor);
  t.advance(4_999);
  expect(await t.lookup()).toEqual(actor);
  expect(t.lookups()).toBe(1);
  t.advance(1);
  t.answer(null); // revoked elsewhere meanwhile
  expect(await t.lookup()).toBeNull();
  expect(t.lookups()).toBe(2);
});

test('a credential change on this instance is honoured at once', async () => {
  const t = setUp(5_000);
  await t.lookup();
  credentialsChanged();
  t.answer(null);
  expect(await t.lookup()).toBeNull();
  expect(t.lookups()).toBe(2);
});

test('a change that lands while a lookup runs makes its answer stale', async () => {
  let nowMs = 0;
  const cache = new TokenCache(5_000, () => nowMs);
  let lookups = 0;
  await cache.actorOf('h1', async () => {
    lookups += 1;
    credentialsChanged(); // the revocation commits while this lookup is on its way
    nowMs += 10;
    return actor;
  });
  await cache.actorOf('h1', async () => {
    lookups += 1;
    return null;
  });
  expect(lookups).toBe(2);
});

test('an unknown token is not remembered', async () => {
  const t = setUp(5_000);
  t.answer(null);
  expect(await t.lookup()).toBeNull();
  t.answer(actor);
  expect(await t.lookup()).toEqual(actor);
  expect(t.lookups()).toBe(2);
});

test('0 turns the cache off', async () => {
  const t = setUp(0);
  await t.lookup();
  await t.lookup();
  expect(t.lookups()).toBe(2);
  expect(t.cache.size).toBe(0);
});

test(`at most ${TOKEN_CACHE_ENTRIES_MAX} tokens are remembered, the oldest dropped first`, async () => {
  const t = setUp(60_000);
  for (let i = 0; i <= TOKEN_CACHE_ENTRIES_MAX; i += 1) await t.lookup(`h${i}`);
  expect(t.cache.size).toBe(TOKEN_CACHE_ENTRIES_MAX);
  const before = t.lookups();
  await t.lookup(`h${TOKEN_CACHE_ENTRIES_MAX}`); // the newest: remembered
  expect(t.lookups()).toBe(before);
  await t.lookup('h0'); // the oldest: dropped, looked up again
  expect(t.lookups()).toBe(before + 1);
});
