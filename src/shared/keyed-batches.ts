// Group commit for work that takes turns on one key (a budget's row lock). While a call for a key
// is under way, the items for that key that arrive wait, and go together in the next call: N
// bookings on a hot budget then take the lock, and the commit's flush to disk, once per call
// instead of once each. An item whose key has no call under way goes at once, alone, so work
// spread over many keys waits for nothing. Items of one key go in the order they came, and each
// call's items are answered in that order by the call's results, one per item.
//
// `call` must be atomic: a call that fails changed nothing (or doing an item again is harmless).
// A failed call of several items is then made again item by item, in order, so that one item's
// failure is its own and not its neighbours'.
//
// Limits: a call takes at most `batchMax` items; at most `waitingMax` items wait per key, and an
// item past that goes alone at once (the key's lock then orders it, as it would without batches).

export type BatchCall<Item, Result> = (items: readonly Item[]) => Promise<readonly Result[]>;

type Waiting<Item, Result> = {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
};

export type KeyedBatchesOptions<Item, Result> = {
  batchMax: number;
  waitingMax: number;
  call: BatchCall<Item, Result>;
};

export class KeyedBatches<Item, Result> {
  /** The items waiting per key; a key is here exactly while a call for it is under way. */
  private readonly waitingByKey = new Map<string, Waiting<Item, Result>[]>();

  constructor(private readonly options: KeyedBatchesOptions<Item, Result>) {
    if (!(Number.isInteger(options.batchMax) && options.batchMax >= 1))
      throw new Error(`batchMax must be a whole number ≥ 1, got ${options.batchMax}`);
    if (!(Number.isInteger(options.waitingMax) && options.waitingMax >= 0))
      throw new Error(`waitingMax must be a whole number ≥ 0, got ${options.waitingMax}`);
  }

  submit(key: string, item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const entry = { item, resolve, reject };
      const waiting = this.waitingByKey.get(key);
      if (waiting === undefined) {
        this.waitingByKey.set(key, []);
        void this.drain(key, [entry]);
      } else if (waiting.length < this.options.waitingMax) {
        waiting.push(entry);
      } else {
        void this.callAndAnswer([entry]);
      }
    });
  }

  /** Keys with a call under way, for tests and metrics. */
  get busyKeys(): number {
    return this.waitingByKey.size;
  }

  /** Runs the key's calls one after another until nothing waits for it. */
  private async drain(key: string, first: Waiting<Item, Result>[]): Promise<void> {
    let batch = first;
    for (;;) {
      await this.callAndAnswer(batch);
      const waiting = this.waitingByKey.get(key)!;
      if (waiting.length === 0) {
        this.waitingByKey.delete(key);
        return;
      }
      batch = waiting.splice(0, this.options.batchMax);
    }
  }

  /** One call, or one per item if it fails; never throws: an item's failure is its promise's. */
  private async callAndAnswer(batch: Waiting<Item, Result>[]): Promise<void> {
    try {
      const results = await this.call(batch);
      for (const [index, entry] of batch.entries()) entry.resolve(results[index]!);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const entry of batch) await this.callAndAnswer([entry]);
    }
  }

  private async call(batch: Waiting<Item, Result>[]): Promise<readonly Result[]> {
    const results = await this.options.call(batch.map((entry) => entry.item));
    if (results.length !== batch.length)
      throw new Error(`a batch call answered ${results.length} results for ${batch.length} items`);
    return results;
  }
}
