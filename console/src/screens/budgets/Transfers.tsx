// Budget transfers, newest first: from and to, the amount, the state, the reasons asked and given.
import { useQuery } from 'urql';
import { graphql } from '../../graphql';
import { t } from '../../i18n';
import type { MessageId } from '../../locales/en';
import { usePrefs } from '../../prefs';
import { Loading, QueryError } from '../../ui';

const TransfersQuery = graphql(`
  query Transfers {
    budgetTransfers(first: 50) {
      totalCount
      edges {
        node {
          id
          amount
          currency
          state
          reason
          decisionReason
          createdAt
          fromBudget {
            account {
              name
            }
          }
          toBudget {
            account {
              name
            }
          }
        }
      }
    }
  }
`);

export function Transfers() {
  const { money, locale, timeZone } = usePrefs();
  const [{ data, fetching, error }] = useQuery({ query: TransfersQuery, requestPolicy: 'cache-and-network' });
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} />;
  const transfers = data?.budgetTransfers?.edges.map((edge) => edge.node) ?? [];
  if (transfers.length === 0) return <p>{t('budgets.noTransfers')}</p>;
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone });
  return (
    <table className="data">
      <caption>
        {t('budgets.transfers', { shown: transfers.length, count: data?.budgetTransfers?.totalCount ?? 0 })}
      </caption>
      <thead>
        <tr>
          <th scope="col">{t('budgets.requested')}</th>
          <th scope="col">{t('budgets.from')}</th>
          <th scope="col">{t('budgets.to')}</th>
          <th scope="col" className="number">
            {t('account.amount')}
          </th>
          <th scope="col">{t('account.state')}</th>
          <th scope="col">{t('budgets.reason')}</th>
          <th scope="col">{t('budgets.decisionReason')}</th>
        </tr>
      </thead>
      <tbody>
        {transfers.map((transfer) => (
          <tr key={transfer.id}>
            <td>{when.format(new Date(transfer.createdAt))}</td>
            <td>{transfer.fromBudget?.account.name ?? '—'}</td>
            <td>{transfer.toBudget?.account.name ?? '—'}</td>
            <td className="number">{money(transfer.amount, transfer.currency)}</td>
            <td>{t(`transfer.${transfer.state}` as MessageId)}</td>
            <td>{transfer.reason}</td>
            <td>{transfer.decisionReason ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
