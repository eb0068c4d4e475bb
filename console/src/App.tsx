// The console's frame: sign-in until a token is accepted, then the header (who is signed in,
// language, money unit, sign out), the navigation of what the user's roles may use, and the
// screen. The API enforces every permission; the console only hides what would be refused.
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Provider, useQuery } from 'urql';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { createClient, UNREAD_CHANGED } from './client';
import { dayIn, type Locale, type MoneyUnit } from './format';
import { graphql } from './graphql';
import { activate, LOCALES, t } from './i18n';
import type { MessageId } from './locales/en';
import { PrefsContext, usePrefs, type Prefs, type Role } from './prefs';
import { forgetToken, storedToken, storeToken } from './session';
import { Loading, QueryError } from './ui';
import { Accounts } from './screens/Accounts';
import { Approvals } from './screens/Approvals';
import { Book } from './screens/Book';
import { SignIn } from './screens/SignIn';

// The report screens carry the charts: loaded when first opened, not with the board.
const Allocation = lazy(() => import('./screens/Allocation').then((m) => ({ default: m.Allocation })));
const Account = lazy(() => import('./screens/account/Account').then((m) => ({ default: m.Account })));
const Budgets = lazy(() => import('./screens/budgets/Budgets').then((m) => ({ default: m.Budgets })));
const TierReview = lazy(() => import('./screens/TierReview').then((m) => ({ default: m.TierReview })));
const Roi = lazy(() => import('./screens/Roi').then((m) => ({ default: m.Roi })));
const Notifications = lazy(() =>
  import('./screens/Notifications').then((m) => ({ default: m.Notifications })),
);
const Webhooks = lazy(() => import('./screens/Webhooks').then((m) => ({ default: m.Webhooks })));

/** How often the navigation asks how many notifications are unread. */
const UNREAD_POLL_MS = 60_000;

const UnreadQuery = graphql(`
  query Unread {
    notifications(first: 1, unreadOnly: true) {
      totalCount
    }
  }
`);

const MeQuery = graphql(`
  query Me {
    me {
      name
      roles
    }
    fiscalCalendar {
      timeZone
      year {
        fiscalYear
      }
    }
  }
`);

/** The feed's link, with how many are unread: asked again every minute, on every screen change and when the feed marks some read. */
function FeedLink() {
  const [{ data }, refetch] = useQuery({ query: UnreadQuery, requestPolicy: 'cache-and-network' });
  const [location] = useLocation();
  useEffect(() => {
    const again = () => refetch({ requestPolicy: 'network-only' });
    const timer = setInterval(again, UNREAD_POLL_MS);
    window.addEventListener(UNREAD_CHANGED, again);
    return () => {
      clearInterval(timer);
      window.removeEventListener(UNREAD_CHANGED, again);
    };
  }, [refetch]);
  useEffect(() => refetch({ requestPolicy: 'network-only' }), [location, refetch]);
  const unread = data?.notifications?.totalCount ?? 0;
  return (
    <Link href="/notifications">
      {t('nav.notifications')}
      {unread > 0 && (
        <span className="badge" data-unread={unread}>
          {' '}
          {t('nav.unread', { count: unread })}
        </span>
      )}
    </Link>
  );
}

function Nav() {
  const { can } = usePrefs();
  const links: [string, MessageId, boolean][] = [
    ['/accounts', 'nav.accounts', true],
    ['/book', 'nav.book', can('CSM', 'ADMIN')],
    ['/approvals', 'nav.approvals', can('SALES_LEADER')],
    ['/budgets', 'nav.budgets', can('FINANCE')],
    ['/allocation', 'nav.allocation', can('FINANCE', 'SALES_LEADER', 'ADMIN')],
    ['/roi', 'nav.roi', can('FINANCE', 'SALES_LEADER', 'ADMIN')],
    ['/tiers', 'nav.tiers', can('SALES_LEADER', 'ADMIN')],
    ['/webhooks', 'nav.webhooks', can('ADMIN')],
  ];
  return (
    <nav aria-label={t('nav.main')}>
      <ul>
        {links
          .filter(([, , shown]) => shown)
          .map(([href, label]) => (
            <li key={href}>
              <Link href={href}>{t(label)}</Link>
            </li>
          ))}
        <li>
          <FeedLink />
        </li>
      </ul>
    </nav>
  );
}

