// Idempotency for every mutation that moves money. The key row is inserted in the mutation's
// own transaction: a concurrent replay blocks on the unique key until the first commits, then
// finds it and answers with the same object; if the first rolled back, the replay runs anew.
// The same key with different input (or by another user, or for another operation) is refused.
import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import { inTransaction, type Transaction } from '../db/transaction';
import type { UseCaseContext } from '../graphql/context';
import { IdempotencyConflictError, ValidationError } from './errors';
import { Decimal } from './money';

export const IDEMPOTENCY_KEY_LENGTH_MIN = 8;
export const IDEMPOTENCY_KEY_LENGTH_MAX = 200;

/** JSON with sorted keys and canonical Decimal and DateTime text, so equal input hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Decimal) return JSON.stringify(value.toFixed());
  if (value instanceof DateTime) return JSON.stringify(value.toUTC().toISO());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(operation: string, input: unknown): string {
  return crypto
    .createHash('sha256')
    .update(operation)
    .update('\0')
    .update(canonicalJson(input))
    .digest('hex');
}

export function validateIdempotencyKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed.length < IDEMPOTENCY_KEY_LENGTH_MIN || trimmed.length > IDEMPOTENCY_KEY_LENGTH_MAX) {
    throw new ValidationError(
      'idempotencyKey',
      `idempotencyKey must be ${IDEMPOTENCY_KEY_LENGTH_MIN}–${IDEMPOTENCY_KEY_LENGTH_MAX} characters (a UUID is a good choice)`,
    );
  }
  return trimmed;
}

export type IdempotentResult<T> = { value: T; replayed: boolean };

/**
 * Runs `work` once per key inside `trx`. `result` says how to remember what `work` made (its id)
 * and how to load it again for a replay.
 */
export async function idempotent<T>(
  trx: Transaction,
  context: Pick<UseCaseContext, 'actor'>,
  request: { key: string; operation: string; input: unknown },
  result: {
    type: string;
    idOf: (value: T) => string;
    load: (id: string) => Promise<T>;
    preassignedId?: string;
  },
  work: () => Promise<T>,
): Promise<IdempotentResult<T>> {
  const key = validateIdempotencyKey(request.key);
  const hash = requestHash(request.operation, request.input);
  const actorUserId = context.actor?.userId ?? null;
  // A result id known up front is stored with the key now, saving the update after the work.
  const inserted = await trx.raw(
    `insert into idempotency_keys (key, operation, request_hash, actor_user_id, result_type, result_id) values (?, ?, ?, ?, ?, ?)
     on conflict (key) do nothing returning key`,
    [
      key,
      request.operation,
      hash,
      actorUserId,
      result.preassignedId ? result.type : null,
      result.preassignedId ?? null,
    ],
  );
  if (inserted.rows.length === 0) {
    const stored = await trx('idempotency_keys').where({ key }).first();
    if (
      !stored ||
      stored.operation !== request.operation ||
      stored.request_hash !== hash ||
      stored.actor_user_id !== actorUserId
    ) {
      throw new IdempotencyConflictError(key);
    }
    return { value: await result.load(stored.result_id as string), replayed: true };
  }
  const value = await work();
  if (result.preassignedId) {
    // Stored with the key already; the work must have used it.
    if (result.idOf(value) !== result.preassignedId)
      throw new Error(`${result.type} was not created under its preassigned id`);
  } else {
    await trx('idempotency_keys')
      .where({ key })
      .update({ result_type: result.type, result_id: result.idOf(value) });
  }
  return { value, replayed: false };
}

/**
 * A money use case in one call: opens the transaction, applies the idempotency key (hashing the
 * input without the key itself) and runs `work`. `load` reads the first result again for a replay.
 */
export async function idempotentTransaction<T>(
  context: Pick<UseCaseContext, 'db' | 'actor'>,
  request: { operation: string; input: { idempotencyKey: string } & Record<string, unknown> },
  result: {
    type: string;
    idOf: (value: T) => string;
    load: (id: string) => Promise<T | null>;
    preassignedId?: string;
  },
  work: (trx: Transaction) => Promise<T>,
): Promise<T> {
  const { idempotencyKey, ...input } = request.input;
  return inTransaction(context.db, async (trx) => {
    const { value } = await idempotent(
      trx,
      context,
      { key: idempotencyKey, operation: request.operation, input },
      {
        ...result,
        load: async (id) => {
          const found = await result.load(id);
          if (found === null)
            throw new Error(`${result.type} ${id} recorded under an idempotency key is missing`);
          return found;
        },
      },
      () => work(trx),
    );
    return value;
  });
}
