// Small pieces every screen uses: the loading and error states of a query, and a field's error.
import type { CombinedError } from 'urql';
import { t } from './i18n';

export function Loading() {
  return (
    <p role="status" aria-live="polite">
      {t('app.loading')}
    </p>
  );
}

export function QueryError({ error }: { error: CombinedError }) {
  const message = error.graphQLErrors[0]?.message ?? error.networkError?.message ?? error.message;
  return (
    <p role="alert" className="error">
      {t('app.error', { message })}
    </p>
  );
}

/** The API's typed error, shown beside the control its `field` names. */
export type FieldError = { field: string | null; message: string };

export function ErrorFor({ id, error }: { id: string; error: FieldError | null }) {
  if (!error) return null;
  return (
    <p id={id} role="alert" className="error">
      {error.message}
    </p>
  );
}

/**
 * A request the API refused before it reached the use case (a variable that is no valid Money,
 * say): a field error when the answer names the field, else the message under the form.
 */
export function requestError(error: CombinedError | undefined): FieldError {
  const first = error?.graphQLErrors[0];
  const field = first?.extensions?.field;
  return {
    field: typeof field === 'string' ? field : null,
    message: first?.message ?? error?.networkError?.message ?? t('book.retry'),
  };
}

/** An error the server or the network answered, said where the screen shows it. */
export function Problem({ message }: { message: string }) {
  return (
    <p role="alert" className="error">
      {t('app.error', { message })}
    </p>
  );
}

/**
 * The states of lists read page by page (pages.ts): the first error among them, else loading
 * until the main list is in, else nothing (the screen shows the list or its empty state).
 */
export function PagesState({
  main,
  also = [],
}: {
  main: { nodes: readonly unknown[] | null; error: string | null };
  also?: readonly { error: string | null }[];
}) {
  const error = [main, ...also].find((pages) => pages.error)?.error;
  if (error) return <Problem message={error} />;
  return main.nodes ? null : <Loading />;
}
