// The events of the notification feed and of webhook endpoints as a person reads them: each
// type's label, and its message composed in the user's language from the payload (amounts
// formatted from the API's strings). The API's own `message` (English) is the fallback for a
// payload this console does not know.
import { t } from './i18n';
import type { MessageId } from './locales/en';

/** The schema's EventType names and the type each stands for. */
export const EVENT_TYPES = [
  ['BUDGET_THRESHOLD_CROSSED', 'budget.threshold_crossed'],
  ['BUDGET_THRESHOLD_RESOLVED', 'budget.threshold_resolved'],
  ['BUDGET_FORECAST_OVERRUN', 'budget.forecast_overrun'],
  ['BOOKING_EXCEPTION_REQUESTED', 'booking.exception_requested'],
  ['BOOKING_EXCEPTION_DECIDED', 'booking.exception_decided'],
  ['BUDGET_TRANSFER_REQUESTED', 'budget_transfer.requested'],
  ['BUDGET_TRANSFER_DECIDED', 'budget_transfer.decided'],
  ['RESERVATION_EXPIRING', 'reservation.expiring'],
  ['RESERVATION_EXPIRED', 'reservation.expired'],
  ['FISCAL_YEAR_CLOSING', 'fiscal_year.closing'],
] as const;
export type EventTypeName = (typeof EVENT_TYPES)[number][0];

const typeOf = (name: string) => EVENT_TYPES.find(([enumName]) => enumName === name)?.[1] ?? null;

export function eventLabel(name: string): string {
  const type = typeOf(name);
  return type ? t(`event.${type}` as MessageId) : name;
}

type Formats = { money: (amount: string, currency: string) => string; day: (day: string) => string };

/** The payload's fields each type's message needs, and how each is shown. */
const FIELDS: Record<string, Record<string, 'text' | 'money' | 'day' | 'flag'>> = {
  'budget.threshold_crossed': {
    fiscalYear: 'text',
    thresholdPercent: 'text',
    used: 'money',
    allocated: 'money',
  },
  'budget.threshold_resolved': {
    fiscalYear: 'text',
    thresholdPercent: 'text',
    used: 'money',
    allocated: 'money',
  },
  'budget.forecast_overrun': {
    fiscalYear: 'text',
    runOutDate: 'day',
    projected: 'money',
    allocated: 'money',
  },
  'booking.exception_requested': { settlementPrice: 'money', reason: 'text' },
  'booking.exception_decided': { approved: 'flag' },
  'budget_transfer.requested': { amount: 'money' },
  'budget_transfer.decided': { amount: 'money', approved: 'flag' },
  'reservation.expiring': { plannedDate: 'day', lapsesOn: 'day', reserved: 'money' },
  'reservation.expired': { plannedDate: 'day', released: 'money' },
  'fiscal_year.closing': { fiscalYear: 'text', lastDay: 'day', unused: 'money', allocated: 'money' },
};

export function eventMessage(name: string, payload: unknown, fallback: string, formats: Formats): string {
  const type = typeOf(name);
  const fields = type ? FIELDS[type] : undefined;
  const given = (payload ?? {}) as Record<string, unknown>;
  const currency = typeof given.currency === 'string' ? given.currency : null;
  if (!type || !fields) return fallback;
  const values: Record<string, string> = {};
  for (const [field, kind] of Object.entries(fields)) {
    const value = given[field];
    if (kind === 'flag') {
      if (typeof value !== 'boolean') return fallback;
      values[field] = String(value);
    } else if (typeof value !== 'string' && typeof value !== 'number') return fallback;
    else if (kind === 'money') {
      if (!currency) return fallback;
      values[field] = formats.money(String(value), currency);
    } else values[field] = kind === 'day' ? formats.day(String(value)) : String(value);
  }
  const reason = typeof given.reason === 'string' && given.reason !== '' ? given.reason : null;
  return t(`eventMessage.${type}` as MessageId, {
    ...values,
    reason: reason ?? '',
    hasReason: String(reason !== null),
  });
}
