// The express application: health and readiness probes, request ids and logs, and /graphql.
import express, { type Express } from 'express';
import { accessLog } from './access-log';
import type { Services } from './graphql/context';
import { createGraphQLServer } from './graphql/server';
import { RequestGate } from './graphql/rate-limit';
import { exportRouter } from './modules/reports/csv';
import { GRAPHIQL_ASSETS_DIR, GRAPHIQL_ASSETS_PATH } from './graphql/graphiql';

/** Readiness waits at most this long for the database to answer. */
export const READINESS_TIMEOUT_MS = 2_000;
/** Request bodies larger than this (in bytes read, not as announced) are refused before any parsing. */
export const REQUEST_BODY_BYTES_MAX = 1_000_000;

async function databaseAnswers(services: Services): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READINESS_TIMEOUT_MS);
  });
  const check = services.db
    .raw('select 1')
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createApp(services: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(accessLog(services.logger));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const ready = await databaseAnswers(services);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });

  if (services.config.graphiql)
    app.use(GRAPHIQL_ASSETS_PATH, express.static(GRAPHIQL_ASSETS_DIR, { immutable: true, maxAge: '7d' }));

  // The body is read here, counting the bytes that actually arrive (a chunked body has no
  // Content-Length to trust): past the limit reading stops and the answer is 413. yoga then takes
  // the bytes read. Nothing is parsed before the limit is known to hold.
  app.use(
    '/graphql',
    express.raw({ type: () => true, limit: REQUEST_BODY_BYTES_MAX }),
    (error: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
      if ((error as { type?: string }).type !== 'entity.too.large') return next(error);
      res.setHeader('connection', 'close');
      res.status(413).json({
        errors: [
          {
            message: `Request body larger than ${REQUEST_BODY_BYTES_MAX} bytes`,
            extensions: { code: 'PAYLOAD_TOO_LARGE' },
          },
        ],
      });
    },
  );

  // One request budget per API token, and one per address for requests without a valid token,
  // across GraphQL and the CSV exports.
  const gate = new RequestGate(services.db, {
    perTokenPerMinute: services.config.rateLimitPerMinute,
    perAddressPerMinute: services.config.anonymousRateLimitPerMinute,
    tokenCacheMs: services.config.tokenCacheMs,
  });
  app.use('/export', exportRouter(services, gate));

  const yoga = createGraphQLServer(services, gate);
  // yoga is a node request handler; express's typings do not know its overloads.
  app.use(yoga.graphqlEndpoint, yoga as unknown as express.RequestHandler);
  return app;
}
