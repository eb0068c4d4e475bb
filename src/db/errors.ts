// Which database failures a client may simply retry: the connection was lost or refused, the
// server is shutting down or starting, the pool could not hand out a connection in time, or
// PostgreSQL chose this transaction as a serialization or deadlock victim. Every money mutation
// takes an idempotency key stored in its own transaction, so a retry with the same key either
// finds the committed result or does the work once.

/** SQLSTATE classes and codes that mean "try again", not "your request is wrong". */
const RETRYABLE_SQLSTATE_PREFIXES = ['08']; // connection_exception and its subclasses
const RETRYABLE_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57P01', // admin_shutdown (pg_terminate_backend, fast shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
]);
/** Node socket errors seen when the server is gone or unreachable. */
const RETRYABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
/** node-postgres and knex report a lost connection or an empty pool only in words. */
const RETRYABLE_MESSAGES = [
  'Connection terminated',
  'connection terminated',
  'Client has encountered a connection error',
  'timeout exceeded when trying to connect',
  'Knex: Timeout acquiring a connection',
  'Client was closed and is not queryable',
];

function describe(error: unknown): { code?: unknown; message: string; name: string; cause?: unknown } {
  if (typeof error !== 'object' || error === null) return { message: '', name: '' };
  const e = error as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  return {
    code: e.code,
    message: typeof e.message === 'string' ? e.message : '',
    name: typeof e.name === 'string' ? e.name : '',
    cause: e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined),
  };
}

export function isRetryableDatabaseError(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === undefined || error === null) return false;
  const { code, message, name, cause } = describe(error);
  if (typeof code === 'string') {
    if (RETRYABLE_SQLSTATES.has(code) || RETRYABLE_SOCKET_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && RETRYABLE_SQLSTATE_PREFIXES.some((p) => code.startsWith(p)))
      return true;
  }
  if (name === 'KnexTimeoutError') return true;
  if (RETRYABLE_MESSAGES.some((m) => message.includes(m))) return true;
  // knex rewraps a failed ROLLBACK as "ROLLBACK - read ECONNRESET", dropping the code.
  if ([...RETRYABLE_SOCKET_CODES].some((socketCode) => message.includes(socketCode))) return true;
  return isRetryableDatabaseError(cause, depth + 1);
}

/** What a client is told when its request met one of those failures. */
export const RETRYABLE_MESSAGE =
  'The database was unavailable or the connection was lost while handling this request. ' +
  'It may or may not have taken effect: retry it with the same idempotency key, which applies it at most once.';
