// A named prepared statement on a pooled connection, for the hot paths that are one call: the
// statement is parsed and planned once per connection, and knex's query building is skipped.
// Parameters are positional ($1, $2, ...); rows come back with the pg type parsing of db/knex.ts.
import type { QueryResultRow } from 'pg';
import type pg from 'pg';
import type { Database } from './knex';

export type PreparedStatement = { name: string; text: string };

export async function runPrepared<Row extends QueryResultRow>(
  db: Database,
  statement: PreparedStatement,
  values: readonly unknown[],
): Promise<Row[]> {
  const connection = (await db.client.acquireConnection()) as pg.Client;
  try {
    const result = await connection.query<Row>({
      name: statement.name,
      text: statement.text,
      values: [...values],
    });
    return result.rows;
  } catch (error) {
    // A terminated backend fails the query before the socket's 'end' event marks the connection
    // dead for knex's pool; released as it is, the next request would be handed a dead
    // connection. Any failed call therefore retires its connection (these calls fail rarely:
    // refusals are answered as rows).
    (connection as pg.Client & { __knex__disposed?: unknown }).__knex__disposed = error;
    throw error;
  } finally {
    await db.client.releaseConnection(connection);
  }
}
