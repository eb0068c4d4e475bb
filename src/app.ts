// The express application: health and readiness probes, request ids and logs, and /graphql.
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import crypto from 'node:crypto';
import type { Services } from './graphql/context';
import { createGraphQLServer } from './graphql/server';
import { RateLimiter } from './graphql/rate-limit';
import { exportRouter } from './modules/reports/csv';

/** Readiness waits at most this long for the database to answer. */
export const READINESS_TIMEOUT_MS = 2_000;
/** Requests larger than this are refused before any parsing. */
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
  app.use(
    pinoHttp({
      logger: services.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : crypto.randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const ready = await databaseAnswers(services);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unavailable' });
  });

  app.use('/graphql', (req, res, next) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > REQUEST_BODY_BYTES_MAX) {
      res.status(413).json({
        errors: [
          {
            message: `Request body larger than ${REQUEST_BODY_BYTES_MAX} bytes`,
            extensions: { code: 'PAYLOAD_TOO_LARGE' },
          },
        ],
      });
      return;
    }
    next();
  });

  // One request budget per API token across GraphQL and the CSV exports.
  const limiter = new RateLimiter(services.config.rateLimitPerMinute);
  app.use('/export', exportRouter(services, limiter));

  const yoga = createGraphQLServer(services, limiter);
  // yoga is a node request handler; express's typings do not know its overloads.
  app.use(yoga.graphqlEndpoint, yoga as unknown as express.RequestHandler);
  return app;
}
