// Booking a free service in three steps: the weak dimensions, a service ranked by how many of
// them it serves (with its settlement price), and a day, with a live preview of the budget's
// remaining before and after. The idempotency key is made once per attempt and kept for a retry
// of that same attempt; a changed choice is a new attempt. When the budget is short the CSM can
// file an exception with a reason instead.
import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useSearch } from 'wouter';
import { useAttemptKeys } from '../attempts';
import { graphql } from '../graphql';
import { t } from '../i18n';
import type { MessageId } from '../locales/en';
import { usePrefs } from '../prefs';
import { ErrorFor, Loading, QueryError, requestError, type FieldError } from '../ui';

const EFFECTS = ['PRICE_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS', 'SOLUTION_ACCEPTANCE', 'OPPORTUNITY'] as const;
type Effect = (typeof EFFECTS)[number];

const AccountsQuery = graphql(`
  query BookAccounts($year: Int!) {
    budgets(fiscalYear: $year, first: 200) {
      edges {
        node {
          id
          account {
            id
            name
          }
        }
      }
    }
  }
`);

const ServicesQuery = graphql(`
  query ServicesFor($effects: [Effect!]!) {
    freeServicesForEffects(effects: $effects) {
      id
      name
      effects
      currentPrice {
        settlementPrice
        currency
      }
    }
  }
`);

const PreviewQuery = graphql(`
  query Preview($accountId: ID!, $serviceId: ID!, $day: Date!) {
    bookingPreview(accountId: $accountId, serviceId: $serviceId, plannedDate: $day) {
      remainingBefore
      remainingAfter
      settlementPrice
      needsException
      problems
      budget {
        id
        currency
      }
    }
  }
`);

const BookMutation = graphql(`
  mutation Book($input: BookFreeServiceInput!) {
    bookFreeService(input: $input) {
      __typename
      ... on Booking {
        id
        state
        plannedDate
        service {
          name
        }
        budget {
          id
          remainingAmount
          currency
        }
      }
      ... on Error {
        code
        message
        field
      }
    }
  }
`);

