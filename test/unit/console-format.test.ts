// The console's money and message helpers, run in Node (the same Intl as the browser's V8):
// amounts are formatted from their decimal text without a float in between (digits beyond a
// double's precision survive), 万元 divides exactly, cent arithmetic is exact, and the Chinese
// and English catalogs hold the same message ids.
import { cents, formatMoney, fromCents, percentOf, shiftLeft } from '../../console/src/format';
import { en } from '../../console/src/locales/en';
import { zhCN } from '../../console/src/locales/zh-CN';

test('money keeps every digit: a float would round 12345678901234567.89', () => {
  expect(formatMoney('12345678901234567.89', 'CNY', 'zh-CN')).toBe('¥12,345,678,901,234,567.89');
  expect(formatMoney('12345678901234567.89', 'CNY', 'en')).toBe('CN¥12,345,678,901,234,567.89');
  expect(formatMoney('0.10', 'CNY', 'zh-CN')).toBe('¥0.10');
  expect(formatMoney('-5000.00', 'CNY', 'zh-CN')).toBe('-¥5,000.00');
});

test('万元 moves the decimal point four places, losing nothing', () => {
  expect(shiftLeft('1234567.89', 4)).toBe('123.456789');
  expect(shiftLeft('5.00', 4)).toBe('0.0005');
  expect(shiftLeft('-50000.00', 4)).toBe('-5');
  expect(shiftLeft('0.00', 4)).toBe('0');
  expect(formatMoney('1234567.89', 'CNY', 'zh-CN', 'wan')).toBe('123.456789万元');
  expect(formatMoney('300000.00', 'CNY', 'zh-CN', 'wan')).toBe('30万元');
});

test('cents are exact, both ways, and a share rounds half up', () => {
  expect([cents('12.3'), cents('-0.05'), cents('100')]).toEqual([1230n, -5n, 10000n]);
  expect([fromCents(1230n), fromCents(-5n), fromCents(0n)]).toEqual(['12.30', '-0.05', '0.00']);
  expect(() => cents('1.234')).toThrow('more than two decimals');
  expect(() => cents('1e3')).toThrow('not a decimal amount');
  expect([percentOf(1n, 3n), percentOf(1n, 2n), percentOf(2n, 3n), percentOf(1n, 0n)]).toEqual([
    33,
    50,
    67,
    null,
  ]);
});

test('both catalogs hold the same message ids, none empty', () => {
  expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  expect(Object.values(zhCN).filter((text) => text.trim() === '')).toEqual([]);
});
