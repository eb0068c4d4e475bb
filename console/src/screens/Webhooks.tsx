// ADMIN's webhook endpoints: register one (its signing secret shown once, here only), turn one
// off or back on, rotate its secret, and follow each delivery's attempts, sending a finished one
// again on request. Deliveries are made by the server's job queue, not by this screen.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { EVENT_TYPES, eventLabel, type EventTypeName } from '../events';
import { formatInstant } from '../format';
import { graphql } from '../graphql';
import { t } from '../i18n';
import type { MessageId } from '../locales/en';
import { usePrefs } from '../prefs';
import { ErrorFor, Loading, Problem, QueryError, requestError, type FieldError } from '../ui';

const EndpointsQuery = graphql(`
  query Endpoints {
    webhookEndpoints {
      id
      url
      description
      eventTypes
      enabled
      disabledReason
      consecutiveFailures
      previousSecretExpiresAt
      deliveries(first: 10) {
        totalCount
        edges {
          node {
            id
            messageId
            state
            attemptCount
            nextAttemptAt
            lastStatusCode
            lastError
            createdAt
          }
        }
      }
    }
  }
`);

const Register = graphql(`
  mutation Register($input: RegisterWebhookEndpointInput!) {
    registerWebhookEndpoint(input: $input) {
      __typename
      ... on WebhookEndpointWithSecret {
        secret
        endpoint {
          id
          url
        }
      }
      ... on Error {
        message
        field
      }
    }
  }
`);

