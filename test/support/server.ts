// The real express app on an ephemeral port, called over HTTP like any client would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp } from '../../src/app';
import { mountConsole, type DemoSignIn } from '../../src/console';
import { loadConfig, type Config } from '../../src/config';
import type { Database } from '../../src/db/knex';

export const TEST_TOKEN_HASH_KEY = 'test-token-hash-key-0123456789';

export function testConfig(overrides: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    TOKEN_HASH_KEY: TEST_TOKEN_HASH_KEY,
    LOG_LEVEL: 'silent',
    CONSOLE: 'off', // the console's own tests ask for it (a production config would want console/dist)
    ...overrides,
  });
}

export type GraphQLResponse<T = Record<string, unknown>> = {
  status: number;
  data: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string } }[];
  extensions?: Record<string, unknown>;
};

export type TestServer = {
  baseUrl: string;
  config: Config;
  graphql: <T = Record<string, unknown>>(
    token: string | null,
    query: string,
    variables?: Record<string, unknown>,
  ) => Promise<GraphQLResponse<T>>;
  close: () => Promise<void>;
};

export async function startTestServer(
  db: Database,
  overrides: NodeJS.ProcessEnv = {},
  options: { demoUsers?: readonly DemoSignIn[] } = {},
): Promise<TestServer> {
  const config = testConfig(overrides);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }); // TEST_LOG_LEVEL=debug to see a test server's logs
  const app = createApp({ db, config, logger, fiscalCalendar: config.fiscal });
  const server = http.createServer(app);
  // CONSOLE=dist serves the built console (console/dist) as production does.
  const mounted = await mountConsole(app, config, { server, demoUsers: options.demoUsers ?? [] });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    config,
    graphql: async (token, query, variables) => {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
      return {
        status: response.status,
        data: (body.data ?? null) as never,
        errors: body.errors,
        extensions: body.extensions,
      };
    },
    close: async () => {
      await mounted.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
