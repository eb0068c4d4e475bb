// idempotentTransaction on its own, with a work function of the test's making, in-process so that
// mutation testing sees it: what is stored for a result and for a refusal, what is not stored
// (an error that is not a domain refusal), a duplicate while the first is running, a conflict, a
// key past its retention, a preassigned id the work did not use, a result gone missing, a stored
// refusal of an unknown class, and the pruning sweep in batches.
import crypto from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { refusal } from '../support/refusal';
import { createStandardUsers } from '../support/factories';
import { actorOf, config, contextFor, key } from '../support/money';
import {
  IDEMPOTENCY_PRUNE_BATCH_MAX,
  answeredFromReplay,
  idempotentTransaction,
  pruneIdempotencyKeys,
  requestHash,
  type IdempotentResult,
} from '../../src/shared/idempotency';
import { BudgetExceededError, IdempotencyConflictError, ValidationError } from '../../src/shared/errors';
import { Decimal } from '../../src/shared/money';

let database: TestDatabase;
let users: Awaited<ReturnType<typeof createStandardUsers>>;

beforeAll(async () => {
  database = await createTestDatabase({ poolMax: 6 });
  users = await createStandardUsers(database.db);
});
afterAll(async () => database.drop());

type Thing = { id: string; n: number };
const things = new Map<string, Thing>();
const context = () => contextFor(database.db, actorOf(users.csm));
const result = (changes: Partial<IdempotentResult<Thing>> = {}): IdempotentResult<Thing> => ({
  type: 'Thing',
  idOf: (thing) => thing.id,
  load: async (id) => things.get(id) ?? null,
  authorize: async () => undefined,
  ...changes,
});
/** Work that makes a new thing each time it runs, and counts its runs. */
function maker() {
  let runs = 0;
  const work = async () => {
    runs += 1;
    const thing = { id: crypto.randomUUID(), n: runs };
    things.set(thing.id, thing);
    return thing;
  };
  return { work, runs: () => runs };
}
const stored = (k: string) =>
  database
    .db('idempotency_keys')
    .where({ key: k, actor_user_id: users.csm.user.id })
    .first('operation', 'request_hash', 'outcome', 'result_type', 'result_id', 'refusal');

test('a result is stored with its type and id, and replayed (flagged) without running the work again', async () => {
  const k = key();
  const { work, runs } = maker();
  const first = context();
  const request = { operation: 'makeThing', input: { idempotencyKey: ` ${k} `, size: new Decimal('1.50') } };
  const made = await idempotentTransaction(first, request, result(), work);
  expect(answeredFromReplay(first)).toBe(false);
  expect(await stored(k)).toEqual({
    operation: 'makeThing',
    request_hash: requestHash('makeThing', { size: new Decimal('1.5') }),
    outcome: 'RESULT',
    result_type: 'Thing',
    result_id: made.id,
    refusal: null,
  });
  const second = context();
  // The same input, spelled otherwise (scale), is the same request.
  const again = await idempotentTransaction(
    second,
    { operation: 'makeThing', input: { idempotencyKey: k, size: new Decimal('1.5') } },
    result(),
    work,
  );
  expect([again, runs(), answeredFromReplay(second)]).toEqual([made, 1, true]);
});

test('a preassigned id is stored up front; work that returns another id is an error and stores nothing', async () => {
  const k = key();
  const id = crypto.randomUUID();
  const made = await idempotentTransaction(
    context(),
    { operation: 'makeThing', input: { idempotencyKey: k } },
    result({ preassignedId: id }),
    async (trx) => {
      // Inside the work the key is already there, naming the result to come.
      expect(await trx('idempotency_keys').where({ key: k }).first('result_type', 'result_id')).toEqual({
        result_type: 'Thing',
        result_id: id,
      });
      const thing = { id, n: 0 };
      things.set(id, thing);
      return thing;
    },
  );
  expect([made.id, (await stored(k))?.result_id]).toEqual([id, id]);
  const wrong = key();
  expect(
    await refusal(() =>
      idempotentTransaction(
        context(),
        { operation: 'makeThing', input: { idempotencyKey: wrong } },
        result({ preassignedId: crypto.randomUUID() }),
        maker().work,
      ),
    ),
  ).toEqual({ error: 'Error', field: null, message: 'Thing was not created under its preassigned id' });
  expect(await stored(wrong)).toBeUndefined();
});

