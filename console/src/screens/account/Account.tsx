// One account: its budget of the fiscal year (the bar, the burn-up against the straight line and
// the forecast, the ledger as a timeline), its bookings with deliver and cancel, the three
// relationship dimensions over time, its opportunities, and who serves which need.
import { useQuery } from 'urql';
import { t } from '../../i18n';
import { usePrefs } from '../../prefs';
import { Loading, PagesState, QueryError } from '../../ui';
import { BudgetBar } from '../BudgetBar';
import { Bookings } from './Bookings';
import { BurnUp } from './BurnUp';
import { Ledger } from './Ledger';
import { Opportunities } from './Opportunities';
import { Relationship } from './Relationship';
import { Route } from './Route';
import { useEveryPage } from '../../pages';
import { AccountQuery, LedgerQuery } from './queries';

export function Account({ params }: { params: { id: string } }) {
  const { fiscalYear, can } = usePrefs();
  const [{ data, fetching, error }] = useQuery({
    query: AccountQuery,
    variables: { id: params.id, year: fiscalYear },
  });
  const budget = data?.budgetFor ?? null;
  // The ledger is read again whenever the budget's figures change (a delivery, a cancellation).
  const version = budget ? `${budget.reservedAmount}|${budget.spentAmount}|${budget.allocatedAmount}` : '';
  const ledger = useEveryPage(LedgerQuery, { budgetId: budget?.id ?? '' }, (d) => d.budget?.ledger, {
    pause: !budget,
    version,
  });
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} />;
  const account = data?.customer;
  if (!account) return <p role="alert">{t('account.notFound')}</p>;
  const forecast = data.burnForecasts?.edges[0]?.node ?? null;
  const year = data.fiscalCalendar?.year;
  return (
    <article aria-labelledby="account-title">
      <h1 id="account-title">
        {account.name} <span className="tier">{t('accounts.tier', { tier: account.tier })}</span>
      </h1>
      <p>{account.csm ? t('account.csm', { name: account.csm.name }) : t('account.noCsm')}</p>
      <section aria-labelledby="budget-title">
        <h2 id="budget-title">{t('account.budget', { year: fiscalYear })}</h2>
        {!budget && <p>{t('account.noBudget', { year: fiscalYear })}</p>}
        {budget && (
          <>
            <BudgetBar budget={budget} />
            {forecast && <p title={forecast.explanation}>{forecast.explanation}</p>}
            <PagesState main={ledger} />
            {ledger.nodes && year && (
              <>
                <BurnUp
                  entries={ledger.nodes}
                  year={year}
                  allocatedAmount={budget.allocatedAmount}
                  forecastAmount={forecast?.projectedAmount ?? null}
                  currency={budget.currency}
                />
                <h3>{t('account.ledger')}</h3>
                <Ledger entries={ledger.nodes} />
              </>
            )}
          </>
        )}
      </section>
      <section aria-labelledby="bookings-title">
        <h2 id="bookings-title">{t('account.bookings')}</h2>
        <Bookings
          bookings={data.bookings?.edges.map((edge) => edge.node) ?? []}
          canAct={can('CSM', 'ADMIN')}
        />
      </section>
      <section aria-labelledby="relationship-title">
        <h2 id="relationship-title">{t('account.relationship')}</h2>
        <Relationship assessments={account.assessments} />
      </section>
      <section aria-labelledby="opportunities-title">
        <h2 id="opportunities-title">{t('account.opportunities')}</h2>
        <Opportunities opportunities={account.opportunities} />
      </section>
      <section aria-labelledby="route-title">
        <h2 id="route-title">{t('account.route')}</h2>
        <Route accountId={account.id} />
      </section>
    </article>
  );
}
