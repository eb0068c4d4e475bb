// ISO 4217 currency codes accepted by the service. The list is the active codes a B2B vendor
// in this market invoices in; extending it is a one-line change.
export const CURRENCY_CODES = [
  'CNY',
  'USD',
  'EUR',
  'HKD',
  'JPY',
  'GBP',
  'SGD',
  'AUD',
  'CAD',
  'CHF',
  'KRW',
  'TWD',
  'MOP',
  'INR',
  'THB',
  'MYR',
  'IDR',
  'VND',
  'PHP',
  'AED',
  'SAR',
  'BRL',
  'MXN',
  'RUB',
  'ZAR',
  'NZD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
] as const;
export type CurrencyCode = (typeof CURRENCY_CODES)[number];

export function isCurrencyCode(value: string): value is CurrencyCode {
  return (CURRENCY_CODES as readonly string[]).includes(value);
}