test('a domain refusal is stored and replayed as the same class; any other error stores nothing', async () => {
  const k = key();
  let runs = 0;
  const refuse = async (): Promise<Thing> => {
    runs += 1;
    throw new BudgetExceededError(new Decimal('40.00'), new Decimal('60.00'), 'CNY', 'input.amount');
  };
  const request = { operation: 'spend', input: { idempotencyKey: k } };
  const first = await refusal(() => idempotentTransaction(context(), request, result(), refuse));
  expect(first).toEqual({
    error: 'BudgetExceededError',
    field: 'input.amount',
    message: 'the budget has 40.00 CNY remaining; 60.00 CNY does not fit',
  });
  expect(await stored(k)).toEqual({
    operation: 'spend',
    request_hash: requestHash('spend', {}),
    outcome: 'REFUSAL',
    result_type: null,
    result_id: null,
    refusal: {
      name: 'BudgetExceededError',
      message: 'the budget has 40.00 CNY remaining; 60.00 CNY does not fit',
      field: 'input.amount',
      details: expect.objectContaining({ remainingAmount: '40', requestedAmount: '60', currency: 'CNY' }),
    },
  });
  const replay = context();
  const revived = await idempotentTransaction(replay, request, result(), refuse).catch((e: unknown) => e);
  expect(revived).toBeInstanceOf(BudgetExceededError);
  const error = revived as BudgetExceededError;
  expect(
    [error.remainingAmount, error.requestedAmount].map((v) => v instanceof Decimal && v.toFixed(2)),
  ).toEqual(['40.00', '60.00']);
  expect([error.field, error.message, error.code, runs, answeredFromReplay(replay)]).toEqual([
    'input.amount',
    'the budget has 40.00 CNY remaining; 60.00 CNY does not fit',
    'BUDGET_EXCEEDED',
    1,
    true,
  ]);
  // Errors that are not refusals the registry can revive are not an outcome: nothing is kept.
  for (const thrown of [new Error('disk on fire'), new IdempotencyConflictError('x')]) {
    const other = key();
    await expect(
      idempotentTransaction(
        context(),
        { operation: 'spend', input: { idempotencyKey: other } },
        result(),
        () => Promise.reject(thrown),
      ),
    ).rejects.toBe(thrown);
    expect(await stored(other)).toBeUndefined();
  }
});

test('the same key for another operation or other input is a conflict; the work does not run', async () => {
  const k = key();
  const { work, runs } = maker();
  await idempotentTransaction(
    context(),
    { operation: 'a', input: { idempotencyKey: k, n: 1 } },
    result(),
    work,
  );
  for (const request of [
    { operation: 'b', input: { idempotencyKey: k, n: 1 } },
    { operation: 'a', input: { idempotencyKey: k, n: 2 } },
  ]) {
    expect(await refusal(() => idempotentTransaction(context(), request, result(), work))).toEqual({
      error: 'IdempotencyConflictError',
      field: 'input.idempotencyKey',
      message: `Idempotency key ${k} was already used with different input; use a new key for a new request`,
    });
  }
  expect(runs()).toBe(1);
});

test('a duplicate while the first still runs is told to retry; it neither waits nor runs', async () => {
  const k = key();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const { work, runs } = maker();
  const request = { operation: 'slow', input: { idempotencyKey: k } };
  const first = idempotentTransaction(context(), request, result(), async () => {
    started();
    await held;
    return work();
  });
  await running;
  expect(await refusal(() => idempotentTransaction(context(), request, result(), work))).toEqual({
    error: 'IdempotencyInProgressError',
    field: 'input.idempotencyKey',
    message:
      'A request with this idempotency key is still being processed; retry in a moment to get its outcome',
  });
  release();
  const made = await first;
  expect([runs(), (await idempotentTransaction(context(), request, result(), work)).id]).toEqual([
    1,
    made.id,
  ]);
});

test('the time-dependent check runs for a first attempt only', async () => {
  const k = key();
  let checks = 0;
  const request = { operation: 'dated', input: { idempotencyKey: k }, validate: () => void (checks += 1) };
  const { work } = maker();
  await idempotentTransaction(context(), request, result(), work);
  await idempotentTransaction(context(), request, result(), work);
  expect(checks).toBe(1);
  const refused = key();
  const failing = {
    operation: 'dated',
    input: { idempotencyKey: refused },
    validate: () => {
      throw new ValidationError('input.plannedDate', 'too late');
    },
  };
  expect(await refusal(() => idempotentTransaction(context(), failing, result(), work))).toEqual({
    error: 'ValidationError',
    field: 'input.plannedDate',
    message: 'too late',
  });
  // A refusal before execution began is not the key's outcome.
  expect(await stored(refused)).toBeUndefined();
});

test('a key past its retention is new: the work runs again, even with other input', async () => {
  const k = key();
  const { work, runs } = maker();
  const first = await idempotentTransaction(
    context(),
    { operation: 'a', input: { idempotencyKey: k, n: 1 } },
    result(),
    work,
  );
  const hours = config.idempotencyKeyRetentionHours;
  await database
    .db('idempotency_keys')
    .where({ key: k })
    .update({
      created_at: database.db.raw(`now() - make_interval(hours => ?) - interval '1 second'`, [hours]),
    });
  const second = await idempotentTransaction(
    context(),
    { operation: 'b', input: { idempotencyKey: k, n: 2 } },
    result(),
    work,
  );
  expect([runs(), second.id === first.id]).toEqual([2, false]);
  expect(await stored(k)).toMatchObject({
    operation: 'b',
    request_hash: requestHash('b', { n: 2 }),
    result_id: second.id,
  });
  // Just inside the retention the key still answers.
  await database
    .db('idempotency_keys')
    .where({ key: k })
    .update({
      created_at: database.db.raw(`now() - make_interval(hours => ?) + interval '1 minute'`, [hours]),
    });
  const third = await idempotentTransaction(
    context(),
    { operation: 'b', input: { idempotencyKey: k, n: 2 } },
    result(),
    work,
  );
  expect([runs(), third.id]).toEqual([2, second.id]);
});

