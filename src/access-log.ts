// One log line per request, written when its response is done: the request id (given by the
// client as x-request-id, or made here, and sent back), the status and the duration; for GraphQL,
// the operation's name and type, the user, its outcome and error codes (noted by
// graphql/operation-log.ts), at info. Refusals before execution (401, 413, 429, malformed
// requests) and GraphQL requests that executed nothing go to debug; server errors are errors.
// Health probes are not logged. It costs a listener per request and, when the level is off,
// nothing more: no child logger, no serialised request.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger, Level } from 'pino';

export type OperationOutcome = 'ok' | 'errors' | 'partial';

export type OperationSummary = {
  operationName: string | null;
  operationType: string | null;
  userId: string | null;
  outcome: OperationOutcome;
  errorCodes: string[];
};

const operations = new WeakMap<IncomingMessage, OperationSummary>();

/** What the request's GraphQL operation was, for its log line. */
export function noteOperation(req: IncomingMessage, summary: OperationSummary): void {
  operations.set(req, summary);
}

const GIVEN_REQUEST_ID = /^[\w.-]{1,100}$/;
const UNLOGGED_PATHS = new Set(['/healthz', '/readyz']);

function levelOf(status: number, operation: OperationSummary | undefined, path: string): Level {
  if (status >= 500) return 'error';
  if (operation) return 'info';
  if (status >= 400 || path.startsWith('/graphql')) return 'debug';
  return 'info';
}

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && GIVEN_REQUEST_ID.test(given) ? given : crypto.randomUUID();
    (req as { id?: string }).id = requestId;
    res.setHeader('x-request-id', requestId);
    if (UNLOGGED_PATHS.has(req.url)) return next();
    const started = process.hrtime.bigint();
    // express strips a mount path from req.url; originalUrl keeps it.
    const path = req.originalUrl;
    res.once('close', () => {
      const operation = operations.get(req);
      const status = res.statusCode;
      const level = levelOf(status, operation, path);
      if (!logger.isLevelEnabled(level)) return;
      const durationMs = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      const aborted = !res.writableFinished;
      if (operation) {
        logger[level](
          { requestId, ...operation, status, durationMs, ...(aborted && { aborted }) },
          'graphql operation',
        );
      } else {
        logger[level](
          { requestId, method: req.method, url: path, status, durationMs, ...(aborted && { aborted }) },
          'request completed',
        );
      }
    });
    next();
  };
}
