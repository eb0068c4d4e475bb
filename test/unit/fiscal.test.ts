import fc from 'fast-check';
import { DateTime, Settings } from 'luxon';
import {
  addDays,
  dateIn,
  isCalendarDay,
  fiscalLabel,
  fiscalMonthOf,
  fiscalQuarterOf,
  fiscalRange,
  fiscalYearOf,
  fiscalYearOfDate,
  fiscalYearRange,
  instantOfDate,
  today,
  validateFiscalYear,
} from '../../src/shared/fiscal';

const january = { startMonth: 1, timeZone: 'Asia/Shanghai' };
const april = { startMonth: 4, timeZone: 'Asia/Shanghai' };
const octoberNewYork = { startMonth: 10, timeZone: 'America/New_York' };
const utc = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

describe('fiscal position of an instant', () => {
  test.each([
    // [calendar, instant (UTC), fiscal year, quarter, fiscal month]
    [january, '2026-12-31T15:59:59Z', 2026, 4, 12], // 23:59:59 in Shanghai
    [january, '2026-12-31T16:00:00Z', 2027, 1, 1], // midnight in Shanghai: new year there, not yet in UTC
    [january, '2026-06-30T16:00:00Z', 2026, 3, 7],
    [april, '2026-03-31T15:59:59Z', 2025, 4, 12],
    [april, '2026-03-31T16:00:00Z', 2026, 1, 1],
    [april, '2027-01-15T00:00:00Z', 2026, 4, 10],
    [april, '2026-12-31T23:00:00Z', 2026, 4, 10], // already January in Shanghai
    [octoberNewYork, '2026-10-01T03:59:59Z', 2025, 4, 12], // 23:59:59 EDT on Sept 30
    [octoberNewYork, '2026-10-01T04:00:00Z', 2026, 1, 1],
    [octoberNewYork, '2027-09-30T12:00:00Z', 2026, 4, 12],
  ])('%o at %s is FY%i Q%i M%i', (calendar, instant, year, quarter, month) => {
    expect(fiscalYearOf(calendar, utc(instant))).toBe(year);
    expect(fiscalQuarterOf(calendar, utc(instant))).toMatchObject({ fiscalYear: year, quarter });
    expect(fiscalMonthOf(calendar, utc(instant))).toMatchObject({ fiscalYear: year, month });
  });

  test('leap day is an ordinary day of its fiscal month', () => {
    expect(fiscalMonthOf(april, utc('2028-02-29T04:00:00Z'))).toMatchObject({ fiscalYear: 2027, month: 11 });
  });
});

describe('date range of a fiscal period', () => {
  test('a January fiscal year is the calendar year in Shanghai', () => {
    const range = fiscalYearRange(january, 2026);
    expect(range.firstDay).toBe('2026-01-01');
    expect(range.lastDay).toBe('2026-12-31');
    expect(range.start.toUTC().toISO()).toBe('2025-12-31T16:00:00.000Z');
    expect(range.end.toUTC().toISO()).toBe('2026-12-31T16:00:00.000Z');
  });

  test('an April fiscal year crosses the calendar year', () => {
    const range = fiscalYearRange(april, 2026);
    expect([range.firstDay, range.lastDay]).toEqual(['2026-04-01', '2027-03-31']);
  });

  test.each([
    [1, '2026-04-01', '2026-06-30'],
    [4, '2027-01-01', '2027-03-31'],
  ])('April calendar quarter %i runs %s to %s', (quarter, first, last) => {
    const range = fiscalRange(april, { kind: 'QUARTER', fiscalYear: 2026, quarter, month: null });
    expect([range.firstDay, range.lastDay]).toEqual([first, last]);
  });

  test('February of a leap year ends on the 29th', () => {
    const range = fiscalRange(april, { kind: 'MONTH', fiscalYear: 2027, quarter: null, month: 11 });
    expect([range.firstDay, range.lastDay]).toEqual(['2028-02-01', '2028-02-29']);
  });

  test('ranges use local midnight across a daylight-saving change', () => {
    const range = fiscalRange(octoberNewYork, { kind: 'MONTH', fiscalYear: 2026, quarter: null, month: 2 });
    expect(range.start.toUTC().toISO()).toBe('2026-11-01T04:00:00.000Z'); // EDT
    expect(range.end.toUTC().toISO()).toBe('2026-12-01T05:00:00.000Z'); // EST
  });

  test('every instant of a period maps back to it (start inclusive, end exclusive)', () => {
    for (let quarter = 1; quarter <= 4; quarter += 1) {
      const range = fiscalRange(april, { kind: 'QUARTER', fiscalYear: 2026, quarter, month: null });
      expect(fiscalQuarterOf(april, range.start)).toMatchObject({ fiscalYear: 2026, quarter });
      expect(fiscalQuarterOf(april, range.end.minus({ milliseconds: 1 }))).toMatchObject({
        fiscalYear: 2026,
        quarter,
      });
      expect(fiscalQuarterOf(april, range.end).quarter).toBe(quarter === 4 ? 1 : quarter + 1);
    }
  });

  test('a calendar date is read in the fiscal time zone', () => {
    expect(instantOfDate(january, '2027-01-01').toUTC().toISO()).toBe('2026-12-31T16:00:00.000Z');
  });

  test('labels', () => {
    expect(fiscalLabel({ kind: 'YEAR', fiscalYear: 2026, quarter: null, month: null })).toBe('FY2026');
    expect(fiscalLabel({ kind: 'QUARTER', fiscalYear: 2026, quarter: 2, month: null })).toBe('FY2026-Q2');
    expect(fiscalLabel({ kind: 'MONTH', fiscalYear: 2026, quarter: null, month: 7 })).toBe('FY2026-M07');
  });

  test('bad calendars and periods are refused', () => {
    expect(() => fiscalYearOf({ startMonth: 13, timeZone: 'UTC' }, utc('2026-01-01T00:00:00Z'))).toThrow(
      '1–12',
    );
    expect(() =>
      fiscalRange(january, { kind: 'QUARTER', fiscalYear: 2026, quarter: 5, month: null }),
    ).toThrow('1–4');
    // A quarter or month period without its number is refused too, not read as a year.
    expect(() =>
      fiscalRange(january, { kind: 'QUARTER', fiscalYear: 2026, quarter: null, month: null }),
    ).toThrow('quarter must be 1–4');
    expect(() =>
      fiscalRange(january, { kind: 'MONTH', fiscalYear: 2026, quarter: null, month: null }),
    ).toThrow('month must be 1–12');
  });

  test('a fiscal year range is the whole year asked for (a year other than the current one)', () => {
    expect(fiscalYearRange({ startMonth: 4, timeZone: 'Asia/Shanghai' }, 2031)).toMatchObject({
      firstDay: '2031-04-01',
      lastDay: '2032-03-31',
    });
  });
});

