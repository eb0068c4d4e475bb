// The shared scalars refuse ambiguous input before any resolver runs.
import { GraphQLScalarType } from 'graphql';
import { schema } from '../../src/graphql/schema';

const scalar = (name: string) => schema.getType(name) as GraphQLScalarType;

describe('Decimal', () => {
  test.each(['1e3', 'NaN', 'Infinity', '-Infinity', '1.1234567', '', ' 5', '1,5'])('refuses %p', (value) => {
    expect(() => scalar('Decimal').parseValue(value)).toThrow();
  });
  test('refuses JSON numbers: money never travels as a float', () => {
    expect(() => scalar('Decimal').parseValue(0.1)).toThrow('never as a JSON number');
  });
  test('round-trips exact text', () => {
    const value = scalar('Decimal').parseValue('200000.10');
    expect(scalar('Decimal').serialize(value)).toBe('200000.1');
  });
});

describe('Date and DateTime', () => {
  test.each(['2026-02-30', '2026-2-3', '20260203', '2026-02-03T00:00:00Z'])('Date refuses %p', (value) => {
    expect(() => scalar('Date').parseValue(value)).toThrow('YYYY-MM-DD');
  });
  test.each(['2026-02-03T10:00:00', '2026-02-03', 'yesterday'])(
    'DateTime refuses %p without an offset',
    (value) => {
      expect(() => scalar('DateTime').parseValue(value)).toThrow('offset');
    },
  );
  test('DateTime keeps the instant and answers in UTC', () => {
    const value = scalar('DateTime').parseValue('2026-03-31T09:00:00+08:00');
    expect(scalar('DateTime').serialize(value)).toBe('2026-03-31T01:00:00.000Z');
  });
  test('DateTime refuses an impossible instant', () => {
    expect(() => scalar('DateTime').parseValue('2026-13-01T00:00:00Z')).toThrow('not a valid instant');
  });
});

describe('Currency', () => {
  test.each(['cny', 'XXX', 'RMB', 'US'])('refuses %p', (value) => {
    expect(() => scalar('Currency').parseValue(value)).toThrow('ISO 4217');
  });
  test('accepts CNY', () => {
    expect(scalar('Currency').parseValue('CNY')).toBe('CNY');
  });
});
