// The account's opportunities: stage, amount, and when each was hatched, registered, closed.
import { t } from '../../i18n';
import type { MessageId } from '../../locales/en';
import { usePrefs } from '../../prefs';
import type { AccountData } from './queries';

type Opportunity = NonNullable<AccountData['customer']>['opportunities'][number];

export function Opportunities({ opportunities }: { opportunities: readonly Opportunity[] }) {
  const { money, day } = usePrefs();
  if (opportunities.length === 0) return <p>{t('account.noOpportunities')}</p>;
  const when = (value: string | null) => (value ? day(value) : '–');
  return (
    <table className="data">
      <caption>{t('account.opportunities')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('account.opportunity')}</th>
          <th scope="col">{t('account.stage')}</th>
          <th scope="col" className="number">
            {t('account.amount')}
          </th>
          <th scope="col">{t('account.hatchedOn')}</th>
          <th scope="col">{t('account.registeredOn')}</th>
          <th scope="col">{t('account.closedOn')}</th>
        </tr>
      </thead>
      <tbody>
        {opportunities.map((o) => (
          <tr key={o.id} data-opportunity={o.name}>
            <th scope="row">{o.name}</th>
            <td>{t(`stage.${o.stage}` as MessageId)}</td>
            <td className="number">{money(o.amount, o.currency)}</td>
            <td>{when(o.hatchedOn)}</td>
            <td>{when(o.registeredOn)}</td>
            <td>{when(o.closedOn)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
