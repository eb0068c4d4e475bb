// A CSM's board: each key account with its budget of the fiscal year as a bar (spent, reserved,
// remaining of allocated), the share used, its upcoming bookings and its routing gaps. FINANCE,
// SALES_LEADER and ADMIN see every account's.
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { graphql, type ResultOf } from '../graphql';
import { t } from '../i18n';
import type { MessageId } from '../locales/en';
import { usePrefs } from '../prefs';
import { Loading, QueryError } from '../ui';
import { BudgetBar } from './BudgetBar';

const BoardQuery = graphql(`
  query Board($year: Int!) {
    budgets(fiscalYear: $year, first: 200) {
      totalCount
      edges {
        node {
          id
          currency
          allocatedAmount
          reservedAmount
          spentAmount
          remainingAmount
          account {
            id
            name
            tier
          }
        }
      }
    }
    bookings(first: 200, filter: { states: [BOOKED] }) {
      edges {
        node {
          id
          plannedDate
          overrun
          service {
            name
          }
          account {
            id
          }
        }
      }
    }
    burnForecasts(fiscalYear: $year, first: 200) {
      edges {
        node {
          status
          runOutDate
          explanation
          budget {
            id
          }
        }
      }
    }
    coverageGaps(first: 200) {
      edges {
        node {
          kind
          message
          account {
            id
          }
        }
      }
    }
  }
`);

type BurnForecast = NonNullable<ResultOf<typeof BoardQuery>['burnForecasts']>['edges'][number]['node'];

/** The burn forecast's flag: runs out early (with the day), largely unused, or on track. */
function Forecast({ forecast }: { forecast: BurnForecast | null }) {
  const { day } = usePrefs();
  if (!forecast) return null;
  const label =
    forecast.status === 'RUNS_OUT_EARLY' && forecast.runOutDate
      ? t('forecast.RUNS_OUT_EARLY', { date: day(forecast.runOutDate) })
      : t(`forecast.${forecast.status}` as MessageId);
  return (
    <p
      data-figure="forecast"
      className={forecast.status === 'ON_TRACK' ? undefined : 'warning'}
      title={forecast.explanation}
    >
      {label}
    </p>
  );
}

export function Accounts() {
  const { fiscalYear, can, day } = usePrefs();
  const [{ data, fetching, error }] = useQuery({ query: BoardQuery, variables: { year: fiscalYear } });
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} />;
  const budgets = data?.budgets?.edges.map((edge) => edge.node) ?? [];
  const forecasts = new Map(data?.burnForecasts?.edges.map((edge) => [edge.node.budget.id, edge.node]) ?? []);
  const upcoming = (accountId: string) =>
    data?.bookings?.edges.filter((edge) => edge.node.account.id === accountId).map((edge) => edge.node) ?? [];
  const gaps = (accountId: string) =>
    data?.coverageGaps?.edges.filter((edge) => edge.node.account.id === accountId).map((edge) => edge.node) ??
    [];
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('accounts.title', { year: fiscalYear })}</h1>
      {budgets.length === 0 && <p>{t('accounts.empty', { year: fiscalYear })}</p>}
      <ul className="cards">
        {budgets.map((budget) => (
          <li key={budget.id} className="card" data-account={budget.account.name}>
            <h2>
              <Link href={`/accounts/${budget.account.id}`}>{budget.account.name}</Link>{' '}
              <span className="tier">{t('accounts.tier', { tier: budget.account.tier })}</span>
            </h2>
            <BudgetBar budget={budget} />
            <Forecast forecast={forecasts.get(budget.id) ?? null} />
            <p>{t('accounts.upcoming', { count: upcoming(budget.account.id).length })}</p>
            <ul className="upcoming">
              {upcoming(budget.account.id).map((booking) => (
                <li key={booking.id} data-booking={booking.id}>
                  {day(booking.plannedDate)} {booking.service.name}
                  {booking.overrun && <strong className="warning"> {t('accounts.overrun')}</strong>}
                </li>
              ))}
            </ul>
            <details>
              <summary>{t('accounts.gaps', { count: gaps(budget.account.id).length })}</summary>
              <ul>
                {gaps(budget.account.id).map((gap) => (
                  <li key={`${gap.kind}-${gap.message}`}>{gap.message}</li>
                ))}
              </ul>
            </details>
            {can('CSM', 'ADMIN') && (
              <Link href={`/book?account=${budget.account.id}`}>
                {t('accounts.book', { name: budget.account.name })}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
