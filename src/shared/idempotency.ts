// Idempotency for every mutation that moves money, as a retrying client can trust it:
// - a key belongs to its user: another user's equal key is another key, and reveals nothing;
// - the lookup comes first, before any check that depends on the time of the request;
// - the first outcome is kept once execution began: the result, or the domain refusal (the work
//   is rolled back to a savepoint and the refusal stored in its place), and every replay gets it;
// - a replayed result is read again and re-authorised for the caller as they are now;
// - a duplicate that arrives while the first is still running gets IDEMPOTENCY_IN_PROGRESS
//   (retry shortly) instead of waiting or running twice;
// - the same key with other input or for another operation is IDEMPOTENCY_CONFLICT;
// - keys answer for a retention period (IDEMPOTENCY_KEY_RETENTION_HOURS), then count as new and
//   are pruned by the sweep.
import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import type { Knex } from 'knex';
import { inTransaction, type Transaction } from '../db/transaction';
import type { UseCaseContext } from './context';
import {
  BudgetExceededError,
  ConflictError,
  DomainError,
  ForbiddenActionError,
  IdempotencyConflictError,
  IdempotencyInProgressError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from './errors';
import { Decimal } from './money';
import { characterCount } from './text';

export const IDEMPOTENCY_KEY_LENGTH_MIN = 8;
export const IDEMPOTENCY_KEY_LENGTH_MAX = 200;
export const IDEMPOTENCY_PRUNE_BATCH_MAX = 10_000;

/** How every idempotencyKey argument is described in the schema: the contract in one sentence. */
export const IDEMPOTENCY_KEY_DESCRIPTION = `A unique key per intended change (a UUID; ${IDEMPOTENCY_KEY_LENGTH_MIN}–${IDEMPOTENCY_KEY_LENGTH_MAX} characters; yours alone; kept 7 days by default): a retry with the same key and input answers the first outcome, result or refusal, flagged with extensions.idempotentReplay; while the first is still running, IdempotencyInProgressError; the same key with other input, IdempotencyConflictError.`;

/** JSON with sorted keys and canonical Decimal and DateTime text, so equal input hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Decimal) return JSON.stringify(value.toFixed());
  if (value instanceof DateTime) return JSON.stringify(value.toUTC().toISO());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // Array.prototype.sort's default order is by UTF-16 code unit, the same for every engine.
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
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

/** Counted in characters (code points), as PostgreSQL's char_length counts them. */
export function validateIdempotencyKey(key: string): string {
  const trimmed = key.trim();
  const length = characterCount(trimmed);
  if (length < IDEMPOTENCY_KEY_LENGTH_MIN || length > IDEMPOTENCY_KEY_LENGTH_MAX) {
    throw new ValidationError(
      'input.idempotencyKey',
      `idempotencyKey must be ${IDEMPOTENCY_KEY_LENGTH_MIN}–${IDEMPOTENCY_KEY_LENGTH_MAX} characters (a UUID is a good choice)`,
    );
  }
  return trimmed;
}

// ---- Refusals, stored as JSON and revived as the same error class, so a replay is the same union member.

type StoredRefusal = {
  name: string;
  message: string;
  field: string | null;
  details: Record<string, unknown>;
};

const REFUSAL_CLASSES: Record<string, abstract new (...args: never[]) => DomainError> = {
  BudgetExceededError,
  ConflictError,
  ForbiddenActionError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
};
const DECIMAL_DETAILS = new Set(['remainingAmount', 'requestedAmount']);

/**
 * Lets a module's own refusal class (a subclass carrying JSON details, such as the blockers of a
 * close) be stored and replayed as itself rather than rolled back with its key.
 */
export function registerRefusalClass(cls: abstract new (...args: never[]) => DomainError): void {
  REFUSAL_CLASSES[cls.name] = cls;
}

function storeRefusal(error: DomainError): StoredRefusal {
  const details: Record<string, unknown> = {};
  // Every own field, field and name included: reviveRefusal sets those two again from the record.
  for (const [name, value] of Object.entries(error))
    details[name] = value instanceof Decimal ? value.toFixed() : value;
  return { name: error.name, message: error.message, field: error.field, details };
}

function reviveRefusal(stored: StoredRefusal): DomainError {
  const cls = REFUSAL_CLASSES[stored.name];
  if (!cls) throw new Error(`stored refusal of unknown class ${stored.name}`);
  const error = Object.create(cls.prototype) as DomainError;
  const details = Object.fromEntries(
    Object.entries(stored.details).map(([name, value]) => [
      name,
      DECIMAL_DETAILS.has(name) ? new Decimal(String(value)) : value,
    ]),
  );
  Object.assign(error, details, { message: stored.message, name: stored.name, field: stored.field });
  return error;
}

/** A refusal is stored only if it is one the class registry can bring back. */
function isStorableRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && REFUSAL_CLASSES[error.name] === error.constructor;
}

// ---- Replays are reported on the response (extensions.idempotentReplay), per request.

const replayedRequests = new WeakSet<object>();

/** True when a mutation of this request answered from a stored outcome. */
export function answeredFromReplay(context: object): boolean {
  return replayedRequests.has(context);
}

// ---- The use case wrapper.

type StoredKey = {
  operation: string;
  request_hash: string;
  outcome: 'RESULT' | 'REFUSAL';
  result_id: string | null;
  refusal: StoredRefusal | null;
  expired: boolean;
};

