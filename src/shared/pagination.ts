// Keyset pagination shared by every list: opaque cursors over a unique, ordered key, and one
// cap on page size so no client can ask for a million rows in one page.
import { ValidationError } from './errors';

export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 200;

export type ConnectionArgs = {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
};

export type PageRequest<K> = { after: K | null; before: K | null; limit: number; inverted: boolean };

export type Connection<T> = {
  edges: { cursor: string; node: T }[];
  /** How many items the list holds across all pages; counted only when asked for. */
  totalCount: () => Promise<number>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
};

type Key = string | number | (string | number)[];

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function badInput(message: string, field: string): ValidationError {
  return new ValidationError(field, message);
}

export function decodeCursor<K extends Key>(
  cursor: string,
  argument: string,
  isKey: (value: unknown) => value is K,
): K {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isKey(value)) throw badInput(`${argument} is not a cursor from this list`, argument);
  return value;
}

export const isNumberKey = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);
export const isStringPairKey = (value: unknown): value is [string, string] =>
  Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string');

function pageSize(args: ConnectionArgs): number {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value !== null && value !== undefined && (value < 0 || value > PAGE_SIZE_MAX)) {
      throw badInput(`${name} must be between 0 and ${PAGE_SIZE_MAX} (the page size limit)`, name);
    }
  }
  if (args.first != null && args.last != null) throw badInput('give first or last, not both', 'last');
  return args.first ?? args.last ?? PAGE_SIZE_DEFAULT;
}

/**
 * Runs `fetch` for one page (asking one row more than the page to learn whether more exist)
 * and shapes the answer as a Relay connection. `fetch` orders by the key, reversed when inverted;
 * `count` answers the connection's totalCount (the same filter, no page), run only when selected.
 */
export async function keysetConnection<T, K extends Key>(
  args: ConnectionArgs,
  key: { of: (node: T) => K; is: (value: unknown) => value is K },
  fetch: (page: PageRequest<K>) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Connection<T>> {
  const size = pageSize(args);
  const inverted = args.last != null && args.first == null;
  const after = args.after ? decodeCursor(args.after, 'after', key.is) : null;
  const before = args.before ? decodeCursor(args.before, 'before', key.is) : null;
  const rows = size === 0 ? [] : await fetch({ after, before, limit: size + 1, inverted });
  const hasMore = rows.length > size;
  const nodes = rows.slice(0, size);
  if (inverted) nodes.reverse();
  const edges = nodes.map((node) => ({ cursor: encodeCursor(key.of(node)), node }));
  return {
    edges,
    totalCount: count,
    pageInfo: {
      hasNextPage: inverted ? before !== null : hasMore,
      hasPreviousPage: inverted ? hasMore : after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
