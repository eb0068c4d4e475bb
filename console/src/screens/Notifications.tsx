// Everyone's notification feed: the events of the accounts the user may read, newest first, each
// read or unread for them alone, marked read one by one or all those shown at once.
import { useState } from 'react';
import { Link } from 'wouter';
import { useMutation, useQuery } from 'urql';
import { UNREAD_CHANGED } from '../client';
import { eventLabel, eventMessage } from '../events';
import { formatInstant } from '../format';
import { graphql } from '../graphql';
import { t } from '../i18n';
import { usePrefs } from '../prefs';
import { Loading, Problem, QueryError } from '../ui';

/** How many the screen shows; older ones stay in the API (`notifications(after:)`). */
const SHOWN_MAX = 100;

export const FeedQuery = graphql(`
  query Feed($unreadOnly: Boolean, $first: Int!) {
    notifications(first: $first, unreadOnly: $unreadOnly) {
      totalCount
      edges {
        node {
          id
          type
          occurredAt
          message
          payload
          read
          account {
            id
            name
          }
        }
      }
    }
  }
`);

const MarkRead = graphql(`
  mutation MarkRead($ids: [ID!]!) {
    markNotificationsRead(ids: $ids) {
      __typename
      ... on NotificationsMarkedRead {
        marked
        unread
      }
      ... on Error {
        message
      }
    }
  }
`);

export function Notifications() {
  const { locale, timeZone, money, day } = usePrefs();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: FeedQuery,
    variables: { unreadOnly, first: SHOWN_MAX },
    requestPolicy: 'cache-and-network',
  });
  const [marking, markRead] = useMutation(MarkRead);
  const [problem, setProblem] = useState<string | null>(null);
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} />;
  const feed = data?.notifications;
  const items = feed?.edges.map((edge) => edge.node) ?? [];
  const unreadShown = items.filter((item) => !item.read).map((item) => item.id);
  const mark = async (ids: string[]) => {
    setProblem(null);
    const result = await markRead({ ids });
    const answer = result.data?.markNotificationsRead;
    if (!answer) setProblem(result.error?.message ?? t('book.retry'));
    else if (answer.__typename !== 'NotificationsMarkedRead') setProblem(answer.message);
    else window.dispatchEvent(new Event(UNREAD_CHANGED));
    refetch({ requestPolicy: 'network-only' });
  };
  return (
    <section aria-labelledby="feed-title">
      <h1 id="feed-title">{t('feed.title')}</h1>
      <div className="controls">
        <label>
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(event) => setUnreadOnly(event.target.checked)}
          />{' '}
          {t('feed.unreadOnly')}
        </label>
        <button
          type="button"
          disabled={marking.fetching || unreadShown.length === 0}
          onClick={() => void mark(unreadShown)}
        >
          {t('feed.markAllRead', { count: unreadShown.length })}
        </button>
      </div>
      {problem && <Problem message={problem} />}
      <p role="status" aria-live="polite">
        {t('feed.count', { shown: items.length, count: feed?.totalCount ?? 0 })}
      </p>
      {items.length === 0 && <p>{t(unreadOnly ? 'feed.noneUnread' : 'feed.none')}</p>}
      <ul className="feed">
        {items.map((item) => (
          <li
            key={item.id}
            data-notification={item.id}
            data-read={item.read}
            className={item.read ? 'read' : 'unread'}
          >
            <p>
              <strong>{eventLabel(item.type)}</strong>
              {!item.read && <span className="badge">{t('feed.new')}</span>}{' '}
              <Link href={`/accounts/${item.account.id}`}>{item.account.name}</Link>{' '}
              <time dateTime={item.occurredAt}>{formatInstant(item.occurredAt, locale, timeZone)}</time>
            </p>
            <p>{eventMessage(item.type, item.payload, item.message, { money, day })}</p>
            {!item.read && (
              <button
                type="button"
                disabled={marking.fetching}
                aria-label={t('feed.markReadOf', { account: item.account.name })}
                onClick={() => void mark([item.id])}
              >
                {t('feed.markRead')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
