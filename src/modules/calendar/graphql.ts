// The fiscal calendar as a query, so clients label periods exactly as the reports do.
import { DateTime } from 'luxon';
import { builder } from '../../graphql/builder';
import {
  fiscalMonthOf,
  fiscalQuarterOf,
  fiscalRange,
  fiscalLabel,
  type FiscalPeriod,
} from '../../shared/fiscal';
import type { FiscalCalendar } from '../../shared/fiscal';

type PeriodView = { period: FiscalPeriod; calendar: FiscalCalendar };

const FiscalPeriodKindEnum = builder.enumType('FiscalPeriodKind', {
  description: 'Length of a fiscal period.',
  values: {
    YEAR: { description: 'A whole fiscal year.' },
    QUARTER: { description: 'Three fiscal months.' },
    MONTH: { description: 'One fiscal month.' },
  },
});

const FiscalPeriodRef = builder.objectRef<PeriodView>('FiscalPeriod').implement({
  description: 'A fiscal year, quarter or month, with its exact range in the fiscal time zone.',
  fields: (t) => ({
    kind: t.field({
      type: FiscalPeriodKindEnum,
      description: 'Year, quarter or month.',
      resolve: (v) => v.period.kind,
    }),
    label: t.string({
      description: 'FY2026, FY2026-Q2 or FY2026-M07.',
      resolve: (v) => fiscalLabel(v.period),
    }),
    fiscalYear: t.int({
      description: 'Named by the calendar year in which it starts.',
      resolve: (v) => v.period.fiscalYear,
    }),
    quarter: t.int({ nullable: true, description: '1–4 for quarters.', resolve: (v) => v.period.quarter }),
    month: t.int({
      nullable: true,
      description: '1–12 counted from the fiscal year start, for months.',
      resolve: (v) => v.period.month,
    }),
    startsAt: t.field({
      type: 'DateTime',
      description: 'First instant.',
      resolve: (v) => fiscalRange(v.calendar, v.period).start,
    }),
    endsBefore: t.field({
      type: 'DateTime',
      description: 'First instant after the period.',
      resolve: (v) => fiscalRange(v.calendar, v.period).end,
    }),
    firstDay: t.field({
      type: 'Date',
      description: 'First day.',
      resolve: (v) => fiscalRange(v.calendar, v.period).firstDay,
    }),
    lastDay: t.field({
      type: 'Date',
      description: 'Last day (inclusive).',
      resolve: (v) => fiscalRange(v.calendar, v.period).lastDay,
    }),
  }),
});

const FiscalPositionRef = builder
  .objectRef<{ at: DateTime; calendar: FiscalCalendar }>('FiscalPosition')
  .implement({
    description: 'Where an instant falls in the fiscal calendar.',
    fields: (t) => ({
      timeZone: t.string({ description: 'The fiscal time zone.', resolve: (v) => v.calendar.timeZone }),
      startMonth: t.int({
        description: 'Calendar month (1–12) in which fiscal years start.',
        resolve: (v) => v.calendar.startMonth,
      }),
      year: t.field({
        type: FiscalPeriodRef,
        description: 'The fiscal year.',
        resolve: (v) => ({
          calendar: v.calendar,
          period: { ...fiscalQuarterOf(v.calendar, v.at), kind: 'YEAR' as const, quarter: null },
        }),
      }),
      quarter: t.field({
        type: FiscalPeriodRef,
        description: 'The fiscal quarter.',
        resolve: (v) => ({ calendar: v.calendar, period: fiscalQuarterOf(v.calendar, v.at) }),
      }),
      month: t.field({
        type: FiscalPeriodRef,
        description: 'The fiscal month.',
        resolve: (v) => ({ calendar: v.calendar, period: fiscalMonthOf(v.calendar, v.at) }),
      }),
    }),
  });

builder.queryField('fiscalCalendar', (t) =>
  t.field({
    type: FiscalPositionRef,
    description: 'The fiscal year, quarter and month of an instant (now when omitted).',
    authScopes: { authenticated: true },
    args: { at: t.arg({ type: 'DateTime', required: false, description: 'The instant; defaults to now.' }) },
    resolve: (_root, args, context) => ({ at: args.at ?? DateTime.now(), calendar: context.fiscalCalendar }),
  }),
);
