// Money and other exact quantities. Every amount is a decimal.js value from the database row
// (NUMERIC, read as a string) to the GraphQL scalar (a string); a JavaScript number never
// carries money. Rounding of money happens only in roundMoney, with one named mode.
import DecimalJs from 'decimal.js';
import { ValidationError } from './errors';

/** decimal.js configured for accounting: 40 significant digits is far above NUMERIC(20,2). */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = InstanceType<typeof Decimal>;

/** Money is kept to the cent (minor unit of CNY, USD, EUR); finance rounds half up (四舍五入). */
export const MONEY_SCALE = 2;
export const MONEY_ROUNDING = Decimal.ROUND_HALF_UP;
/** Largest scale any Decimal input may carry (ratios such as 0.025, hourly rates). */
export const DECIMAL_SCALE_MAX = 6;
/** NUMERIC(20, *) leaves 18 integer digits at most. */
export const DECIMAL_INTEGER_DIGITS_MAX = 18;

const DECIMAL_PATTERN = /^-?(\d+)(?:\.(\d+))?$/;

export type DecimalParseFailure = { ok: false; reason: string };
export type DecimalParseResult = { ok: true; value: Decimal } | DecimalParseFailure;

/**
 * Parses the textual form clients send: plain digits with an optional sign and fraction.
 * Exponent notation ("1e3"), NaN, Infinity, spaces, "+" and empty strings are refused, as are
 * more fraction digits than `scaleMax` and more integer digits than the database holds.
 */
export function parseDecimalText(text: string, scaleMax: number = DECIMAL_SCALE_MAX): DecimalParseResult {
  const match = DECIMAL_PATTERN.exec(text);
  if (!match) {
    return { ok: false, reason: `"${text.slice(0, 40)}" is not a plain decimal number such as "1234.50"` };
  }
  const integerDigits = match[1]!.replace(/^0+(?=\d)/, '');
  const fractionDigits = match[2] ?? '';
  if (integerDigits.length > DECIMAL_INTEGER_DIGITS_MAX) {
    return { ok: false, reason: `has more than ${DECIMAL_INTEGER_DIGITS_MAX} integer digits` };
  }
  if (fractionDigits.length > scaleMax) {
    return {
      ok: false,
      reason: `has ${fractionDigits.length} decimal places; at most ${scaleMax} are allowed`,
    };
  }
  return { ok: true, value: new Decimal(text) };
}

/** Rounds to the cent with the one rounding mode finance agreed on. */
export function roundMoney(value: Decimal): Decimal {
  return value.toDecimalPlaces(MONEY_SCALE, MONEY_ROUNDING);
}

/** The canonical text of an amount of money: always two decimals ("200000.00"). */
export function formatMoney(value: Decimal): string {
  return value.toFixed(MONEY_SCALE);
}

/** Reads a NUMERIC column (pg returns text) into a Decimal; asserts it is really a number. */
export function fromDatabase(value: string | number | null | undefined): Decimal {
  if (value === null || value === undefined) return new Decimal(0);
  if (typeof value === 'number') {
    // Only counts and small integers may arrive as numbers; money never should.
    if (!Number.isSafeInteger(value)) throw new Error(`unsafe numeric value from database: ${value}`);
    return new Decimal(value);
  }
  return new Decimal(value);
}

/** The text written to a NUMERIC column. */
export function toDatabase(value: Decimal): string {
  return value.toFixed();
}

/**
 * Splits `total` into `parts` shares that differ by at most one cent and add up exactly to
 * `total`: the first shares take the leftover cents (largest-remainder on equal weights).
 */
export function splitEvenly(total: Decimal, parts: number): Decimal[] {
  if (!Number.isInteger(parts) || parts < 1)
    throw new Error(`parts must be a positive integer, got ${parts}`);
  const cents = total.times(100);
  if (!cents.isInteger()) throw new Error(`splitEvenly expects whole cents, got ${total.toFixed()}`);
  const base = cents.dividedToIntegerBy(parts);
  const leftover = cents.minus(base.times(parts)).toNumber();
  // With no leftover the sign is never used, so `<` and `<=` cannot differ: equivalent.
  // Stryker disable next-line EqualityOperator
  const sign = leftover < 0 ? -1 : 1;
  return Array.from({ length: parts }, (_, index) =>
    base.plus(index < Math.abs(leftover) ? sign : 0).dividedBy(100),
  );
}

/** Above this an amount in an input is a typo, not a price, a cost or a budget (one hundred million). */
export const MONEY_AMOUNT_MAX = '100000000';

export type MoneyRule = {
  /** NON_NEGATIVE (the default) refuses below zero, POSITIVE also zero; ANY takes either sign. */
  sign?: 'NON_NEGATIVE' | 'POSITIVE' | 'ANY';
  /** The largest amount taken (MONEY_AMOUNT_MAX by default); null for figures with no bound. */
  amountMax?: string | null;
};

/**
 * The one check of an amount a client sends: its sign, at most MONEY_SCALE decimal places and
 * its bound. The message names the field's last segment ("price cannot be negative").
 */
export function validateMoney(value: Decimal, field: string, rule: MoneyRule = {}): Decimal {
  const name = field.split('.').pop();
  const sign = rule.sign ?? 'NON_NEGATIVE';
  const amountMax = rule.amountMax === undefined ? MONEY_AMOUNT_MAX : rule.amountMax;
  if (sign !== 'ANY' && value.isNegative()) throw new ValidationError(field, `${name} cannot be negative`);
  if (sign === 'POSITIVE' && value.isZero())
    throw new ValidationError(field, `${name} must be greater than zero`);
  if (value.decimalPlaces() > MONEY_SCALE)
    throw new ValidationError(field, `${name} has at most ${MONEY_SCALE} decimal places`);
  if (amountMax !== null && value.abs().greaterThan(amountMax))
    throw new ValidationError(field, `${name} above ${amountMax} is not plausible`);
  return value;
}