export type IdempotentRequest = {
  operation: string;
  input: { idempotencyKey: string } & Record<string, unknown>;
  /** Checks that depend on when the request arrives (today's date): run for a first attempt only. */
  validate?: () => void;
};

export type IdempotentResult<T> = {
  type: string;
  idOf: (value: T) => string;
  /** Reads the first result again, for a replay. */
  load: (id: string) => Promise<T | null>;
  /** Re-authorises a replayed result for the caller as they are now (throws NOT_FOUND or FORBIDDEN). */
  authorize: (value: T, trx: Transaction) => Promise<void>;
  /** A result id chosen before the work, stored with the key up front. */
  preassignedId?: string;
};

type Outcome<T> = { value: T } | { refusal: DomainError };

async function findKey(trx: Transaction, userId: string, key: string, retentionHours: number) {
  const { rows } = await trx.raw(
    `select operation, request_hash, outcome, result_id, refusal,
            created_at < now() - make_interval(hours => ?) as expired
       from idempotency_keys where actor_user_id = ? and key = ?`,
    [retentionHours, userId, key],
  );
  return (rows[0] as StoredKey | undefined) ?? null;
}

/** The key as stored and the hash of the input without it: what a replay is recognised by. */
export function idempotencyIdentity(request: Pick<IdempotentRequest, 'operation' | 'input'>): {
  key: string;
  hash: string;
} {
  const { idempotencyKey, ...input } = request.input;
  return { key: validateIdempotencyKey(idempotencyKey), hash: requestHash(request.operation, input) };
}

/**
 * A money use case in one call: opens the transaction, applies the idempotency key (hashing the
 * input without the key itself) and runs `work` once per key and user.
 */
export async function idempotentTransaction<T>(
  context: Pick<UseCaseContext, 'db' | 'actor' | 'config'>,
  request: IdempotentRequest,
  result: IdempotentResult<T>,
  work: (trx: Transaction) => Promise<T>,
): Promise<T> {
  const { key, hash } = idempotencyIdentity(request);
  const userId = context.actor!.userId;
  const outcome = await inTransaction(
    context.db,
    async (trx): Promise<Outcome<T> & { replayed: boolean }> => {
      // One request per user and key at a time; a second one is told to come back, never queued.
      const { rows } = await trx.raw(`select pg_try_advisory_xact_lock(hashtextextended(?, 0)) as locked`, [
        `${userId} ${key}`,
      ]);
      if (!rows[0].locked) throw new IdempotencyInProgressError();
      const stored = await findKey(trx, userId, key, context.config.idempotencyKeyRetentionHours);
      if (stored && !stored.expired) {
        // The hash covers the operation: the same key for another operation is a conflict too.
        if (stored.request_hash !== hash) throw new IdempotencyConflictError(key);
        if (stored.outcome === 'REFUSAL') return { refusal: reviveRefusal(stored.refusal!), replayed: true };
        const value = await result.load(stored.result_id!);
        if (value === null)
          throw new Error(`${result.type} ${stored.result_id} recorded under a key is missing`);
        await result.authorize(value, trx);
        return { value, replayed: true };
      }
      request.validate?.();
      // A key past its retention is taken over in place: every column starts again.
      await trx('idempotency_keys')
        .insert({
          key,
          operation: request.operation,
          request_hash: hash,
          actor_user_id: userId,
          outcome: 'RESULT',
          refusal: null,
          result_type: result.preassignedId ? result.type : null,
          result_id: result.preassignedId ?? null,
          created_at: trx.fn.now(),
        })
        .onConflict(['actor_user_id', 'key'])
        .merge();
      try {
        // A savepoint: a refusal undoes the work but keeps the key, which then stores the refusal.
        const value = await trx.transaction((savepoint: Knex.Transaction) => work(savepoint));
        if (result.preassignedId && result.idOf(value) !== result.preassignedId)
          throw new Error(`${result.type} was not created under its preassigned id`);
        // Stryker disable next-line ConditionalExpression: equivalent, a preassigned id's row already holds this type and id.
        if (!result.preassignedId)
          await trx('idempotency_keys')
            .where({ actor_user_id: userId, key })
            .update({ result_type: result.type, result_id: result.idOf(value) });
        return { value, replayed: false };
      } catch (error) {
        if (!isStorableRefusal(error)) throw error;
        await trx('idempotency_keys')
          .where({ actor_user_id: userId, key })
          .update({ outcome: 'REFUSAL', result_type: null, result_id: null, refusal: storeRefusal(error) });
        return { refusal: error, replayed: false };
      }
    },
  );
  if (outcome.replayed) replayedRequests.add(context);
  if ('refusal' in outcome) throw outcome.refusal;
  return outcome.value;
}

/** Deletes keys past their retention, oldest first, at most a batch per call; returns how many. */
export async function pruneIdempotencyKeys(db: Knex, retentionHours: number): Promise<number> {
  const { rowCount } = await db.raw(
    `delete from idempotency_keys where ctid in (
       select ctid from idempotency_keys where created_at < now() - make_interval(hours => ?)
       order by created_at limit ?)`,
    [retentionHours, IDEMPOTENCY_PRUNE_BATCH_MAX],
  );
  return rowCount ?? 0;
}
