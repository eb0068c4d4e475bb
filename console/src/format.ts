// Money and dates as people read them, exactly. Amounts arrive as decimal strings ("12345.67")
// and are formatted as strings: Intl.NumberFormat formats a numeric string without rounding it
// through a float, and the 万元 unit moves the decimal point four places (an exact division).
// Arithmetic the screens need (a sum, a share of a budget) is done in whole cents with BigInt.
export type Locale = 'zh-CN' | 'en';
export type MoneyUnit = 'yuan' | 'wan';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Intl.NumberFormat formats a numeric string exactly (ECMA-402's NumberFormat v3); TypeScript's
 * older lib types only know numbers, so the string goes in under that type, unchanged. */
const exact = (decimalText: string) => decimalText as unknown as number;

function parts(amount: string): { sign: string; whole: string; fraction: string } {
  const match = DECIMAL.exec(amount);
  if (!match) throw new Error(`not a decimal amount: ${amount}`);
  return { sign: match[1]!, whole: match[2]!, fraction: match[3] ?? '' };
}

/** The amount divided by 10^places, as exact decimal text ("1234567.89", 4 → "123.456789"). */
export function shiftLeft(amount: string, places: number): string {
  const { sign, whole, fraction } = parts(amount);
  const padded = whole.padStart(places + 1, '0');
  const head = padded.slice(0, padded.length - places).replace(/^0+(?=\d)/, '');
  const tail = (padded.slice(padded.length - places) + fraction).replace(/0+$/, '');
  return `${sign}${head}${tail ? `.${tail}` : ''}`;
}

/** 12,345.67 CNY as the locale writes it: ¥12,345.67; with the 万元 unit, 1.234567万元. */
export function formatMoney(
  amount: string,
  currency: string,
  locale: Locale,
  unit: MoneyUnit = 'yuan',
): string {
  if (unit === 'wan') {
    const wan = shiftLeft(amount, 4);
    const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(exact(wan));
    return locale === 'zh-CN' ? `${number}万元` : `${number} × 10k ${currency}`;
  }
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(exact(amount));
}

/** Whole cents of a money string ("12.30" → 1230n). */
export function cents(amount: string): bigint {
  const { sign, whole, fraction } = parts(amount);
  if (fraction.length > 2) throw new Error(`more than two decimals: ${amount}`);
  const value = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));
  return sign === '-' ? -value : value;
}

/** Money text of whole cents (1230n → "12.30"). */
export function fromCents(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const magnitude = value < 0n ? -value : value;
  return `${sign}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, '0')}`;
}

/** part ÷ whole as a whole percent, rounded half up; null when the whole is zero. */
export function percentOf(part: bigint, whole: bigint): number | null {
  if (whole === 0n) return null;
  return Number((part * 200n + whole) / (whole * 2n));
}

/** A calendar day ("2026-12-20") as the locale writes it. Days carry no time zone. */
export function formatDay(day: string, locale: Locale): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, date)),
  );
}

/** An instant in the fiscal time zone (Asia/Shanghai unless the API says otherwise). */
export function formatInstant(instant: string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(instant),
  );
}

/** A decimal ratio or figure from the API ("2.5000") as the locale writes it, exactly. */
export function formatDecimal(decimalText: string, locale: Locale): string {
  parts(decimalText);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 4 }).format(exact(decimalText));
}

/** The calendar day ("2026-03-01") an instant falls on in a time zone. */
export function dayIn(instant: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}

/** Midnight UTC of a calendar day, in milliseconds: days compared and charted without a zone. */
export const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
