// The budget's ledger as a timeline, newest first: when, what kind, the amount, and why.
import { formatInstant } from '../../format';
import { t } from '../../i18n';
import type { MessageId } from '../../locales/en';
import { usePrefs } from '../../prefs';
import type { Entry } from './queries';

export function Ledger({ entries }: { entries: readonly Entry[] }) {
  const { locale, timeZone, money } = usePrefs();
  if (entries.length === 0) return <p>{t('account.noEntries')}</p>;
  return (
    <ol className="timeline" aria-label={t('account.ledger')}>
      {[...entries].reverse().map((entry) => (
        <li key={entry.id} data-entry={entry.kind}>
          <time dateTime={entry.createdAt}>{formatInstant(entry.createdAt, locale, timeZone)}</time>{' '}
          <strong>{t(`kind.${entry.kind}` as MessageId)}</strong>{' '}
          <span data-figure="amount">{money(entry.amount, entry.currency)}</span>
          {entry.reason && <> · {entry.reason}</>}
        </li>
      ))}
    </ol>
  );
}
