// FINANCE's budget alert thresholds per key-account tier: the percentages of allocated at which
// a budget's used (reserved + spent) notifies the account's people, once per crossing.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { formatDecimal } from '../../format';
import { graphql } from '../../graphql';
import { t } from '../../i18n';
import { usePrefs } from '../../prefs';
import { ErrorFor, requestError, type FieldError } from '../../ui';

const ThresholdsQuery = graphql(`
  query Thresholds {
    a: alertThresholds(tier: A)
    c: alertThresholds(tier: C)
  }
`);

const SetThresholds = graphql(`
  mutation SetThresholds($tier: Tier!, $percents: [Decimal!]!) {
    setAlertThresholds(tier: $tier, percents: $percents) {
      __typename
      ... on AlertThresholds {
        tier
        percents
      }
      ... on Error {
        message
        field
      }
    }
  }
`);

/** "75, 90, 100" as the API's list; what is not a number is left for the API to refuse by name. */
const parseList = (text: string) =>
  text
    .split(/[,，\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');

function TierThresholds({
  tier,
  current,
  onSaved,
}: {
  tier: 'A' | 'C';
  current: readonly string[];
  onSaved: () => void;
}) {
  const { locale } = usePrefs();
  const [text, setText] = useState(current.join(', '));
  const [error, setError] = useState<FieldError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [state, save] = useMutation(SetThresholds);
  const inputId = `thresholds-${tier}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    const result = await save({ tier, percents: parseList(text) });
    const answer = result.data?.setAlertThresholds;
    if (!answer) setError(requestError(result.error));
    else if (answer.__typename === 'AlertThresholds') {
      setDone(
        answer.percents.length === 0
          ? t('alerts.off', { tier })
          : t('alerts.saved', {
              tier,
              percents: answer.percents.map((p) => `${formatDecimal(p, locale)}%`).join(', '),
            }),
      );
      onSaved();
    } else setError({ field: answer.field ?? null, message: answer.message });
  };
  return (
    <form className="controls" onSubmit={(event) => void submit(event)} noValidate data-thresholds={tier}>
      <label htmlFor={inputId}>{t('alerts.tier', { tier })}</label>{' '}
      <input
        id={inputId}
        value={text}
        placeholder="75, 90, 100"
        aria-invalid={error !== null}
        aria-describedby={`${inputId}-error`}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" disabled={state.fetching}>
        {t('alerts.save')}
      </button>
      <ErrorFor id={`${inputId}-error`} error={error} />
      {done && (
        <p role="status" className="done">
          {done}
        </p>
      )}
    </form>
  );
}

export function AlertThresholds() {
  const [{ data, error }, refetch] = useQuery({ query: ThresholdsQuery });
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t('alerts.title')}</h2>
      <p>{t('alerts.hint')}</p>
      {error && <ErrorFor id="alerts-error" error={{ field: null, message: error.message }} />}
      {data && (
        <>
          <TierThresholds
            tier="A"
            current={data.a ?? []}
            onSaved={() => refetch({ requestPolicy: 'network-only' })}
          />
          <TierThresholds
            tier="C"
            current={data.c ?? []}
            onSaved={() => refetch({ requestPolicy: 'network-only' })}
          />
        </>
      )}
    </section>
  );
}
