// The parts of idempotency that need no database: equal input hashes equally whatever its key
// order, Decimal scale or DateTime zone; different input or operation hashes differently; a key
// is counted in characters, and the schema's description of it states the limits enforced.
import { DateTime } from 'luxon';
import {
  IDEMPOTENCY_KEY_DESCRIPTION,
  IDEMPOTENCY_KEY_LENGTH_MAX,
  IDEMPOTENCY_KEY_LENGTH_MIN,
  canonicalJson,
  requestHash,
  validateIdempotencyKey,
} from '../../src/shared/idempotency';
import { ValidationError } from '../../src/shared/errors';
import { Decimal } from '../../src/shared/money';

describe('canonicalJson', () => {
  test.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: undefined, b: null }, '{"b":null}'],
    [[3, { z: 'x', y: [true] }], '[3,{"y":[true],"z":"x"}]'],
    [new Decimal('1.50'), '"1.5"'],
    [{ amount: new Decimal('100.00') }, '{"amount":"100"}'],
    [DateTime.fromISO('2026-12-01T08:00:00+08:00'), '"2026-12-01T00:00:00.000Z"'],
    ['text', '"text"'],
    [null, 'null'],
    [undefined, 'null'],
    [0, '0'],
    [[], '[]'],
    [{}, '{}'],
  ])('%p → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  test('keys sort by code point, so the order input arrived in never matters', () => {
    expect(canonicalJson({ B: 1, a: 2, A: 3 })).toBe('{"A":3,"B":1,"a":2}');
    expect(canonicalJson({ a: { d: 1, c: 2 } })).toBe(canonicalJson({ a: { c: 2, d: 1 } }));
  });
});

describe('requestHash', () => {
  const input = { budgetId: 'b', amount: new Decimal('5.00') };
  test('equal for equal input, however it is spelled', () => {
    expect(requestHash('adjustBudget', input)).toBe(
      requestHash('adjustBudget', { amount: new Decimal('5'), budgetId: 'b' }),
    );
    expect(requestHash('adjustBudget', input)).toMatch(/^[0-9a-f]{64}$/);
  });
  test('different for another operation or other input', () => {
    const base = requestHash('adjustBudget', input);
    expect(requestHash('createBudget', input)).not.toBe(base);
    expect(requestHash('adjustBudget', { ...input, amount: new Decimal('5.01') })).not.toBe(base);
    // The separator keeps operation and input apart: "a1" + 2 is not "a" + 12.
    expect(requestHash('a1', 2)).not.toBe(requestHash('a', 12));
  });
});

test('the schema describes the key with the limits the code enforces', () => {
  expect(IDEMPOTENCY_KEY_DESCRIPTION).toContain(
    `a UUID; ${IDEMPOTENCY_KEY_LENGTH_MIN}–${IDEMPOTENCY_KEY_LENGTH_MAX} characters; yours alone`,
  );
});

describe('validateIdempotencyKey', () => {
  test.each([
    ['12345678', '12345678'],
    ['  12345678  ', '12345678'],
    ['😀'.repeat(8), '😀'.repeat(8)],
    ['k'.repeat(200), 'k'.repeat(200)],
  ])('accepts %p', (key, expected) => {
    expect(validateIdempotencyKey(key)).toBe(expected);
  });
  test.each(['1234567', ' 1234567 ', 'ab😀😀😀cd', 'k'.repeat(201), '😀'.repeat(201)])(
    'refuses %p',
    (key) => {
      expect(() => validateIdempotencyKey(key)).toThrow(ValidationError);
      expect(() => validateIdempotencyKey(key)).toThrow(
        'idempotencyKey must be 8–200 characters (a UUID is a good choice)',
      );
    },
  );
});
