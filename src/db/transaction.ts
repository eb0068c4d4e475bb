// Explicit transactions: a use case opens one with inTransaction and passes `trx` to every
// repository call, so the change and its audit record commit or roll back together.
import type { Knex } from 'knex';
import type { Database } from './knex';

export type Transaction = Knex.Transaction;
/** Something SQL can run on: the pool or an open transaction. */
export type Queryable = Knex | Knex.Transaction;

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export async function inTransaction<T>(
  db: Database,
  work: (trx: Transaction) => Promise<T>,
  isolationLevel: IsolationLevel = 'read committed',
): Promise<T> {
  return db.transaction(work, { isolationLevel });
}

/** The number of rows a filtered query matches: give it the filter alone (no select, order or limit). */
export async function countRows(query: Knex.QueryBuilder): Promise<number> {
  const rows = (await query.count('* as n')) as unknown as { n: string }[];
  return Number(rows[0]!.n);
}