describe('guards: every out-of-range input is refused, each boundary is allowed', () => {
  const shanghai = { startMonth: 1, timeZone: 'Asia/Shanghai' };
  const instant = DateTime.fromISO('2026-05-15T12:00:00Z');

  test.each([0, 13, 1.5, -1, Number.NaN])('a start month of %s is refused', (startMonth) => {
    const calendar = { startMonth, timeZone: 'Asia/Shanghai' };
    expect(() => fiscalYearOf(calendar, instant)).toThrow(
      `fiscal start month must be 1–12, got ${startMonth}`,
    );
    expect(() => fiscalYearRange(calendar, 2026)).toThrow('fiscal start month must be 1–12');
  });

  test.each([1, 12])('a start month of %s is allowed', (startMonth) => {
    expect(fiscalYearOf({ startMonth, timeZone: 'Asia/Shanghai' }, instant)).toBe(
      startMonth === 1 ? 2026 : 2025,
    );
  });

  test('an invalid instant or date is refused, naming it', () => {
    expect(() => fiscalYearOf(shanghai, DateTime.fromISO('not a date'))).toThrow('invalid instant');
    expect(() => instantOfDate(shanghai, '2026-02-30')).toThrow('invalid date 2026-02-30');
  });

  test.each([
    [{ kind: 'QUARTER', fiscalYear: 2026, quarter: 0, month: null }, 'quarter must be 1–4'],
    [{ kind: 'QUARTER', fiscalYear: 2026, quarter: 5, month: null }, 'quarter must be 1–4'],
    [{ kind: 'QUARTER', fiscalYear: 2026, quarter: null, month: null }, 'quarter must be 1–4'],
    [{ kind: 'MONTH', fiscalYear: 2026, quarter: null, month: 0 }, 'month must be 1–12'],
    [{ kind: 'MONTH', fiscalYear: 2026, quarter: null, month: 13 }, 'month must be 1–12'],
    [{ kind: 'MONTH', fiscalYear: 2026, quarter: null, month: null }, 'month must be 1–12'],
  ] as const)('period %o is refused', (period, message) => {
    expect(() => fiscalRange(shanghai, period)).toThrow(message);
  });

  test.each([
    [{ kind: 'QUARTER', fiscalYear: 2026, quarter: 1, month: null }, '2026-01-01', '2026-03-31'],
    [{ kind: 'QUARTER', fiscalYear: 2026, quarter: 4, month: null }, '2026-10-01', '2026-12-31'],
    [{ kind: 'MONTH', fiscalYear: 2026, quarter: null, month: 1 }, '2026-01-01', '2026-01-31'],
    [{ kind: 'MONTH', fiscalYear: 2026, quarter: null, month: 12 }, '2026-12-01', '2026-12-31'],
  ] as const)('period %o covers %s to %s', (period, firstDay, lastDay) => {
    expect(fiscalRange(shanghai, period)).toMatchObject({ firstDay, lastDay });
  });

  test('the year, its quarters and months of an instant carry their kind', () => {
    expect(fiscalQuarterOf(shanghai, instant)).toEqual({
      kind: 'QUARTER',
      fiscalYear: 2026,
      quarter: 2,
      month: null,
    });
    expect(fiscalMonthOf(shanghai, instant)).toEqual({
      kind: 'MONTH',
      fiscalYear: 2026,
      quarter: null,
      month: 5,
    });
    expect(fiscalYearRange(shanghai, 2026)).toMatchObject({ firstDay: '2026-01-01', lastDay: '2026-12-31' });
  });
});

