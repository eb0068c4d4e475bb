// One keyset page of a query: rows after (or before) a cursor's key in the list's order, the
// order reversed for a page read backwards, and the limit. `keys` are the SQL expressions of the
// order, most significant first; the cursor key holds their values in the same order. Rows are
// compared as a row value, `(name, id) > (?, ?)`, which PostgreSQL answers from an index on the
// same columns. All keys go one way (`descending` for newest first): to mix directions, negate a
// number key in its expression (`-b.fiscal_year`).
import type { Knex } from 'knex';
import type { PageRequest } from '../shared/pagination';

export function keysetPage<K extends readonly (string | number)[]>(
  query: Knex.QueryBuilder,
  keys: readonly string[],
  page: PageRequest<K>,
  options: { descending?: boolean } = {},
): Knex.QueryBuilder {
  const row = `(${keys.join(', ')})`;
  const marks = `(${keys.map(() => '?').join(', ')})`;
  const [later, earlier] = options.descending ? ['<', '>'] : ['>', '<'];
  if (page.after) query.whereRaw(`${row} ${later} ${marks}`, [...page.after]);
  if (page.before) query.whereRaw(`${row} ${earlier} ${marks}`, [...page.before]);
  const forwards = options.descending ? 'desc' : 'asc';
  const backwards = options.descending ? 'asc' : 'desc';
  const direction = page.inverted ? backwards : forwards;
  return query.orderByRaw(keys.map((key) => `${key} ${direction}`).join(', ')).limit(page.limit);
}
