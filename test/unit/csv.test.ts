import { csvCell } from '../../src/modules/reports/csv';

test.each([
  ['plain', 'plain'],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['line\nbreak', '"line\nbreak"'],
  ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
  ['+1', "'+1"],
  ['@cmd', "'@cmd"],
  ['-100.00', '-100.00'],
  ['-1e3', "'-1e3"],
  [12, '12'],
  [null, ''],
] as const)('csvCell(%p) = %p', (value, expected) => {
  expect(csvCell(value)).toBe(expected);
});
