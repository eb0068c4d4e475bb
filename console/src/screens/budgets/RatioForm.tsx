// The fiscal year's operating ratio (budget = revenue target × ratio), shown and set by FINANCE.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { formatDecimal } from '../../format';
import { graphql } from '../../graphql';
import { t } from '../../i18n';
import { usePrefs } from '../../prefs';
import { ErrorFor, requestError, type FieldError } from '../../ui';

const RatioQuery = graphql(`
  query Ratio($year: Int!) {
    operatingRatio(fiscalYear: $year)
  }
`);

const SetRatio = graphql(`
  mutation SetRatio($year: Int!, $ratio: Decimal!) {
    setOperatingRatio(fiscalYear: $year, ratio: $ratio) {
      __typename
      ... on OperatingRatio {
        fiscalYear
        ratio
      }
      ... on Error {
        code
        message
        field
      }
    }
  }
`);

export function RatioForm({ year }: { year: number }) {
  const { locale } = usePrefs();
  const [{ data }, refetch] = useQuery({ query: RatioQuery, variables: { year } });
  const [ratio, setRatio] = useState('');
  const [error, setError] = useState<FieldError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [state, set] = useMutation(SetRatio);
  const current = data?.operatingRatio ?? null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    const result = await set({ year, ratio });
    const answer = result.data?.setOperatingRatio;
    if (!answer) setError(requestError(result.error));
    else if (answer.__typename === 'OperatingRatio') {
      setDone(t('budgets.ratioSet', { year, ratio: formatDecimal(answer.ratio, locale) }));
      refetch({ requestPolicy: 'network-only' });
    } else setError({ field: 'field' in answer ? (answer.field ?? null) : null, message: answer.message });
  };
  return (
    <form className="controls" onSubmit={(event) => void submit(event)} noValidate>
      <p data-figure="ratio">
        {current === null
          ? t('budgets.noRatio', { year })
          : t('budgets.ratio', { year, ratio: formatDecimal(current, locale) })}
      </p>
      <label>
        {t('budgets.newRatio')}{' '}
        <input
          value={ratio}
          inputMode="decimal"
          placeholder="0.02"
          aria-invalid={error !== null}
          aria-describedby="ratio-error"
          onChange={(event) => setRatio(event.target.value)}
        />
      </label>
      <button type="submit" disabled={state.fetching || ratio === ''}>
        {t('budgets.setRatio')}
      </button>
      <ErrorFor id="ratio-error" error={error} />
      {done && (
        <p role="status" className="done">
          {done}
        </p>
      )}
    </form>
  );
}
