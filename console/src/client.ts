// The urql client: every operation is a POST to /graphql (the server's CSRF prevention refuses
// a plain GET) with the session's token as a bearer header. The document cache refetches the
// queries a mutation touches (by the types it returns), so a screen shows the new figures.
import { Client, cacheExchange, fetchExchange } from 'urql';
import { storedToken } from './session';

export function createClient(): Client {
  return new Client({
    url: '/graphql',
    preferGetMethod: false,
    exchanges: [cacheExchange, fetchExchange],
    fetchOptions: (): RequestInit => {
      const token = storedToken();
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      return { headers };
    },
  });
}

/** Dispatched on window when notifications were marked read: the menu's unread count asks again. */
export const UNREAD_CHANGED = 'service-ledger:unread-changed';
