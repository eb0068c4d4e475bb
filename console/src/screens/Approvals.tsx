// A sales leader's inbox: bookings waiting for an exception and budget transfers waiting for a
// decision, each with the figures needed to decide, approved or rejected with a reason.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAttemptKeys } from '../attempts';
import { graphql } from '../graphql';
import { t } from '../i18n';
import { usePrefs } from '../prefs';
import { ErrorFor, Loading, QueryError, type FieldError } from '../ui';

const InboxQuery = graphql(`
  query Inbox {
    bookings(first: 100, filter: { states: [PENDING_APPROVAL] }) {
      totalCount
      edges {
        node {
          id
          plannedDate
          settlementPrice
          currency
          exceptionReason
          account {
            name
          }
          service {
            name
          }
          budget {
            id
            remainingAmount
            currency
          }
        }
      }
    }
    budgetTransfers(first: 100, pendingOnly: true) {
      totalCount
      edges {
        node {
          id
          amount
          currency
          reason
          fromBudget {
            id
            remainingAmount
            currency
            account {
              name
            }
          }
          toBudget {
            id
            remainingAmount
            currency
            account {
              name
            }
          }
        }
      }
    }
  }
`);

const DecideException = graphql(`
  mutation DecideException($input: DecideBookingExceptionInput!) {
    decideBookingException(input: $input) {
      __typename
      ... on Booking {
        id
        state
        overrun
        budget {
          id
          remainingAmount
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

const DecideTransfer = graphql(`
  mutation DecideTransfer($input: DecideBudgetTransferInput!) {
    decideBudgetTransfer(input: $input) {
      __typename
      ... on BudgetTransfer {
        id
        state
      }
      ... on Error {
        code
        message
        field
      }
    }
  }
`);

type Answer = { __typename: string; message?: string; field?: string | null } | null | undefined;

/**
 * One item's decision: a reason for the requester (needed to reject, optional to approve) and the
 * approve/reject pair, with one idempotency key per item, verdict and reason. A refusal from the
 * API is shown beside the reason when it names it, else under the buttons.
 */
function Decision({
  id,
  keyFor,
  decide,
  onDecided,
}: {
  id: string;
  keyFor: (attempt: string) => string;
  decide: (approve: boolean, reason: string | null, idempotencyKey: string) => Promise<Answer>;
  onDecided: (message: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<FieldError | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = `reason-${id}`;
  const submit = async (approve: boolean) => {
    setError(null);
    const given = reason.trim() === '' ? null : reason;
    if (!approve && given === null) {
      setError({ field: 'input.reason', message: t('approvals.reasonToReject') });
      return;
    }
    setBusy(true);
    const answer = await decide(approve, given, keyFor(`${id}|${approve}|${given ?? ''}`));
    setBusy(false);
    if (!answer) setError({ field: null, message: t('book.retry') });
    else if (answer.message) setError({ field: answer.field ?? null, message: answer.message });
    else onDecided(t(approve ? 'approvals.approved' : 'approvals.rejected'));
  };
  return (
    <div className="decision">
      <label htmlFor={reasonId}>{t('approvals.reason')}</label>{' '}
      <input
        id={reasonId}
        value={reason}
        aria-invalid={error?.field === 'input.reason'}
        aria-describedby={`${reasonId}-error`}
        onChange={(event) => setReason(event.target.value)}
      />
      <ErrorFor id={`${reasonId}-error`} error={error?.field === 'input.reason' ? error : null} />
      {[true, false].map((approve) => (
        <button key={String(approve)} type="button" disabled={busy} onClick={() => void submit(approve)}>
          {approve ? t('approvals.approve') : t('approvals.reject')}
        </button>
      ))}
      {error && error.field !== 'input.reason' && <ErrorFor id={`${id}-error`} error={error} />}
    </div>
  );
}

export function Approvals() {
  const { money, day } = usePrefs();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: InboxQuery,
    requestPolicy: 'cache-and-network',
  });
  const [, decideException] = useMutation(DecideException);
  const [, decideTransfer] = useMutation(DecideTransfer);
  const { keyFor } = useAttemptKeys();
  // Outcomes stay on screen after the decided item leaves the inbox.
  const [outcomes, setOutcomes] = useState<string[]>([]);
  const decided = (what: string) => (message: string) => {
    setOutcomes((now) => [...now, `${what}: ${message}`]);
    refetch({ requestPolicy: 'network-only' });
  };
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} />;
  const exceptions = data?.bookings?.edges.map((edge) => edge.node) ?? [];
  const transfers = data?.budgetTransfers?.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="approvals-title">
      <h1 id="approvals-title">{t('approvals.title')}</h1>
      <div role="status" aria-live="polite">
        {outcomes.length > 0 && (
          <ul className="done">
            {outcomes.map((outcome, index) => (
              <li key={index}>{outcome}</li>
            ))}
          </ul>
        )}
      </div>
      <h2>{t('approvals.exceptions')}</h2>
      {exceptions.length === 0 && <p>{t('approvals.noExceptions')}</p>}
      <ul className="inbox">
        {exceptions.map((booking) => (
          <li key={booking.id} data-booking={booking.id}>
            <p>
              {t('approvals.exceptionRow', {
                account: booking.account.name,
                service: booking.service.name,
                price: money(booking.settlementPrice, booking.currency),
                date: day(booking.plannedDate),
              })}
            </p>
            {booking.exceptionReason && (
              <p>{t('approvals.exceptionReason', { reason: booking.exceptionReason })}</p>
            )}
            <p>
              {t('approvals.budgetLeft', {
                remaining: money(booking.budget.remainingAmount, booking.budget.currency),
              })}
            </p>
            <Decision
              id={booking.id}
              keyFor={keyFor}
              decide={async (approve, reason, idempotencyKey) =>
                (await decideException({ input: { bookingId: booking.id, approve, reason, idempotencyKey } }))
                  .data?.decideBookingException
              }
              onDecided={decided(`${booking.account.name}, ${booking.service.name}`)}
            />
          </li>
        ))}
      </ul>
      <h2>{t('approvals.transfers')}</h2>
      {transfers.length === 0 && <p>{t('approvals.noTransfers')}</p>}
      <ul className="inbox">
        {transfers.map((transfer) => (
          <li key={transfer.id} data-transfer={transfer.id}>
            <p>
              {t('approvals.transferRow', {
                amount: money(transfer.amount, transfer.currency),
                from: transfer.fromBudget?.account.name ?? '—',
                to: transfer.toBudget?.account.name ?? '—',
              })}
            </p>
            <p>{t('approvals.exceptionReason', { reason: transfer.reason })}</p>
            {transfer.fromBudget && transfer.toBudget && (
              <p>
                {t('approvals.transferBudgets', {
                  from: money(transfer.fromBudget.remainingAmount, transfer.fromBudget.currency),
                  to: money(transfer.toBudget.remainingAmount, transfer.toBudget.currency),
                })}
              </p>
            )}
            <Decision
              id={transfer.id}
              keyFor={keyFor}
              decide={async (approve, reason, idempotencyKey) =>
                (
                  await decideTransfer({
                    input: { transferId: transfer.id, approve, reason, idempotencyKey },
                  })
                ).data?.decideBudgetTransfer
              }
              onDecided={decided(
                t('approvals.transferRow', {
                  amount: money(transfer.amount, transfer.currency),
                  from: transfer.fromBudget?.account.name ?? '—',
                  to: transfer.toBudget?.account.name ?? '—',
                }),
              )}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
