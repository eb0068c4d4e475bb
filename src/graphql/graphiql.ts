// GraphiQL from the installed @graphql-yoga/graphiql package, never from a CDN: yoga's own page
// loads its script, styles and editor workers from unpkg.com, which a machine without internet
// (or behind a slow link) cannot reach, and the page stays at "Loading…". The page is yoga's,
// with every asset address pointed at GRAPHIQL_ASSETS_PATH, which app.ts serves from the
// package's dist folder.
import path from 'node:path';
import { renderGraphiQL, type GraphiQLOptions } from 'graphql-yoga';

export const GRAPHIQL_ASSETS_PATH = '/graphiql-assets';

/** The installed package's dist folder (the UMD bundle, its styles and the editor workers). */
export const GRAPHIQL_ASSETS_DIR = path.join(
  path.dirname(require.resolve('@graphql-yoga/graphiql/package.json')),
  'dist',
);

const CDN_DIST = /https:\/\/unpkg\.com\/@graphql-yoga\/graphiql@[^/]+\/dist/g;
const ANY_REMOTE = /(?:src|href)=["']?https?:\/\//;

export function renderLocalGraphiQL(options: GraphiQLOptions): string {
  const page = renderGraphiQL(options)
    .replace(CDN_DIST, GRAPHIQL_ASSETS_PATH)
    // The favicon is the one remote asset without a local copy: leave it out.
    .replace(/<link rel=icon [^>]*>/, '')
    // yoga fills in the title once; the loading line names it too.
    .replaceAll('__TITLE__', options?.title ?? 'GraphiQL');
  // A yoga upgrade that adds another remote asset must fail loudly, not load it.
  if (ANY_REMOTE.test(page)) throw new Error('the GraphiQL page still names a remote asset');
  return page;
}
