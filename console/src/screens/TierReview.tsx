// The sales leader's tier review: each proposal with the figures behind it (its reasons and what
// it does to budgets), applied with a reason through changeTier. Leaving A/C may need the CSM
// released; what still blocks the change (open bookings, a funded budget) is listed beside it.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql, type ResultOf } from '../graphql';
import { t } from '../i18n';
import { usePrefs } from '../prefs';
import { ErrorFor, Loading, QueryError, requestError, type FieldError } from '../ui';

const ProposalsQuery = graphql(`
  query TierProposals($year: Int!) {
    tierReviewProposals(fiscalYear: $year, first: 200) {
      totalCount
      edges {
        node {
          account {
            id
            name
          }
          fromTier
          toTier
          period
          reasons
          budgetImpact
        }
      }
    }
  }
`);

const ChangeTier = graphql(`
  mutation ChangeTier($input: ChangeTierInput!) {
    changeTier(input: $input) {
      __typename
      ... on Customer {
        id
        name
        tier
      }
      ... on TierChangeBlockedError {
        message
        field
        blockers {
          resource
          message
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

type Proposal = NonNullable<ResultOf<typeof ProposalsQuery>['tierReviewProposals']>['edges'][number]['node'];
const KEY_TIERS = ['A', 'C'];

function Apply({ proposal, onApplied }: { proposal: Proposal; onApplied: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [releaseCsm, setReleaseCsm] = useState(false);
  const [error, setError] = useState<FieldError | null>(null);
  const [blockers, setBlockers] = useState<string[]>([]);
  const [state, change] = useMutation(ChangeTier);
  const leavesKey = KEY_TIERS.includes(proposal.fromTier) && !KEY_TIERS.includes(proposal.toTier);
  const id = `tier-${proposal.account.id}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBlockers([]);
    const result = await change({
      input: {
        accountId: proposal.account.id,
        tier: proposal.toTier,
        reason,
        ...(leavesKey ? { releaseCsm } : {}),
      },
    });
    const answer = result.data?.changeTier;
    if (!answer) setError(requestError(result.error));
    else if (answer.__typename === 'Customer')
      onApplied(t('tiers.applied', { account: answer.name, tier: answer.tier }));
    else {
      if (answer.__typename === 'TierChangeBlockedError') setBlockers(answer.blockers.map((b) => b.message));
      setError({ field: answer.field ?? null, message: answer.message });
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <label htmlFor={`${id}-reason`}>{t('tiers.reason')}</label>{' '}
      <input
        id={`${id}-reason`}
        value={reason}
        aria-invalid={error?.field === 'input.reason'}
        aria-describedby={`${id}-reason-error`}
        onChange={(event) => setReason(event.target.value)}
      />
      <ErrorFor id={`${id}-reason-error`} error={error?.field === 'input.reason' ? error : null} />
      {leavesKey && (
        <label className="check">
          <input
            type="checkbox"
            checked={releaseCsm}
            onChange={(event) => setReleaseCsm(event.target.checked)}
          />{' '}
          {t('tiers.releaseCsm')}
        </label>
      )}
      <button type="submit" disabled={state.fetching}>
        {t('tiers.apply', { tier: proposal.toTier })}
      </button>
      {error && error.field !== 'input.reason' && <ErrorFor id={`${id}-error`} error={error} />}
      {blockers.length > 0 && (
        <ul aria-label={t('tiers.blockers')}>
          {blockers.map((blocker) => (
            <li key={blocker} className="warning">
              {blocker}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

export function TierReview() {
  const { fiscalYear, can } = usePrefs();
  const [year, setYear] = useState(fiscalYear);
  const [{ data, fetching, error }, refetch] = useQuery({ query: ProposalsQuery, variables: { year } });
  const [applied, setApplied] = useState<string[]>([]);
  const proposals = data?.tierReviewProposals?.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="tiers-title">
      <h1 id="tiers-title">{t('tiers.title')}</h1>
      <label>
        {t('period.year')}{' '}
        <select value={year} onChange={(event) => setYear(Number(event.target.value))}>
          {[fiscalYear, fiscalYear - 1, fiscalYear - 2].map((option) => (
            <option key={option} value={option}>
              {t('period.fiscalYear', { year: option })}
            </option>
          ))}
        </select>
      </label>
      <div role="status" aria-live="polite">
        {applied.length > 0 && (
          <ul className="done">
            {applied.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </div>
      {error && <QueryError error={error} />}
      {fetching && !data && <Loading />}
      {data && proposals.length === 0 && <p>{t('tiers.empty', { year })}</p>}
      <ul className="inbox">
        {proposals.map((proposal) => (
          <li key={proposal.account.id} data-account={proposal.account.name}>
            <h2>
              {t('tiers.proposal', {
                account: proposal.account.name,
                from: proposal.fromTier,
                to: proposal.toTier,
              })}
            </h2>
            <p className="hint">{proposal.period}</p>
            <h3>{t('tiers.reasons')}</h3>
            <ul>
              {proposal.reasons.map((reason) => (
                <li key={reason}>{reason}</li>
              ))}
            </ul>
            {proposal.budgetImpact.length > 0 && (
              <>
                <h3>{t('tiers.budgetImpact')}</h3>
                <ul>
                  {proposal.budgetImpact.map((impact) => (
                    <li key={impact}>{impact}</li>
                  ))}
                </ul>
              </>
            )}
            {can('SALES_LEADER', 'ADMIN') && (
              <Apply
                proposal={proposal}
                onApplied={(message) => {
                  setApplied((now) => [...now, message]);
                  refetch({ requestPolicy: 'network-only' });
                }}
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
