import { Decimal, formatMoney, parseDecimalText, roundMoney, splitEvenly } from '../../src/shared/money';

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
