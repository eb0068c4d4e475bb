// shared/keyed-batches.ts: who goes alone, who waits and goes together, in what order, and what
// a failure reaches. Each call is held open by the test until it lets it finish, so every grouping
// here is forced, not timed.
import { KeyedBatches } from '../../src/shared/keyed-batches';

type Call = { items: string[]; finish: (results?: readonly string[]) => void; fail: (error: Error) => void };

/** A batcher whose calls the test finishes by hand; results default to each item upper-cased. */
function heldBatches(options: { batchMax?: number; waitingMax?: number } = {}) {
  const calls: Call[] = [];
  const batches = new KeyedBatches<string, string>({
    batchMax: options.batchMax ?? 32,
    waitingMax: options.waitingMax ?? 1_000,
    call: (items) =>
      new Promise((resolve, reject) => {
        calls.push({
          items: [...items],
          finish: (results) => resolve(results ?? items.map((item) => item.toUpperCase())),
          fail: reject,
        });
      }),
  });
  return { batches, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('an item whose key has no call under way goes at once, alone', async () => {
  const { batches, calls } = heldBatches();
  const a = batches.submit('k', 'a');
  expect(calls.map((c) => c.items)).toEqual([['a']]);
  calls[0]!.finish();
  await expect(a).resolves.toBe('A');
  await tick();
  expect(batches.busyKeys).toBe(0);
});

test('items that arrive while their key is busy wait, then go together in the order they came', async () => {
  const { batches, calls } = heldBatches();
  const answers = ['a', 'b', 'c', 'd'].map((item) => batches.submit('k', item));
  expect(calls.map((c) => c.items)).toEqual([['a']]);
  calls[0]!.finish();
  await tick();
  expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'c', 'd']]);
  const e = batches.submit('k', 'e'); // the key is busy again: e waits for the next call
  calls[1]!.finish();
  await tick();
  expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
  calls[2]!.finish();
  expect(await Promise.all([...answers, e])).toEqual(['A', 'B', 'C', 'D', 'E']);
  await tick();
  expect(batches.busyKeys).toBe(0);
});

test('each call answers its own items: results are matched by position', async () => {
  const { batches, calls } = heldBatches();
  const answers = ['a', 'b', 'c'].map((item) => batches.submit('k', item));
  calls[0]!.finish(['first']);
  await tick();
  calls[1]!.finish(['second', 'third']);
  expect(await Promise.all(answers)).toEqual(['first', 'second', 'third']);
});

test('keys do not wait for one another', async () => {
  const { batches, calls } = heldBatches();
  const a = batches.submit('one', 'a');
  const b = batches.submit('two', 'b');
  expect(calls.map((c) => c.items)).toEqual([['a'], ['b']]);
  calls[1]!.finish();
  await expect(b).resolves.toBe('B');
  expect(batches.busyKeys).toBe(1);
  calls[0]!.finish();
  await expect(a).resolves.toBe('A');
});

test('a call takes at most batchMax items; the rest go in the calls after it', async () => {
  const { batches, calls } = heldBatches({ batchMax: 2 });
  const answers = ['a', 'b', 'c', 'd', 'e', 'f'].map((item) => batches.submit('k', item));
  for (let index = 0; index < 4; index += 1) {
    calls[index]!.finish();
    await tick();
  }
  expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'c'], ['d', 'e'], ['f']]);
  expect(await Promise.all(answers)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
});

test('past waitingMax an item goes at once, alone, beside the busy call', async () => {
  const { batches, calls } = heldBatches({ waitingMax: 2 });
  const answers = ['a', 'b', 'c', 'd'].map((item) => batches.submit('k', item));
  // a is under way, b and c wait, d is past the limit and goes at once.
  expect(calls.map((c) => c.items)).toEqual([['a'], ['d']]);
  calls[1]!.finish();
  await expect(answers[3]).resolves.toBe('D');
  calls[0]!.finish();
  await tick();
  expect(calls.map((c) => c.items)).toEqual([['a'], ['d'], ['b', 'c']]);
  calls[2]!.finish();
  expect(await Promise.all(answers)).toEqual(['A', 'B', 'C', 'D']);
});

test('a lone item that fails rejects with its error; the key goes on with the next call', async () => {
  const { batches, calls } = heldBatches();
  const a = batches.submit('k', 'a');
  const b = batches.submit('k', 'b');
  calls[0]!.fail(new Error('a failed'));
  await expect(a).rejects.toThrow('a failed');
  await tick();
  calls[1]!.finish();
  await expect(b).resolves.toBe('B');
});

test('a failed call of several items is made again item by item: only the failing item fails', async () => {
  const { batches, calls } = heldBatches();
  const answers = ['a', 'b', 'poison', 'c'].map((item) => batches.submit('k', item));
  const settled = Promise.allSettled(answers);
  calls[0]!.finish();
  await tick();
  calls[1]!.fail(new Error('the group failed'));
  await tick();
  for (const expected of ['b', 'poison', 'c']) {
    const call = calls.at(-1)!;
    expect(call.items).toEqual([expected]);
    if (expected === 'poison') call.fail(new Error('poison failed'));
    else call.finish();
    await tick();
  }
  expect(calls.map((c) => c.items)).toEqual([['a'], ['b', 'poison', 'c'], ['b'], ['poison'], ['c']]);
  const outcomes = (await settled).map((o) => (o.status === 'fulfilled' ? o.value : String(o.reason)));
  expect(outcomes).toEqual(['A', 'B', 'Error: poison failed', 'C']);
});

test('a call that answers the wrong number of results fails its item', async () => {
  const { batches, calls } = heldBatches();
  const a = batches.submit('k', 'a');
  calls[0]!.finish(['A', 'extra']);
  await expect(a).rejects.toThrow('a batch call answered 2 results for 1 items');
});

test('the limits must be whole numbers in range', () => {
  const call = async () => [];
  expect(() => new KeyedBatches({ batchMax: 0, waitingMax: 1, call })).toThrow('batchMax');
  expect(() => new KeyedBatches({ batchMax: 1.5, waitingMax: 1, call })).toThrow('batchMax');
  expect(() => new KeyedBatches({ batchMax: 1, waitingMax: -1, call })).toThrow('waitingMax');
  expect(() => new KeyedBatches({ batchMax: 1, waitingMax: 0, call })).not.toThrow();
});