/** A day `days` after today, as the ISO date text the API takes. */
function dayAfter(today: string, days: number): string {
  const [year, month, date] = today.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

export function Book() {
  const { fiscalYear, today, money, day: showDay } = usePrefs();
  const search = new URLSearchParams(useSearch());
  const [accountId, setAccountId] = useState(search.get('account') ?? '');
  const [effects, setEffects] = useState<Effect[]>([]);
  const [serviceId, setServiceId] = useState('');
  const [day, setDay] = useState(dayAfter(today, 7));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<FieldError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [accounts] = useQuery({ query: AccountsQuery, variables: { year: fiscalYear } });
  const [services] = useQuery({ query: ServicesQuery, variables: { effects }, pause: effects.length === 0 });
  const ready = accountId !== '' && serviceId !== '' && day !== '';
  const [preview] = useQuery({
    query: PreviewQuery,
    variables: { accountId, serviceId, day },
    pause: !ready,
    requestPolicy: 'cache-and-network',
  });
  const [booking, book] = useMutation(BookMutation);
  // One key per attempt: the same choices retried keep it, so a lost answer is not a second booking.
  const attempt = `${accountId}|${serviceId}|${day}|${reason}`;
  const { keyFor, forget } = useAttemptKeys();
  const accountOptions = useMemo(
    () => accounts.data?.budgets?.edges.map((edge) => edge.node.account) ?? [],
    [accounts.data],
  );
  const facts = preview.data?.bookingPreview;
  const submit = async (event: FormEvent, requestException: boolean) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    const result = await book({
      input: {
        accountId,
        serviceId,
        plannedDate: day,
        idempotencyKey: keyFor(`${attempt}|${requestException}`),
        ...(requestException ? { requestException: true, exceptionReason: reason } : {}),
      },
    });
    const answer = result.data?.bookFreeService;
    if (!answer) {
      setError(requestError(result.error));
      return;
    }
    if (answer.__typename === 'Booking') {
      forget();
      setDone(
        answer.state === 'PENDING_APPROVAL'
          ? t('book.filed', { service: answer.service.name })
          : t('book.booked', {
              service: answer.service.name,
              date: showDay(answer.plannedDate),
              remaining: money(answer.budget.remainingAmount, answer.budget.currency),
            }),
      );
      return;
    }
    setError({ field: 'field' in answer ? (answer.field ?? null) : null, message: answer.message });
  };
  const errorAt = (field: string) => (error?.field === field ? error : null);
  if (accounts.fetching && !accounts.data) return <Loading />;
  if (accounts.error && !accounts.data) return <QueryError error={accounts.error} />;
  return (
    <section aria-labelledby="book-title">
      <h1 id="book-title">{t('book.title')}</h1>
      <form onSubmit={(event) => void submit(event, false)} noValidate>
        <label htmlFor="account">{t('book.account')}</label>
        <select id="account" value={accountId} onChange={(event) => setAccountId(event.target.value)}>
          <option value="">—</option>
          {accountOptions.map((account) => (
            <option key={account.id} value={account.id}>
              {account.name}
            </option>
          ))}
        </select>
        <ErrorFor id="account-error" error={errorAt('input.accountId')} />

        <fieldset>
          <legend>{t('book.weak')}</legend>
          <p className="hint">{t('book.weakHint')}</p>
          {EFFECTS.map((effect) => (
            <label key={effect} className="check">
              <input
                type="checkbox"
                name="effect"
                value={effect}
                checked={effects.includes(effect)}
                onChange={(event) =>
                  setEffects((now) =>
                    event.target.checked ? [...now, effect] : now.filter((e) => e !== effect),
                  )
                }
              />
              {t(`effect.${effect}` as MessageId)}
            </label>
          ))}
        </fieldset>

        <fieldset>
          <legend>{t('book.services')}</legend>
          {effects.length === 0 && <p>{t('book.pickDimensions')}</p>}
          {services.fetching && <Loading />}
          {services.data?.freeServicesForEffects?.length === 0 && <p>{t('book.noServices')}</p>}
          {services.data?.freeServicesForEffects?.map((service) => (
            <label key={service.id} className="choice">
              <input
                type="radio"
                name="service"
                value={service.id}
                checked={serviceId === service.id}
                onChange={() => setServiceId(service.id)}
              />
              <span className="service-name">{service.name}</span>{' '}
              <span className="service-price">
                {service.currentPrice?.settlementPrice
                  ? t('book.price', {
                      price: money(service.currentPrice.settlementPrice, service.currentPrice.currency),
                    })
                  : t('book.unpriced')}
              </span>
            </label>
          ))}
          <ErrorFor id="service-error" error={errorAt('input.serviceId')} />
        </fieldset>

        <label htmlFor="day">{t('book.date')}</label>
        <input id="day" type="date" value={day} onChange={(event) => setDay(event.target.value)} />
        <ErrorFor id="day-error" error={errorAt('input.plannedDate')} />

        {ready && (
          <section aria-labelledby="preview-title" className="preview" aria-live="polite">
            <h2 id="preview-title">{t('book.preview')}</h2>
            {preview.fetching && !facts && <Loading />}
            {preview.error && <QueryError error={preview.error} />}
            {facts && facts.budget && (
              <dl className="figures">
                <div>
                  <dt>{t('book.remainingBefore')}</dt>
                  <dd data-figure="remaining-before">
                    {money(facts.remainingBefore ?? '0.00', facts.budget.currency)}
                  </dd>
                </div>
                <div>
                  <dt>{t('book.remainingAfter')}</dt>
                  <dd data-figure="remaining-after">
                    {money(facts.remainingAfter ?? '0.00', facts.budget.currency)}
                  </dd>
                </div>
              </dl>
            )}
            {facts?.problems.map((problem) => (
              <p key={problem} className="warning">
                {problem}
              </p>
            ))}
            {facts?.needsException && <p className="warning">{t('book.needsException')}</p>}
          </section>
        )}

        {!facts?.needsException && (
          <button type="submit" disabled={!ready || booking.fetching || (facts?.problems.length ?? 0) > 0}>
            {t('book.submit')}
          </button>
        )}
        {facts?.needsException && (
          <div className="exception">
            <label htmlFor="reason">{t('book.exceptionReason')}</label>
            <textarea id="reason" value={reason} onChange={(event) => setReason(event.target.value)} />
            <ErrorFor id="reason-error" error={errorAt('input.exceptionReason')} />
            <button type="button" disabled={booking.fetching} onClick={(event) => void submit(event, true)}>
              {t('book.fileException')}
            </button>
          </div>
        )}
        {error &&
          !['input.accountId', 'input.serviceId', 'input.plannedDate', 'input.exceptionReason'].includes(
            error.field ?? '',
          ) && <ErrorFor id="book-error" error={error} />}
        {done && (
          <p role="status" className="done">
            {done}
          </p>
        )}
      </form>
    </section>
  );
}
