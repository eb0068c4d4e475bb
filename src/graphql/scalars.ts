// Scalars shared by every module. Decimal travels as a string (never a float); Date is an ISO
// calendar day; DateTime is ISO 8601 with an explicit offset, so no instant is ambiguous.
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { DateTime } from 'luxon';
import { builder } from './builder';
import { Decimal, formatMoney, MONEY_SCALE, parseDecimalText } from '../shared/money';
import { isCurrencyCode } from '../shared/currency';
import { isCalendarDay } from '../shared/fiscal';

/**
 * A literal's parse that fails points at the literal, so the error carries its location and the
 * argument path of the value (see input-errors.ts).
 */
function atLiteral<T>(parse: (node: ValueNode) => T): (node: ValueNode) => T {
  return (node) => {
    try {
      return parse(node);
    } catch (error) {
      if (error instanceof GraphQLError && error.nodes === undefined)
        throw new GraphQLError(error.message, { nodes: node });
      throw error;
    }
  };
}

function stringLiteral(node: ValueNode, scalar: string): string {
  if (node.kind !== Kind.STRING) throw new GraphQLError(`${scalar} must be given as a string`);
  return node.value;
}

function parseDecimal(value: unknown): Decimal {
  if (typeof value !== 'string') {
    throw new GraphQLError('Decimal must be sent as a string such as "1234.50", never as a JSON number');
  }
  const parsed = parseDecimalText(value);
  if (!parsed.ok) throw new GraphQLError(`Decimal ${parsed.reason}`);
  return parsed.value;
}

builder.scalarType('Decimal', {
  description:
    'An exact decimal number as a string ("200000.00", "0.02"). Plain digits only: no exponent, NaN or Infinity; at most 18 integer digits and 6 decimal places. Used for ratios; amounts of money use Money.',
  serialize: (value) => {
    const decimal = value instanceof Decimal ? value : new Decimal(String(value));
    return decimal.toFixed();
  },
  parseValue: parseDecimal,
  parseLiteral: atLiteral((node) => parseDecimal(stringLiteral(node, 'Decimal'))),
});

function parseMoney(value: unknown): Decimal {
  if (typeof value !== 'string') {
    throw new GraphQLError('Money must be sent as a string such as "1234.50", never as a JSON number');
  }
  const parsed = parseDecimalText(value, MONEY_SCALE);
  if (!parsed.ok) throw new GraphQLError(`Money ${parsed.reason}`);
  return parsed.value;
}

builder.scalarType('Money', {
  description:
    'An amount of money as a string with exactly two decimals on output ("200000.00"); input allows at most two ("200000", "0.5"). No exponent, NaN or Infinity. The currency is given beside it.',
  serialize: (value) => formatMoney(value instanceof Decimal ? value : new Decimal(String(value))),
  parseValue: parseMoney,
  parseLiteral: atLiteral((node) => parseMoney(stringLiteral(node, 'Money'))),
});

/** Days the service accepts: the fiscal years it can hold (the database checks 2000–2200). */
export const DATE_MIN = '2000-01-01';
export const DATE_MAX = '2199-12-31';
function formatDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDay(value)) {
    throw new GraphQLError('Date must be a calendar day as YYYY-MM-DD, such as "2026-03-31"');
  }
  return value;
}
function parseDate(value: unknown): string {
  const day = formatDate(value);
  if (day < DATE_MIN || day > DATE_MAX)
    throw new GraphQLError(`Date ${day} is out of range: days from ${DATE_MIN} to ${DATE_MAX} are accepted`);
  return day;
}

builder.scalarType('Date', {
  description:
    'A calendar day, ISO 8601 (YYYY-MM-DD), read in the fiscal time zone where it matters. Days from 2000-01-01 to 2199-12-31.',
  serialize: (value) => formatDate(value),
  parseValue: parseDate,
  parseLiteral: atLiteral((node) => parseDate(stringLiteral(node, 'Date'))),
});

const EXPLICIT_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/;
function parseDateTime(value: unknown): DateTime {
  if (typeof value !== 'string' || !EXPLICIT_OFFSET.test(value)) {
    throw new GraphQLError('DateTime must be ISO 8601 with an offset, such as "2026-03-31T09:00:00+08:00"');
  }
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid) throw new GraphQLError(`DateTime ${JSON.stringify(value)} is not a valid instant`);
  const day = parsed.toUTC().toISODate()!;
  if (day < DATE_MIN || day > DATE_MAX)
    throw new GraphQLError(
      `DateTime ${value} is out of range: instants from ${DATE_MIN} to ${DATE_MAX} are accepted`,
    );
  return parsed;
}

builder.scalarType('DateTime', {
  description:
    'An instant, ISO 8601 with an explicit offset, from 2000 to 2199. Output is UTC ("2026-03-31T01:00:00.000Z").',
  serialize: (value) => {
    const instant = value instanceof Date ? DateTime.fromJSDate(value) : (value as DateTime);
    return instant.toUTC().toISO()!;
  },
  parseValue: parseDateTime,
  parseLiteral: atLiteral((node) => parseDateTime(stringLiteral(node, 'DateTime'))),
});

function parseCurrency(value: unknown): string {
  if (typeof value !== 'string' || !isCurrencyCode(value)) {
    throw new GraphQLError('Currency must be an ISO 4217 code in upper case, such as "CNY"');
  }
  return value;
}

builder.scalarType('Currency', {
  description:
    'An ISO 4217 currency code ("CNY", "USD"). Amounts of one currency are never added to another.',
  serialize: (value) => String(value),
  parseValue: parseCurrency,
  parseLiteral: atLiteral((node) => parseCurrency(stringLiteral(node, 'Currency'))),
});

builder.scalarType('JSON', {
  description: 'A JSON value (used for audit before/after snapshots).',
  serialize: (value) => value,
  parseValue: (value) => value,
});