const Rotate = graphql(`
  mutation Rotate($id: ID!) {
    rotateWebhookSecret(endpointId: $id) {
      __typename
      ... on WebhookEndpointWithSecret {
        secret
        endpoint {
          id
          url
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const SetEnabled = graphql(`
  mutation SetEnabled($id: ID!, $enabled: Boolean!) {
    setWebhookEndpointEnabled(endpointId: $id, enabled: $enabled) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const Redeliver = graphql(`
  mutation Redeliver($id: ID!) {
    redeliverWebhook(deliveryId: $id) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

/** A secret as the API answered it once: to be copied now, never shown again. */
function SecretOnce({ url, secret }: { url: string; secret: string }) {
  return (
    <div role="status" className="secret">
      <p>{t('webhooks.secretOnce', { url })}</p>
      <code data-secret>{secret}</code>
    </div>
  );
}

function RegisterForm({ onRegistered }: { onRegistered: (url: string, secret: string) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<EventTypeName[]>([]);
  const [error, setError] = useState<FieldError | null>(null);
  const [state, register] = useMutation(Register);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await register({ input: { url, description: description || null, eventTypes: types } });
    const answer = result.data?.registerWebhookEndpoint;
    if (!answer) setError(requestError(result.error));
    else if (answer.__typename === 'WebhookEndpointWithSecret') {
      setUrl('');
      setDescription('');
      setTypes([]);
      onRegistered(answer.endpoint.url, answer.secret);
    } else setError({ field: answer.field ?? null, message: answer.message });
  };
  const fieldError = (field: string) => (error?.field === field ? error : null);
  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="register-title">
      <h2 id="register-title">{t('webhooks.register')}</h2>
      <p>
        <label htmlFor="webhook-url">{t('webhooks.url')}</label>{' '}
        <input
          id="webhook-url"
          value={url}
          placeholder="https://example.com/hooks"
          aria-invalid={error?.field === 'input.url'}
          aria-describedby="webhook-url-error"
          onChange={(event) => setUrl(event.target.value)}
        />
      </p>
      <ErrorFor id="webhook-url-error" error={fieldError('input.url')} />
      <p>
        <label htmlFor="webhook-description">{t('webhooks.description')}</label>{' '}
        <input
          id="webhook-description"
          value={description}
          aria-invalid={error?.field === 'input.description'}
          aria-describedby="webhook-description-error"
          onChange={(event) => setDescription(event.target.value)}
        />
      </p>
      <ErrorFor id="webhook-description-error" error={fieldError('input.description')} />
      <fieldset>
        <legend>{t('webhooks.eventTypes')}</legend>
        {EVENT_TYPES.map(([name]) => (
          <label key={name} className="choice">
            <input
              type="checkbox"
              checked={types.includes(name)}
              onChange={(event) =>
                setTypes((now) =>
                  event.target.checked ? [...now, name] : now.filter((type) => type !== name),
                )
              }
            />{' '}
            {eventLabel(name)}
          </label>
        ))}
      </fieldset>
      {error && !['input.url', 'input.description'].includes(error.field ?? '') && (
        <ErrorFor id="webhook-error" error={error} />
      )}
      <button type="submit" disabled={state.fetching || url.trim() === ''}>
        {t('webhooks.registerSubmit')}
      </button>
    </form>
  );
}

export function Webhooks() {
  const { locale, timeZone } = usePrefs();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: EndpointsQuery,
    requestPolicy: 'cache-and-network',
  });
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [, rotate] = useMutation(Rotate);
  const [, setEnabled] = useMutation(SetEnabled);
  const [, redeliver] = useMutation(Redeliver);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  /** A mutation's refusal (an Error member or no answer) said on screen; then the list again. */
  const act = async (run: () => Promise<{ __typename: string; message?: string } | null | undefined>) => {
    setProblem(null);
    const answer = await run();
    if (!answer) setProblem(t('book.retry'));
    else if ('message' in answer && answer.message) setProblem(answer.message);
    reload();
  };
  const instant = (value: string | null | undefined) =>
    value ? formatInstant(value, locale, timeZone) : '—';
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} />;
  const endpoints = data?.webhookEndpoints ?? [];
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">{t('webhooks.title')}</h1>
      <p>{t('webhooks.hint')}</p>
      {secret && <SecretOnce url={secret.url} secret={secret.secret} />}
      {problem && <Problem message={problem} />}
      {endpoints.length === 0 && <p>{t('webhooks.none')}</p>}
      {endpoints.map((endpoint) => (
        <article key={endpoint.id} data-endpoint={endpoint.url} aria-label={endpoint.url}>
          <h2>{endpoint.url}</h2>
          {endpoint.description && <p>{endpoint.description}</p>}
          <p>
            {endpoint.eventTypes.length === 0
              ? t('webhooks.allEvents')
              : endpoint.eventTypes.map((type) => eventLabel(type)).join(', ')}
          </p>
          <p data-figure="state">
            {endpoint.enabled
              ? t('webhooks.enabled', { failures: endpoint.consecutiveFailures })
              : t('webhooks.disabled', { reason: endpoint.disabledReason ?? '—' })}
          </p>
          {endpoint.previousSecretExpiresAt && (
            <p>{t('webhooks.rotating', { until: instant(endpoint.previousSecretExpiresAt) })}</p>
          )}
          <div className="controls">
            <button
              type="button"
              onClick={() =>
                void act(
                  async () =>
                    (await setEnabled({ id: endpoint.id, enabled: !endpoint.enabled })).data
                      ?.setWebhookEndpointEnabled,
                )
              }
            >
              {endpoint.enabled ? t('webhooks.disable') : t('webhooks.enable')}
            </button>
            <button
              type="button"
              onClick={() =>
                void act(async () => {
                  const answer = (await rotate({ id: endpoint.id })).data?.rotateWebhookSecret;
                  if (answer?.__typename === 'WebhookEndpointWithSecret')
                    setSecret({ url: answer.endpoint.url, secret: answer.secret });
                  return answer;
                })
              }
            >
              {t('webhooks.rotate')}
            </button>
            <button type="button" onClick={reload}>
              {t('webhooks.refresh')}
            </button>
          </div>
          <table>
            <caption>
              {t('webhooks.deliveries', {
                shown: endpoint.deliveries.edges.length,
                count: endpoint.deliveries.totalCount,
              })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.message')}</th>
                <th scope="col">{t('webhooks.state')}</th>
                <th scope="col">{t('webhooks.attempts')}</th>
                <th scope="col">{t('webhooks.last')}</th>
                <th scope="col">{t('webhooks.next')}</th>
                <th scope="col">{t('budgets.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {endpoint.deliveries.edges.map(({ node: delivery }) => (
                <tr key={delivery.id} data-delivery={delivery.id}>
                  <td>{delivery.messageId}</td>
                  <td data-figure="delivery-state">{t(`webhooks.state.${delivery.state}` as MessageId)}</td>
                  <td>{delivery.attemptCount}</td>
                  <td>{delivery.lastStatusCode ?? delivery.lastError ?? '—'}</td>
                  <td>{instant(delivery.nextAttemptAt)}</td>
                  <td>
                    {delivery.state !== 'PENDING' && (
                      <button
                        type="button"
                        aria-label={t('webhooks.redeliverOf', { id: delivery.id })}
                        onClick={() =>
                          void act(async () => (await redeliver({ id: delivery.id })).data?.redeliverWebhook)
                        }
                      >
                        {t('webhooks.redeliver')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
      <RegisterForm
        onRegistered={(url, given) => {
          setSecret({ url, secret: given });
          reload();
        }}
      />
    </section>
  );
}
