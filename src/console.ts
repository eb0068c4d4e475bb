// The web console at `/` (console/): in development Vite's dev server runs inside this express
// app (middleware mode: modules compiled on request, hot reload over the same HTTP server); in
// production the files built into console/dist are served, index.html for every screen's path.
// Nothing here is imported by the console, and the console talks only to /graphql and /export.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Config } from './config';
import { PROJECT_ROOT } from './paths';

export const CONSOLE_DIR = path.join(PROJECT_ROOT, 'console');
export const CONSOLE_DIST_DIR = path.join(CONSOLE_DIR, 'dist');

export type ConsoleMount = { close: () => Promise<void> };

/** Who the sign-in page may offer: the demo users, only while the demo data is loaded. */
export type DemoSignIn = { name: string; roles: readonly string[]; token: string };

export async function mountConsole(
  app: Express,
  config: Pick<Config, 'console'>,
  options: { server: http.Server; demoUsers: readonly DemoSignIn[] },
): Promise<ConsoleMount> {
  if (config.console === 'off') return { close: async () => undefined };
  app.get('/console/demo-users', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json(options.demoUsers.map(({ name, roles, token }) => ({ name, roles, token })));
  });
  if (config.console === 'dist') {
    const index = path.join(CONSOLE_DIST_DIR, 'index.html');
    if (!fs.existsSync(index))
      throw new Error(`the console is not built (${index} is missing): run npm run console:build`);
    app.use(
      '/assets',
      express.static(path.join(CONSOLE_DIST_DIR, 'assets'), { immutable: true, maxAge: '1y' }),
    );
    app.get(/^\/(?!graphql|export|healthz|readyz).*/, (_req, res) => res.sendFile(index));
    return { close: async () => undefined };
  }
  // Vite is a development dependency: loaded only here.
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: path.join(CONSOLE_DIR, 'vite.config.ts'),
    root: CONSOLE_DIR,
    appType: 'spa',
    server: { middlewareMode: true, hmr: { server: options.server } },
    logLevel: 'warn',
  });
  app.use(vite.middlewares);
  return { close: () => vite.close() };
}
