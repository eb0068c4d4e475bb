// The fiscal calendar: the only place that turns instants into fiscal years, quarters and
// months and back into date ranges. A fiscal year starts on the 1st of `startMonth` at midnight
// in `timeZone` and is named by the calendar year in which it starts (FY2026 with an April
// start runs 2026-04-01 to 2027-03-31), as 年度 is named in China and Japan.
import { DateTime, Settings } from 'luxon';
import { ValidationError } from './errors';

export type FiscalCalendar = { startMonth: number; timeZone: string };

export type FiscalPeriodKind = 'YEAR' | 'QUARTER' | 'MONTH';

export type FiscalPeriod = {
  kind: FiscalPeriodKind;
  fiscalYear: number;
  /** 1–4 for QUARTER, null otherwise. */
  quarter: number | null;
  /** 1–12, counted from the fiscal year's first month, for MONTH; null otherwise. */
  month: number | null;
};

export type FiscalRange = {
  /** First instant of the period, in the calendar's time zone. */
  start: DateTime;
  /** First instant after the period (exclusive end). */
  end: DateTime;
  /** First and last calendar day of the period (inclusive), ISO dates. */
  firstDay: string;
  lastDay: string;
};

function assertCalendar(calendar: FiscalCalendar): void {
  if (!Number.isInteger(calendar.startMonth) || calendar.startMonth < 1 || calendar.startMonth > 12) {
    throw new Error(`fiscal start month must be 1–12, got ${calendar.startMonth}`);
  }
}

/** Months elapsed since the fiscal year began (0–11) and that fiscal year, for an instant. */
function position(calendar: FiscalCalendar, instant: DateTime): { fiscalYear: number; monthIndex: number } {
  assertCalendar(calendar);
  if (!instant.isValid) throw new Error('invalid instant');
  const local = instant.setZone(calendar.timeZone);
  const monthIndex = (local.month - calendar.startMonth + 12) % 12;
  const fiscalYear = local.month >= calendar.startMonth ? local.year : local.year - 1;
  return { fiscalYear, monthIndex };
}

export function fiscalYearOf(calendar: FiscalCalendar, instant: DateTime): number {
  return position(calendar, instant).fiscalYear;
}

export function fiscalQuarterOf(calendar: FiscalCalendar, instant: DateTime): FiscalPeriod {
  const { fiscalYear, monthIndex } = position(calendar, instant);
  return { kind: 'QUARTER', fiscalYear, quarter: Math.floor(monthIndex / 3) + 1, month: null };
}

export function fiscalMonthOf(calendar: FiscalCalendar, instant: DateTime): FiscalPeriod {
  const { fiscalYear, monthIndex } = position(calendar, instant);
  return { kind: 'MONTH', fiscalYear, quarter: null, month: monthIndex + 1 };
}

/** A calendar date (YYYY-MM-DD) is read as that day in the calendar's time zone. */
export function instantOfDate(calendar: FiscalCalendar, isoDate: string): DateTime {
  const day = DateTime.fromISO(isoDate, { zone: calendar.timeZone });
  if (!day.isValid) throw new Error(`invalid date ${isoDate}`);
  return day.startOf('day');
}

export function fiscalRange(calendar: FiscalCalendar, period: FiscalPeriod): FiscalRange {
  assertCalendar(calendar);
  const yearStart = DateTime.fromObject(
    { year: period.fiscalYear, month: calendar.startMonth, day: 1 },
    { zone: calendar.timeZone },
  );
  let offsetMonths = 0;
  let lengthMonths = 12;
  if (period.kind === 'QUARTER') {
    if (
      // Stryker disable next-line ConditionalExpression: equivalent, null < 1 is true in JavaScript (the null test is for the type checker).
      period.quarter === null ||
      period.quarter < 1 ||
      period.quarter > 4
    )
      throw new Error('quarter must be 1–4');
    offsetMonths = (period.quarter - 1) * 3;
    lengthMonths = 3;
  } else if (period.kind === 'MONTH') {
    if (
      // Stryker disable next-line ConditionalExpression: equivalent, null < 1 is true in JavaScript (the null test is for the type checker).
      period.month === null ||
      period.month < 1 ||
      period.month > 12
    )
      throw new Error('month must be 1–12');
    offsetMonths = period.month - 1;
    lengthMonths = 1;
  }
  const start = yearStart.plus({ months: offsetMonths });
  const end = start.plus({ months: lengthMonths });
  return { start, end, firstDay: start.toISODate()!, lastDay: end.minus({ days: 1 }).toISODate()! };
}

