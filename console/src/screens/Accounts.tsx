// A CSM's board: each key account with its budget of the fiscal year as a bar (spent, reserved,
// remaining of allocated), the share used, its upcoming bookings and its routing gaps. FINANCE,
// SALES_LEADER and ADMIN see every account's.
import { useQuery } from 'urql';
import { Link } from 'wouter';
import { graphql, type ResultOf } from '../graphql';
import { cents, percentOf } from '../format';
import { t } from '../i18n';
import { usePrefs } from '../prefs';
import { Loading, QueryError } from '../ui';

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

type Budget = NonNullable<ResultOf<typeof BoardQuery>['budgets']>['edges'][number]['node'];

function BudgetBar({ budget }: { budget: Budget }) {
  const { money } = usePrefs();
  const allocated = cents(budget.allocatedAmount);
  const share = (amount: string) => (allocated > 0n ? Number((cents(amount) * 10000n) / allocated) / 100 : 0);
  const used = percentOf(cents(budget.reservedAmount) + cents(budget.spentAmount), allocated);
  const figures = [
    ['spent', t('accounts.spent'), budget.spentAmount],
    ['reserved', t('accounts.reserved'), budget.reservedAmount],
    ['remaining', t('accounts.remaining'), budget.remainingAmount],
  ] as const;
  return (
    <div className="budget">
      <div
        className="bar"
        role="img"
        aria-label={figures
          .map(([, label, amount]) => `${label} ${money(amount, budget.currency)}`)
          .join(', ')}
      >
        {figures.map(([kind, , amount]) => (
          <span key={kind} className={`bar-${kind}`} style={{ width: `${Math.max(0, share(amount))}%` }} />
        ))}
      </div>
      <dl className="figures">
        <div>
          <dt>{t('accounts.allocated')}</dt>
          <dd data-figure="allocated">{money(budget.allocatedAmount, budget.currency)}</dd>
        </div>
        {figures.map(([kind, label, amount]) => (
          <div key={kind}>
            <dt>{label}</dt>
            <dd data-figure={kind}>{money(amount, budget.currency)}</dd>
          </div>
        ))}
      </dl>
      <p className="used">
        {used === null ? t('accounts.usedUnknown') : t('accounts.used', { percent: used })}
      </p>
    </div>
  );
}

export function Accounts() {
  const { fiscalYear, can, day } = usePrefs();
  const [{ data, fetching, error }] = useQuery({ query: BoardQuery, variables: { year: fiscalYear } });
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} />;
  const budgets = data?.budgets?.edges.map((edge) => edge.node) ?? [];
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
              {budget.account.name}{' '}
              <span className="tier">{t('accounts.tier', { tier: budget.account.tier })}</span>
            </h2>
            <BudgetBar budget={budget} />
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
