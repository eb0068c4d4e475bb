// Pagination shared by every list that can grow: Relay connections with totalCount, opaque
// cursors, and one cap on page size so no client can ask for a million rows in one page.
// - keysetConnection: cursors over a unique, ordered key (stable while rows are added);
// - offsetConnection: cursors over positions, for reports computed whole or ranked by a figure
//   (a row added or re-ranked between two pages can shift the positions, as in any ranking).
import type { DateTime } from 'luxon';
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
/** A guard for a cursor key of these parts, in this order (a number part is a safe integer). */
export function tupleKey<K extends (string | number)[]>(
  ...parts: readonly ('string' | 'number')[]
): (value: unknown) => value is K {
  return (value: unknown): value is K =>
    Array.isArray(value) &&
    value.length === parts.length &&
    value.every((part, index) => (parts[index] === 'number' ? isNumberKey(part) : typeof part === 'string'));
}

export const isStringPairKey = (value: unknown): value is [string, string] =>
  Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string');

/** The key of a list newest first: [created_at as ISO text, id] (the rows keep created_at to the millisecond). */
export const newestFirstKey = {
  of: (row: { createdAt: DateTime; id: string }): [string, string] => [
    row.createdAt.toUTC().toISO()!,
    row.id,
  ],
  is: isStringPairKey,
};

function pageSize(args: ConnectionArgs, sizeMax = PAGE_SIZE_MAX): number {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value !== null && value !== undefined && (value < 0 || value > sizeMax)) {
      throw badInput(`${name} must be between 0 and ${sizeMax} (the page size limit)`, name);
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

/** One window of a list by position. */
export type OffsetWindow = { offset: number; limit: number };

/**
 * A Relay connection over positions: the cursor of an item is its position in the list. `fetch`
 * answers a window of the list in its order (asked one row more than the page, to learn whether
 * more exist); `count` answers totalCount, run only when selected. `last` needs `before` here (a
 * position counted from the end would move as the list grows), as in Pothos' offset connections.
 */
export async function offsetConnection<T>(
  args: ConnectionArgs,
  fetch: (window: OffsetWindow) => Promise<T[]>,
  count: () => Promise<number>,
  options: { sizeMax?: number } = {},
): Promise<Connection<T>> {
  const size = pageSize(args, options.sizeMax);
  const after = args.after ? decodeCursor(args.after, 'after', isNumberKey) : null;
  const before = args.before ? decodeCursor(args.before, 'before', isNumberKey) : null;
  const inverted = args.last != null && args.first == null;
  if (inverted && before === null)
    throw badInput('last needs before on this list: page backwards from a cursor of it', 'last');
  const start = after === null ? 0 : after + 1;
  const end = before ?? Number.MAX_SAFE_INTEGER;
  const offset = inverted ? Math.max(start, end - size) : start;
  const limit = Math.max(0, Math.min(size, end - offset));
  const rows = limit === 0 ? [] : await fetch({ offset, limit: limit + 1 });
  const nodes = rows.slice(0, limit);
  const edges = nodes.map((node, index) => ({ cursor: encodeCursor(offset + index), node }));
  return {
    edges,
    totalCount: count,
    pageInfo: {
      // As keysetConnection: backwards, what lies at `before` and beyond is the next page.
      hasNextPage: inverted || (rows.length > limit && offset + limit < end),
      hasPreviousPage: inverted ? offset > start : after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** offsetConnection over a list already computed whole (a report's rows). */
export function arrayConnection<T>(args: ConnectionArgs, items: readonly T[]): Promise<Connection<T>> {
  return offsetConnection(
    args,
    async ({ offset, limit }) => items.slice(offset, offset + limit),
    async () => items.length,
  );
}

/** A window of a list as a report answers it: the rows, the whole list's size, and whatever else it tells. */
export type CountedWindow<T> = { nodes: T[]; totalCount: number };

/**
 * offsetConnection for a query that counts the whole list as it answers a window (a window
 * function, a report's totals): totalCount costs nothing more, except after a window past the end
 * (which counts nothing), when the first row is asked again. `answer` is the last window's whole
 * answer, so a report's own figures (its period, its grand total) travel with the connection.
 */
export async function countedConnection<A extends CountedWindow<unknown>>(
  args: ConnectionArgs,
  fetch: (window: OffsetWindow) => Promise<A>,
): Promise<Connection<A['nodes'][number]> & { answer: A }> {
  let answer: A | null = null;
  let pastEnd = false;
  const connection = await offsetConnection<A['nodes'][number]>(
    args,
    async (window) => {
      answer = await fetch(window);
      pastEnd = answer.nodes.length === 0 && window.offset > 0;
      return answer.nodes;
    },
    async () => (pastEnd ? (await fetch({ offset: 0, limit: 1 })).totalCount : answer!.totalCount),
  );
  // A page of no rows (first: 0) still carries the report's own figures.
  answer ??= await fetch({ offset: 0, limit: 1 });
  return { ...connection, answer };
}