export function fiscalYearRange(calendar: FiscalCalendar, fiscalYear: number): FiscalRange {
  // Any kind other than QUARTER or MONTH is read as the year, so an empty kind is equivalent.
  // Stryker disable next-line StringLiteral
  return fiscalRange(calendar, { kind: 'YEAR', fiscalYear, quarter: null, month: null });
}

/** A short human label: FY2026, FY2026-Q2, FY2026-M07. */
export function fiscalLabel(period: FiscalPeriod): string {
  if (period.kind === 'QUARTER') return `FY${period.fiscalYear}-Q${period.quarter}`;
  if (period.kind === 'MONTH') return `FY${period.fiscalYear}-M${String(period.month).padStart(2, '0')}`;
  return `FY${period.fiscalYear}`;
}

/** The fiscal years a client may name: anything outside is a typo. */
export const FISCAL_YEAR_MIN = 2000;
export const FISCAL_YEAR_MAX = 2200;

export function validateFiscalYear(year: number, field: string): number {
  if (!Number.isInteger(year) || year < FISCAL_YEAR_MIN || year > FISCAL_YEAR_MAX) {
    throw new ValidationError(field, `fiscal year must be between ${FISCAL_YEAR_MIN} and ${FISCAL_YEAR_MAX}`);
  }
  return year;
}

// The booking path asks for today and a date's fiscal year on every request: answered here with
// a cached Intl formatter and date-string arithmetic instead of luxon zone math (property tests
// in test/unit/fiscal.test.ts hold them equal to the luxon forms).
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (yyyy-mm-dd) of an instant in a time zone. */
export function dateIn(timeZone: string, instant: Date): string {
  // The day last asked for, per zone, kept with the UTC quarter hour it was asked in when both
  // ends of that quarter hour have its date (a local date changes once at most within it):
  // nearly every call is answered without formatting.
  const known = lastDays.get(timeZone);
  const ms = instant.getTime();
  if (known && ms >= known.fromMs && ms < known.untilMs) return known.day;
  const day = formatDay(timeZone, instant);
  const quarter = 15 * 60_000;
  const fromMs = Math.floor(ms / quarter) * quarter;
  if (
    formatDay(timeZone, new Date(fromMs)) === day &&
    formatDay(timeZone, new Date(fromMs + quarter - 1)) === day
  )
    lastDays.set(timeZone, { day, fromMs, untilMs: fromMs + quarter });
  return day;
}

const lastDays = new Map<string, { day: string; fromMs: number; untilMs: number }>();

function formatDay(timeZone: string, instant: Date): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const value = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${value('year').padStart(4, '0')}-${value('month')}-${value('day')}`;
}

/** Today's date (yyyy-mm-dd) in the fiscal time zone: the day prices and plans are read on. */
export function today(context: { fiscalCalendar: FiscalCalendar }): string {
  // luxon's clock (Settings.now), so every date in the service reads one clock tests can set.
  return dateIn(context.fiscalCalendar.timeZone, new Date(Settings.now()));
}

/** The fiscal year a calendar date (yyyy-mm-dd, read in the calendar's zone) falls in. */
export function fiscalYearOfDate(calendar: FiscalCalendar, isoDate: string): number {
  assertCalendar(calendar);
  const match = /^(\d{4})-(\d{2})-\d{2}$/.exec(isoDate);
  if (!match) throw new Error(`invalid date ${isoDate}`);
  const year = Number(match[1]);
  return Number(match[2]) >= calendar.startMonth ? year : year - 1;
}

/** Is this text a real calendar day as yyyy-mm-dd (no 2026-02-30)? Plain UTC arithmetic. */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/** A calendar date (yyyy-mm-dd) moved by whole days: plain UTC arithmetic, no time zone. */
export function addDays(isoDate: string, days: number): string {
  const day = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) throw new Error(`invalid date ${isoDate}`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}
