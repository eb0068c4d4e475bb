// A key account's budget for the year (FINANCE): revenue target × the year's ratio, or an amount
// given outright, with the part already used before the system (opening). Refusals beside the field.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAttemptKeys } from '../../attempts';
import { graphql } from '../../graphql';
import { t } from '../../i18n';
import { usePrefs } from '../../prefs';
import { ErrorFor, requestError, type FieldError } from '../../ui';

const KeyAccountsQuery = graphql(`
  query KeyAccounts {
    customers(first: 200, filter: { keyAccount: true }) {
      edges {
        node {
          id
          name
          tier
        }
      }
    }
  }
`);

const Create = graphql(`
  mutation CreateBudget($input: CreateBudgetInput!) {
    createBudget(input: $input) {
      __typename
      ... on Budget {
        id
        allocatedAmount
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

const FIELDS = ['input.accountId', 'input.revenueTarget', 'input.amount', 'input.openingUsed'] as const;

export function CreateBudget({
  year,
  budgeted,
  onCreated,
}: {
  year: number;
  budgeted: ReadonlySet<string>;
  onCreated: () => void;
}) {
  const { money } = usePrefs();
  const [{ data }] = useQuery({ query: KeyAccountsQuery });
  const [accountId, setAccountId] = useState('');
  const [revenueTarget, setRevenueTarget] = useState('');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<FieldError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [state, create] = useMutation(Create);
  const { keyFor, forget } = useAttemptKeys();
  const open = (data?.customers?.edges ?? [])
    .map((edge) => edge.node)
    .filter((account) => !budgeted.has(account.id));
  const errorAt = (field: string) => (error?.field === field ? error : null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    const input = {
      accountId,
      fiscalYear: year,
      ...(revenueTarget ? { revenueTarget } : {}),
      ...(amount ? { amount } : {}),
    };
    const result = await create({ input: { ...input, idempotencyKey: keyFor(JSON.stringify(input)) } });
    const answer = result.data?.createBudget;
    if (!answer) setError(requestError(result.error));
    else if (answer.__typename === 'Budget') {
      forget();
      setDone(
        t('budgets.created', {
          account: answer.account.name,
          amount: money(answer.allocatedAmount, answer.currency),
        }),
      );
      setAccountId('');
      setRevenueTarget('');
      setAmount('');
      onCreated();
    } else setError({ field: 'field' in answer ? (answer.field ?? null) : null, message: answer.message });
  };
  return (
    <form className="adjust" onSubmit={(event) => void submit(event)} noValidate>
      <h2>{t('budgets.createTitle', { year })}</h2>
      {open.length === 0 && <p>{t('budgets.allBudgeted', { year })}</p>}
      <label>
        {t('budgets.account')}{' '}
        <select
          value={accountId}
          aria-invalid={errorAt('input.accountId') !== null}
          aria-describedby="create-account-error"
          onChange={(event) => setAccountId(event.target.value)}
        >
          <option value="">—</option>
          {open.map((account) => (
            <option key={account.id} value={account.id}>
              {account.name} ({t('accounts.tier', { tier: account.tier })})
            </option>
          ))}
        </select>
      </label>
      <ErrorFor id="create-account-error" error={errorAt('input.accountId')} />
      <label>
        {t('budgets.revenueTarget')}{' '}
        <input
          value={revenueTarget}
          inputMode="decimal"
          aria-invalid={errorAt('input.revenueTarget') !== null}
          aria-describedby="create-target-error"
          onChange={(event) => setRevenueTarget(event.target.value)}
        />
      </label>
      <ErrorFor id="create-target-error" error={errorAt('input.revenueTarget')} />
      <label>
        {t('budgets.amountOutright')}{' '}
        <input
          value={amount}
          inputMode="decimal"
          aria-invalid={errorAt('input.amount') !== null}
          aria-describedby="create-amount-error"
          onChange={(event) => setAmount(event.target.value)}
        />
      </label>
      <ErrorFor id="create-amount-error" error={errorAt('input.amount')} />
      {error && !(FIELDS as readonly string[]).includes(error.field ?? '') && (
        <ErrorFor id="create-error" error={error} />
      )}
      <button type="submit" disabled={state.fetching || accountId === ''}>
        {t('budgets.create')}
      </button>
      {done && (
        <p role="status" className="done">
          {done}
        </p>
      )}
    </form>
  );
}