test("a refusal is stored on its own key only; the user's other keys keep their outcomes", async () => {
  const { work } = maker();
  const kept = key();
  const made = await idempotentTransaction(
    context(),
    { operation: 'a', input: { idempotencyKey: kept } },
    result(),
    work,
  );
  const before = await stored(kept);
  await refusal(() =>
    idempotentTransaction(context(), { operation: 'a', input: { idempotencyKey: key() } }, result(), () =>
      Promise.reject(new ValidationError('input.x', 'no')),
    ),
  );
  expect(await stored(kept)).toEqual(before);
  expect(before).toMatchObject({ outcome: 'RESULT', result_id: made.id });
});

test('a refused key past its retention is taken over as a new key: the new result replaces the refusal', async () => {
  const k = key();
  const { work, runs } = maker();
  const request = { operation: 'a', input: { idempotencyKey: k } };
  await refusal(() =>
    idempotentTransaction(context(), request, result(), () =>
      Promise.reject(new ValidationError('input.x', 'no')),
    ),
  );
  await database
    .db('idempotency_keys')
    .where({ key: k })
    .update({
      created_at: database.db.raw(`now() - make_interval(hours => ?) - interval '1 second'`, [
        config.idempotencyKeyRetentionHours,
      ]),
    });
  const made = await idempotentTransaction(context(), request, result(), work);
  expect([runs(), await stored(k)]).toEqual([
    1,
    {
      operation: 'a',
      request_hash: requestHash('a', {}),
      outcome: 'RESULT',
      result_type: 'Thing',
      result_id: made.id,
      refusal: null,
    },
  ]);
  // The taken-over key starts its retention again: it answers a retry now.
  const again = await idempotentTransaction(context(), request, result(), work);
  expect([runs(), again.id]).toEqual([1, made.id]);
});

test('a recorded result gone missing, or a stored refusal of an unknown class, is an error, never a new run', async () => {
  const k = key();
  const { work, runs } = maker();
  const request = { operation: 'a', input: { idempotencyKey: k } };
  const made = await idempotentTransaction(context(), request, result(), work);
  things.delete(made.id);
  expect(await refusal(() => idempotentTransaction(context(), request, result(), work))).toEqual({
    error: 'Error',
    field: null,
    message: `Thing ${made.id} recorded under a key is missing`,
  });
  const r = key();
  const refusing = { operation: 'a', input: { idempotencyKey: r } };
  await refusal(() =>
    idempotentTransaction(context(), refusing, result(), () =>
      Promise.reject(new ValidationError('input.x', 'no')),
    ),
  );
  await database
    .db('idempotency_keys')
    .where({ key: r })
    .update({ refusal: { name: 'BogusError', message: 'no', field: 'input.x', details: {} } });
  expect(await refusal(() => idempotentTransaction(context(), refusing, result(), work))).toEqual({
    error: 'Error',
    field: null,
    message: 'stored refusal of unknown class BogusError',
  });
  expect(runs()).toBe(1);
});

test('pruning deletes only keys past their retention, a batch at a time', async () => {
  const hours = config.idempotencyKeyRetentionHours;
  const fresh = key();
  await idempotentTransaction(
    context(),
    { operation: 'a', input: { idempotencyKey: fresh } },
    result(),
    maker().work,
  );
  const old = IDEMPOTENCY_PRUNE_BATCH_MAX + 2;
  await database.db.raw(
    `insert into idempotency_keys (key, operation, request_hash, actor_user_id, created_at)
     select 'old-key-' || i, 'a', 'h', ?, now() - make_interval(hours => ?) - make_interval(secs => i)
       from generate_series(1, ?) i`,
    [users.csm.user.id, hours, old],
  );
  expect(await pruneIdempotencyKeys(database.db, hours)).toBe(IDEMPOTENCY_PRUNE_BATCH_MAX);
  // Oldest first: the two left are the two newest of the old keys.
  expect(
    (
      await database.db('idempotency_keys').where('key', 'like', 'old-key-%').orderBy('key').select('key')
    ).map((row: { key: string }) => row.key),
  ).toEqual(['old-key-1', 'old-key-2']);
  expect(await pruneIdempotencyKeys(database.db, hours)).toBe(2);
  expect(await pruneIdempotencyKeys(database.db, hours)).toBe(0);
  expect(await stored(fresh)).toMatchObject({ outcome: 'RESULT' });
});