function Screens() {
  const { can } = usePrefs();
  return (
    <Switch>
      <Route path="/accounts" component={Accounts} />
      <Route path="/accounts/:id" component={Account} />
      {can('CSM', 'ADMIN') && <Route path="/book" component={Book} />}
      {can('SALES_LEADER') && <Route path="/approvals" component={Approvals} />}
      {can('FINANCE') && <Route path="/budgets" component={Budgets} />}
      {can('FINANCE', 'SALES_LEADER', 'ADMIN') && <Route path="/allocation" component={Allocation} />}
      {can('FINANCE', 'SALES_LEADER', 'ADMIN') && <Route path="/roi" component={Roi} />}
      {can('SALES_LEADER', 'ADMIN') && <Route path="/tiers" component={TierReview} />}
      <Route path="/notifications" component={Notifications} />
      {can('ADMIN') && <Route path="/webhooks" component={Webhooks} />}
      <Route>
        <Redirect to={can('SALES_LEADER') && !can('CSM') ? '/approvals' : '/accounts'} />
      </Route>
    </Switch>
  );
}

function SignedIn({
  locale,
  unit,
  onLocale,
  onUnit,
  onSignOut,
  onRefused,
}: {
  locale: Locale;
  unit: MoneyUnit;
  onLocale: (locale: Locale) => void;
  onUnit: (unit: MoneyUnit) => void;
  onSignOut: () => void;
  onRefused: () => void;
}) {
  const [{ data, fetching, error }] = useQuery({ query: MeQuery });
  if (fetching && !data) return <Loading />;
  if (error?.response?.status === 401 || (data && !data.me)) {
    onRefused();
    return null;
  }
  if (error || !data?.me || !data.fiscalCalendar) return error ? <QueryError error={error} /> : <Loading />;
  const prefs: Prefs = {
    locale,
    unit,
    timeZone: data.fiscalCalendar.timeZone,
    fiscalYear: data.fiscalCalendar.year.fiscalYear,
    today: dayIn(new Date(), data.fiscalCalendar.timeZone),
    user: { name: data.me.name, roles: data.me.roles as Role[] },
  };
  return (
    <PrefsContext.Provider value={prefs}>
      <a href="#main" className="skip">
        {t('app.skip')}
      </a>
      <header>
        <p className="brand">{t('app.title')}</p>
        <p>
          {t('app.signedInAs', {
            name: prefs.user.name,
            roles: prefs.user.roles.map((role) => t(`role.${role}` as MessageId)).join(', '),
          })}
        </p>
        <label>
          {t('app.language')}{' '}
          <select value={locale} onChange={(event) => onLocale(event.target.value as Locale)}>
            {LOCALES.map((option) => (
              <option key={option} value={option}>
                {option === 'zh-CN' ? '中文' : 'English'}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('app.unit')}{' '}
          <select value={unit} onChange={(event) => onUnit(event.target.value as MoneyUnit)}>
            <option value="yuan">{t('app.unit.yuan')}</option>
            <option value="wan">{t('app.unit.wan')}</option>
          </select>
        </label>
        <button type="button" onClick={onSignOut}>
          {t('app.signOut')}
        </button>
      </header>
      <Nav />
      <main id="main">
        <Suspense fallback={<Loading />}>
          <Screens />
        </Suspense>
      </main>
    </PrefsContext.Provider>
  );
}

export function App({ initialLocale }: { initialLocale: Locale }) {
  const [token, setToken] = useState(storedToken());
  const [refused, setRefused] = useState(false);
  const [locale, setLocale] = useState(initialLocale);
  const [unit, setUnit] = useState<MoneyUnit>('yuan');
  // A new client per token: nothing cached for one user is shown to the next.
  const client = useMemo(() => createClient(), [token]);
  const changeLocale = (next: Locale) => {
    activate(next, true);
    setLocale(next);
  };
  if (!token)
    return (
      <SignIn
        refused={refused}
        onToken={(given) => {
          storeToken(given);
          setRefused(false);
          setToken(given);
        }}
      />
    );
  return (
    <Provider value={client}>
      <SignedIn
        locale={locale}
        unit={unit}
        onLocale={changeLocale}
        onUnit={setUnit}
        onSignOut={() => {
          forgetToken();
          setToken(null);
        }}
        onRefused={() => {
          forgetToken();
          setRefused(true);
          setToken(null);
        }}
      />
    </Provider>
  );
}
