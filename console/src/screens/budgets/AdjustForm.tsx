// Adjusting a budget's allocation with a reason (FINANCE): the change's amount and reason, each
// refusal beside the field it names, one idempotency key per attempt.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { useAttemptKeys } from '../../attempts';
import { graphql } from '../../graphql';
import { t } from '../../i18n';
import { usePrefs } from '../../prefs';
import { ErrorFor, requestError, type FieldError } from '../../ui';

type Budget = { id: string; account: { name: string } };

const AdjustMutation = graphql(`
  mutation Adjust($input: AdjustBudgetInput!) {
    adjustBudget(input: $input) {
      __typename
      ... on Budget {
        id
        allocatedAmount
        remainingAmount
        currency
        account {
          name
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

export function AdjustForm({ budget, onDone }: { budget: Budget; onDone: (message: string) => void }) {
  const { money } = usePrefs();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<FieldError | null>(null);
  const [state, adjust] = useMutation(AdjustMutation);
  const { keyFor, forget } = useAttemptKeys();
  const errorAt = (field: string) => (error?.field === field ? error : null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await adjust({
      input: {
        budgetId: budget.id,
        amount,
        reason,
        idempotencyKey: keyFor(`${budget.id}|${amount}|${reason}`),
      },
    });
    const answer = result.data?.adjustBudget;
    if (!answer) {
      setError(requestError(result.error));
      return;
    }
    if (answer.__typename === 'Budget') {
      forget();
      onDone(
        t('budgets.adjusted', {
          account: answer.account.name,
          allocated: money(answer.allocatedAmount, answer.currency),
          remaining: money(answer.remainingAmount, answer.currency),
        }),
      );
      return;
    }
    setError({ field: 'field' in answer ? (answer.field ?? null) : null, message: answer.message });
  };
  return (
    <form className="adjust" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{t('budgets.adjustTitle', { account: budget.account.name })}</h2>
      <label>
        {t('budgets.amount')}{' '}
        <input
          value={amount}
          inputMode="decimal"
          aria-describedby="amount-hint amount-error"
          aria-invalid={errorAt('input.amount') !== null}
          onChange={(event) => setAmount(event.target.value)}
        />
      </label>
      <p id="amount-hint" className="hint">
        {t('budgets.amountHint')}
      </p>
      <ErrorFor id="amount-error" error={errorAt('input.amount')} />
      <label>
        {t('budgets.reason')}{' '}
        <input
          value={reason}
          aria-describedby="reason-error"
          aria-invalid={errorAt('input.reason') !== null}
          onChange={(event) => setReason(event.target.value)}
        />
      </label>
      <ErrorFor id="reason-error" error={errorAt('input.reason')} />
      {error && error.field !== 'input.amount' && error.field !== 'input.reason' && (
        <ErrorFor id="adjust-error" error={error} />
      )}
      <button type="submit" disabled={state.fetching}>
        {t('budgets.adjust')}
      </button>
    </form>
  );
}
