// Every page of a connection, for screens that sort, filter, chart or total the whole list in
// the browser (the API gives at most 200 items a page). Pages are read one after another with
// `after` until the last, at most PAGES_MAX of them; a list longer than that says so instead of
// being cut silently. `reload` reads it all again (after a change the screen made).
import { useCallback, useEffect, useState } from 'react';
import { useClient, type AnyVariables, type OperationResult, type TypedDocumentNode } from 'urql';

export const PAGE_SIZE = 200;
export const PAGES_MAX = 50;

type Page<N> = {
  edges: readonly { node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
};

export type EveryPage<D, N> = {
  /** The first page's whole answer (figures beside the list: a period, a grand total). */
  first: D | null;
  nodes: N[] | null;
  /** More pages than PAGES_MAX: `nodes` holds the first PAGES_MAX × PAGE_SIZE. */
  truncated: boolean;
  error: string | null;
  reload: () => void;
};

export function useEveryPage<D, V extends AnyVariables, N>(
  document: TypedDocumentNode<D, V>,
  variables: Omit<V, 'after'>,
  pageOf: (data: D) => Page<N> | null | undefined,
  options: { pause?: boolean; /** Read it all again when this changes. */ version?: string } = {},
): EveryPage<D, N> {
  const client = useClient();
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<Omit<EveryPage<D, N>, 'reload'>>({
    first: null,
    nodes: null,
    truncated: false,
    error: null,
  });
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (options.pause) return;
    let stopped = false;
    setState((now) => ({ ...now, nodes: null, error: null }));
    void (async () => {
      const nodes: N[] = [];
      let first: D | null = null;
      let after: string | null = null;
      for (let page = 0; page < PAGES_MAX; page += 1) {
        const result: OperationResult<D> = await client
          .query(document, { ...variables, after } as unknown as V, { requestPolicy: 'network-only' })
          .toPromise();
        if (stopped) return;
        const data = result.data;
        const connection = data ? pageOf(data) : null;
        if (!data || !connection) {
          setState({ first, nodes: null, truncated: false, error: result.error?.message ?? 'no answer' });
          return;
        }
        first ??= data;
        nodes.push(...connection.edges.map((edge) => edge.node));
        if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) {
          setState({ first, nodes, truncated: false, error: null });
          return;
        }
        after = connection.pageInfo.endCursor;
      }
      setState({ first, nodes, truncated: true, error: null });
    })();
    return () => {
      stopped = true;
    };
    // `variables` is compared by its JSON (`key`); `pageOf` is read, not a dependency.
  }, [client, document, key, version, options.version, options.pause]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { ...state, reload };
}
