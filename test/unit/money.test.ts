import {
  Decimal,
  formatMoney,
  fromDatabase,
  parseDecimalText,
  roundMoney,
  splitEvenly,
  toDatabase,
  validateMoney,
  type MoneyRule,
} from '../../src/shared/money';
import { ValidationError } from '../../src/shared/errors';

describe('parseDecimalText', () => {
  test.each([
    ['0', '0'],
    ['200000', '200000'],
    ['200000.00', '200000'],
    ['-12.5', '-12.5'],
    ['0.000001', '0.000001'],
    ['007.10', '7.1'],
    ['999999999999999999.99', '999999999999999999.99'],
  ])('accepts %s', (text, expected) => {
    const parsed = parseDecimalText(text);
    expect(parsed.ok && parsed.value.toFixed()).toBe(expected);
  });

  test.each([
    ['1e3', 'plain decimal'],
    ['1E-2', 'plain decimal'],
    ['NaN', 'plain decimal'],
    ['Infinity', 'plain decimal'],
    ['-Infinity', 'plain decimal'],
    ['', 'plain decimal'],
    [' 1', 'plain decimal'],
    ['+1', 'plain decimal'],
    ['1.', 'plain decimal'],
    ['.5', 'plain decimal'],
    ['1,000', 'plain decimal'],
    ['0x10', 'plain decimal'],
    ['1.1234567', '7 decimal places'],
    ['1234567890123456789', 'more than 18 integer digits'],
  ])('refuses %s', (text, reason) => {
    const parsed = parseDecimalText(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });

  test('leading zeros are not integer digits; "0" itself still is one', () => {
    const parsed = parseDecimalText(`${'0'.repeat(30)}123456789012345678.5`);
    expect(parsed.ok && parsed.value.toFixed()).toBe('123456789012345678.5');
    expect(parseDecimalText(`0${'1'.repeat(18)}`).ok).toBe(true);
    expect(parseDecimalText(`0${'1'.repeat(19)}`).ok).toBe(false);
  });

  test('a refusal quotes at most the first 40 characters of what it got', () => {
    const parsed = parseDecimalText(`${'x'.repeat(40)}tail`);
    expect(!parsed.ok && parsed.reason).toBe(
      `"${'x'.repeat(40)}" is not a plain decimal number such as "1234.50"`,
    );
  });

  test('arithmetic keeps every digit NUMERIC(24,6) holds (18 integer and 6 decimal digits), in plain notation', () => {
    const big = new Decimal('123456789012345678.123456');
    expect(big.plus('0.000001').toFixed()).toBe('123456789012345678.123457');
    expect(big.times(10).toString()).toBe('1234567890123456781.23456');
    expect(new Decimal('0.00000001').toString()).toBe('0.00000001');
  });

  test('respects a tighter scale for money', () => {
    expect(parseDecimalText('10.005', 2).ok).toBe(false);
    expect(parseDecimalText('10.05', 2).ok).toBe(true);
  });
});

describe('rounding and formatting', () => {
  test.each([
    ['0.005', '0.01'],
    ['0.004', '0.00'],
    ['-0.005', '-0.01'],
    ['2.675', '2.68'],
  ])('roundMoney(%s) = %s (half up)', (value, expected) => {
    expect(formatMoney(roundMoney(new Decimal(value)))).toBe(expected);
  });
});

describe('splitEvenly', () => {
  test.each([
    ['100.00', 3, ['33.34', '33.33', '33.33']],
    ['0.01', 3, ['0.01', '0.00', '0.00']],
    ['-100.00', 3, ['-33.34', '-33.33', '-33.33']],
    ['90.00', 2, ['45.00', '45.00']],
    ['10.00', 1, ['10.00']],
  ])('splits %s into %i parts that add up', (total, parts, expected) => {
    const shares = splitEvenly(new Decimal(total), parts);
    expect(shares.map(formatMoney)).toEqual(expected);
    expect(shares.reduce((sum, share) => sum.plus(share), new Decimal(0)).toFixed(2)).toBe(
      new Decimal(total).toFixed(2),
    );
  });

  test('refuses fractions of a cent and bad part counts', () => {
    expect(() => splitEvenly(new Decimal('1.005'), 2)).toThrow('whole cents');
    expect(() => splitEvenly(new Decimal('1'), 0)).toThrow('positive integer');
  });
});

describe('fromDatabase', () => {
  test.each([
    [null, '0'],
    [undefined, '0'],
    ['12345.67', '12345.67'],
    [42, '42'],
    [0, '0'],
  ])('reads %p as %s', (value, expected) => {
    expect(fromDatabase(value).toFixed()).toBe(expected);
  });

  test.each([0.1, 2 ** 53, Number.NaN])(
    'refuses the unsafe number %p (money never arrives as a float)',
    (value) => {
      expect(() => fromDatabase(value)).toThrow(`unsafe numeric value from database: ${value}`);
    },
  );

  test('writes exactly what it holds', () => {
    expect(toDatabase(new Decimal('1e-7').plus('100'))).toBe('100.0000001');
  });
});

describe('validateMoney: the one check of an amount a client sends', () => {
  const refusal = (value: string, rule?: MoneyRule) => {
    try {
      validateMoney(new Decimal(value), 'input.price', rule);
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe('input.price');
      return (error as ValidationError).message;
    }
  };
  test.each<[string, MoneyRule | undefined, string | null]>([
    ['0', undefined, null],
    ['12.34', undefined, null],
    ['-0.01', undefined, 'price cannot be negative'],
    ['0', { sign: 'POSITIVE' }, 'price must be greater than zero'],
    ['0.01', { sign: 'POSITIVE' }, null],
    ['-0.01', { sign: 'POSITIVE' }, 'price cannot be negative'],
    ['-500.25', { sign: 'ANY' }, null],
    ['1.234', undefined, 'price has at most 2 decimal places'],
    ['-1.234', { sign: 'ANY' }, 'price has at most 2 decimal places'],
    ['100000000', undefined, null],
    ['100000000.01', undefined, 'price above 100000000 is not plausible'],
    ['-100000000.01', { sign: 'ANY' }, 'price above 100000000 is not plausible'],
    ['100000000.01', { amountMax: null }, null],
    ['501', { amountMax: '500' }, 'price above 500 is not plausible'],
  ])('%s with %j → %s', (value, rule, message) => {
    expect(refusal(value, rule)).toBe(message);
  });

  test('the value is returned unchanged', () => {
    const value = new Decimal('12.30');
    expect(validateMoney(value, 'input.price')).toBe(value);
  });
});