describe('fiscal years a client may name, and today in the fiscal time zone', () => {
  test.each([
    [2000, true],
    [2200, true],
    [1999, false],
    [2201, false],
    [2026.5, false],
  ])('fiscal year %s allowed: %s', (year, allowed) => {
    const check = () => validateFiscalYear(year, 'input.fiscalYear');
    if (allowed) expect(check()).toBe(year);
    else expect(check).toThrow('fiscal year must be between 2000 and 2200');
  });

  test('today is the date in the fiscal time zone, not in UTC', () => {
    const now = Settings.now;
    try {
      // 2026-12-01 17:30 UTC is already 2026-12-02 in Shanghai, still 12-01 in New York.
      Settings.now = () => Date.UTC(2026, 11, 1, 17, 30);
      expect(today({ fiscalCalendar: january })).toBe('2026-12-02');
      expect(today({ fiscalCalendar: octoberNewYork })).toBe('2026-12-01');
    } finally {
      Settings.now = now;
    }
  });
});

// The booking path's plain forms (no luxon zone math) answer what the luxon forms answer.
describe('date arithmetic without luxon', () => {
  const zones = ['Asia/Shanghai', 'America/New_York', 'Pacific/Chatham', 'UTC', 'Asia/Kolkata'];
  const anyDay = fc
    .date({
      min: new Date('1999-01-01T00:00:00Z'),
      max: new Date('2199-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

  test('dateIn equals luxon setZone().toISODate() for any instant and zone', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2199-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(...zones),
        (instant, zone) => dateIn(zone, instant) === DateTime.fromJSDate(instant).setZone(zone).toISODate(),
      ),
    );
  });

  test('fiscalYearOfDate equals fiscalYearOf(instantOfDate) for any date, start month and zone', () => {
    fc.assert(
      fc.property(
        anyDay,
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(...zones),
        (day, startMonth, zone) => {
          const calendar = { startMonth, timeZone: zone };
          return fiscalYearOfDate(calendar, day) === fiscalYearOf(calendar, instantOfDate(calendar, day));
        },
      ),
    );
  });

  test('addDays equals luxon plus({ days }) for any date and offset', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -1000, max: 1000 }), (day, days) => {
        return addDays(day, days) === DateTime.fromISO(day, { zone: 'utc' }).plus({ days }).toISODate();
      }),
    );
  });

  test('isCalendarDay agrees with luxon on any text shaped like a date', () => {
    const shaped = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
      )
      .map(
        ([y, m, d]) =>
          `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      );
    fc.assert(
      fc.property(shaped, (text) => isCalendarDay(text) === DateTime.fromISO(text, { zone: 'utc' }).isValid),
    );
    expect([isCalendarDay('2024-02-29'), isCalendarDay('2026-02-29'), isCalendarDay('2026-2-01')]).toEqual([
      true,
      false,
      false,
    ]);
  });

  test('dateIn answers the same when called again within a quarter hour and across midnight', () => {
    const zone = 'Asia/Shanghai';
    // 2026-12-01 15:50 UTC is 23:50 in Shanghai; midnight there is 16:00 UTC.
    const base = Date.UTC(2026, 11, 1, 15, 50);
    for (let minute = 0; minute < 20; minute += 1) {
      const instant = new Date(base + minute * 60_000);
      expect(dateIn(zone, instant)).toBe(DateTime.fromJSDate(instant).setZone(zone).toISODate());
    }
    expect(dateIn(zone, new Date(Date.UTC(2026, 11, 1, 15, 59, 59, 999)))).toBe('2026-12-01');
    expect(dateIn(zone, new Date(Date.UTC(2026, 11, 1, 16, 0)))).toBe('2026-12-02');
    expect(dateIn(zone, new Date(Date.UTC(2026, 11, 1, 15, 59, 59, 999)))).toBe('2026-12-01');
  });

  test('malformed dates are refused', () => {
    expect(() => fiscalYearOfDate(april, '2026-4-01')).toThrow('invalid date 2026-4-01');
    expect(() => addDays('not a date', 1)).toThrow('invalid date not a date');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});
