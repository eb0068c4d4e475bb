// A sales leader's inbox: bookings waiting for an exception and budget transfers waiting for a
// decision, each with the figures needed to decide, approved or rejected in one click.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useAttemptKeys } from '../attempts';
import { graphql } from '../graphql';
import { t } from '../i18n';
import { usePrefs } from '../prefs';
import { Loading, QueryError } from '../ui';

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
            account {
              name
            }
          }
          toBudget {
            id
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

/** Approve and reject: one click decides, with one idempotency key per item and verdict. */
function DecisionButtons({
  id,
  keyFor,
  decide,
}: {
  id: string;
  keyFor: (attempt: string) => string;
  decide: (approve: boolean, idempotencyKey: string) => Promise<void>;
}) {
  return (
    <>
      {[true, false].map((approve) => (
        <button
          key={String(approve)}
          type="button"
          onClick={() => void decide(approve, keyFor(`${id}|${approve}`))}
        >
          {approve ? t('approvals.approve') : t('approvals.reject')}
        </button>
      ))}
    </>
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
  const [messages, setMessages] = useState<Record<string, string>>({});
  const answered = (id: string, answer: { __typename: string; message?: string } | null | undefined) => {
    setMessages((now) => ({
      ...now,
      [id]: answer && 'message' in answer && answer.message ? answer.message : t('approvals.decided'),
    }));
    refetch({ requestPolicy: 'network-only' });
  };
  if (fetching && !data) return <Loading />;
  if (error && !data) return <QueryError error={error} />;
  const exceptions = data?.bookings?.edges.map((edge) => edge.node) ?? [];
  const transfers = data?.budgetTransfers?.edges.map((edge) => edge.node) ?? [];
  return (
    <section aria-labelledby="approvals-title">
      <h1 id="approvals-title">{t('approvals.title')}</h1>
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
            <DecisionButtons
              id={booking.id}
              keyFor={keyFor}
              decide={async (approve, idempotencyKey) => {
                const result = await decideException({
                  input: { bookingId: booking.id, approve, idempotencyKey },
                });
                answered(booking.id, result.data?.decideBookingException);
              }}
            />
            {messages[booking.id] && <p role="status">{messages[booking.id]}</p>}
          </li>
        ))}
      </ul>
      <h2>{t('approvals.transfers')}</h2>
      {transfers.length === 0 && <p>{t('approvals.noTransfers')}</p>}
      <ul className="inbox">
        {transfers.map((transfer) => (
          <li key={transfer.id}>
            <p>
              {t('approvals.transferRow', {
                amount: money(transfer.amount, transfer.currency),
                from: transfer.fromBudget?.account.name ?? '—',
                to: transfer.toBudget?.account.name ?? '—',
              })}
            </p>
            <p>{transfer.reason}</p>
            <DecisionButtons
              id={transfer.id}
              keyFor={keyFor}
              decide={async (approve, idempotencyKey) => {
                const result = await decideTransfer({
                  input: { transferId: transfer.id, approve, idempotencyKey },
                });
                answered(transfer.id, result.data?.decideBudgetTransfer);
              }}
            />
            {messages[transfer.id] && <p role="status">{messages[transfer.id]}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}
