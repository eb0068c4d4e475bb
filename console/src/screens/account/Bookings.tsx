// The account's bookings: service, day, state, price and actual cost, over-budget flag. A booked
// one can be delivered (with its actual cost; the settlement price when left empty) or
// cancelled with a reason, by the account's CSM or an ADMIN. One idempotency key per attempt.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { useAttemptKeys } from '../../attempts';
import { t } from '../../i18n';
import type { MessageId } from '../../locales/en';
import { usePrefs } from '../../prefs';
import { ErrorFor, requestError, type FieldError } from '../../ui';
import { CancelMutation, DeliverMutation, type AccountData } from './queries';

type Booking = NonNullable<AccountData['bookings']>['edges'][number]['node'];
type Action = { booking: Booking; kind: 'deliver' | 'cancel' };

function ActionForm({ action, onDone }: { action: Action; onDone: (message: string) => void }) {
  const { money } = usePrefs();
  const [value, setValue] = useState('');
  const [error, setError] = useState<FieldError | null>(null);
  const [delivering, deliver] = useMutation(DeliverMutation);
  const [cancelling, cancel] = useMutation(CancelMutation);
  const { keyFor, forget } = useAttemptKeys();
  const { booking, kind } = action;
  const field = kind === 'deliver' ? 'input.actualCost' : 'input.reason';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const idempotencyKey = keyFor(`${kind}|${booking.id}|${value}`);
    const result =
      kind === 'deliver'
        ? await deliver({
            input: { bookingId: booking.id, idempotencyKey, ...(value ? { actualCost: value } : {}) },
          })
        : await cancel({ input: { bookingId: booking.id, idempotencyKey, reason: value } });
    const answer =
      result.data &&
      ('deliverBooking' in result.data ? result.data.deliverBooking : result.data.cancelBooking);
    if (!answer) {
      setError(requestError(result.error));
      return;
    }
    if (answer.__typename === 'Booking') {
      forget();
      onDone(
        kind === 'deliver'
          ? t('account.delivered', {
              service: answer.service.name,
              cost: answer.actualCost ? money(answer.actualCost, booking.currency) : '–',
            })
          : t('account.cancelled', { service: answer.service.name }),
      );
      return;
    }
    setError({ field: 'field' in answer ? (answer.field ?? null) : null, message: answer.message });
  };
  const label = kind === 'deliver' ? t('account.actualCost') : t('account.cancelReason');
  return (
    <form className="adjust" onSubmit={(event) => void submit(event)} noValidate>
      <h3>
        {t(kind === 'deliver' ? 'account.deliverTitle' : 'account.cancelTitle', {
          service: booking.service.name,
        })}
      </h3>
      <label>
        {label}{' '}
        <input
          value={value}
          inputMode={kind === 'deliver' ? 'decimal' : undefined}
          aria-invalid={error?.field === field}
          aria-describedby="action-error"
          placeholder={kind === 'deliver' ? booking.settlementPrice : undefined}
          onChange={(event) => setValue(event.target.value)}
        />
      </label>
      {kind === 'deliver' && (
        <p className="hint">
          {t('account.actualCostHint', { price: money(booking.settlementPrice, booking.currency) })}
        </p>
      )}
      <ErrorFor id="action-error" error={error} />
      <button type="submit" disabled={delivering.fetching || cancelling.fetching}>
        {t(kind === 'deliver' ? 'account.deliver' : 'account.cancel')}
      </button>
    </form>
  );
}

export function Bookings({ bookings, canAct }: { bookings: readonly Booking[]; canAct: boolean }) {
  const { money, day } = usePrefs();
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  if (bookings.length === 0) return <p>{t('account.noBookings')}</p>;
  const open = (booking: Booking, kind: Action['kind']) => {
    setDone(null);
    setAction({ booking, kind });
  };
  return (
    <>
      {done && (
        <p role="status" className="done">
          {done}
        </p>
      )}
      <table className="data">
        <caption>{t('account.bookings')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('account.service')}</th>
            <th scope="col">{t('book.date')}</th>
            <th scope="col">{t('account.state')}</th>
            <th scope="col" className="number">
              {t('account.price')}
            </th>
            <th scope="col" className="number">
              {t('account.actualCost')}
            </th>
            {canAct && <th scope="col">{t('budgets.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {bookings.map((booking) => (
            <tr key={booking.id} data-booking={booking.id}>
              <th scope="row">{booking.service.name}</th>
              <td>{day(booking.plannedDate)}</td>
              <td data-figure="state">
                {t(`state.${booking.state}` as MessageId)}
                {booking.overrun && <strong className="warning"> {t('accounts.overrun')}</strong>}
              </td>
              <td className="number">{money(booking.settlementPrice, booking.currency)}</td>
              <td className="number">
                {booking.actualCost ? money(booking.actualCost, booking.currency) : '–'}
              </td>
              {canAct && (
                <td>
                  {booking.state === 'BOOKED' && (
                    <>
                      <button
                        type="button"
                        aria-label={t('account.deliverFor', {
                          service: booking.service.name,
                          date: day(booking.plannedDate),
                        })}
                        onClick={() => open(booking, 'deliver')}
                      >
                        {t('account.deliver')}
                      </button>{' '}
                      <button
                        type="button"
                        aria-label={t('account.cancelFor', {
                          service: booking.service.name,
                          date: day(booking.plannedDate),
                        })}
                        onClick={() => open(booking, 'cancel')}
                      >
                        {t('account.cancelShort')}
                      </button>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {action && (
        <ActionForm
          key={`${action.kind}-${action.booking.id}`}
          action={action}
          onDone={(message) => {
            setAction(null);
            setDone(message);
          }}
        />
      )}
    </>
  );
}
