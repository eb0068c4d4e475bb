// Reading a whole list through its connection, as a client does: page after page until
// hasNextPage is false. `args` are the field's other arguments, written as in the query text.
import type { TestServer } from './server';

type Page<T> = { edges: { node: T }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

export const PAGES_MAX = 100;

/** Every node of a root connection, 200 a page; an error on any page fails the read. */
export async function everyNode<T>(
  server: Pick<TestServer, 'graphql'>,
  token: string,
  field: string,
  nodeSelection: string,
  args = '',
): Promise<T[]> {
  const query = `query($after: String) { ${field}(first: 200, after: $after${args ? `, ${args}` : ''}) {
    edges { node ${nodeSelection} } pageInfo { hasNextPage endCursor } } }`;
  const nodes: T[] = [];
  let after: string | null = null;
  for (let page = 0; page < PAGES_MAX; page += 1) {
    const result: { data: Record<string, Page<T>> | null; errors?: unknown[] } = await server.graphql<
      Record<string, Page<T>>
    >(token, query, { after });
    if (result.errors) throw new Error(`${field}: ${JSON.stringify(result.errors)}`);
    const connection: Page<T> = result.data![field]!;
    nodes.push(...connection.edges.map((edge: { node: T }) => edge.node));
    if (!connection.pageInfo.hasNextPage) return nodes;
    after = connection.pageInfo.endCursor;
  }
  throw new Error(`${field}: more than ${PAGES_MAX} pages`);
}
