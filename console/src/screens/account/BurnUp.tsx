// Budget burn-up: what is used (reserved + spent) and what is allocated, day by day from the
// ledger, against the straight-line budget (nothing on the first day, all of it on the last)
// and the burn forecast from today to the year end. Amounts are drawn in whole cents; every
// label is the API's decimal text.
import { Chart, type ChartOption } from '../../chart';
import { cents, dayIn, dayMs, fromCents } from '../../format';
import { t } from '../../i18n';
import { usePrefs } from '../../prefs';
import type { Entry } from './queries';

type Year = { firstDay: string; lastDay: string };
type Point = [number, number];

/** Running totals after each day's entries: [day, allocated cents, used cents]. */
export function runningTotals(entries: readonly Entry[], timeZone: string): [string, bigint, bigint][] {
  const days: [string, bigint, bigint][] = [];
  let allocated = 0n;
  let used = 0n;
  for (const entry of entries) {
    allocated += cents(entry.allocatedDelta);
    used += cents(entry.reservedDelta) + cents(entry.spentDelta);
    const day = dayIn(entry.createdAt, timeZone);
    if (days.at(-1)?.[0] === day) days[days.length - 1] = [day, allocated, used];
    else days.push([day, allocated, used]);
  }
  return days;
}

export function BurnUp({
  entries,
  year,
  allocatedAmount,
  forecastAmount,
  currency,
}: {
  entries: readonly Entry[];
  year: Year;
  allocatedAmount: string;
  forecastAmount: string | null;
  currency: string;
}) {
  const { locale, timeZone, today, money, day } = usePrefs();
  const totals = runningTotals(entries, timeZone);
  const usedNow = totals.at(-1)?.[2] ?? 0n;
  const end = today < year.lastDay ? today : year.lastDay;
  // From nothing on the year's first day, each day's running total, held to today.
  const step = (pick: 1 | 2): Point[] => [
    [dayMs(year.firstDay), 0],
    ...totals.map(([d, ...figures]) => [dayMs(d), Number(figures[pick - 1])] as Point),
    [dayMs(end), Number(totals.at(-1)?.[pick] ?? 0n)],
  ];
  const label = (tick: number) => money(fromCents(BigInt(Math.round(tick))), currency);
  const option: ChartOption = {
    grid: { left: 110, right: 32, top: 48, bottom: 40 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (value: number) => label(value) },
    xAxis: { type: 'time', min: dayMs(year.firstDay), max: dayMs(year.lastDay) },
    yAxis: { type: 'value', axisLabel: { formatter: label } },
    series: [
      { type: 'line', name: t('account.allocated'), step: 'end', showSymbol: false, data: step(1) },
      {
        type: 'line',
        name: t('account.used'),
        step: 'end',
        showSymbol: false,
        areaStyle: { opacity: 0.15 },
        data: step(2),
      },
      {
        type: 'line',
        name: t('account.plan'),
        showSymbol: false,
        lineStyle: { type: 'dotted' },
        data: [
          [dayMs(year.firstDay), 0],
          [dayMs(year.lastDay), Number(cents(allocatedAmount))],
        ],
      },
      ...(forecastAmount === null
        ? []
        : [
            {
              type: 'line',
              name: t('account.forecast'),
              showSymbol: false,
              lineStyle: { type: 'dashed' },
              data: [
                [dayMs(end), Number(usedNow)],
                [dayMs(year.lastDay), Number(cents(forecastAmount))],
              ],
            },
          ]),
    ],
  };
  const description = t('account.burnUpDescription', {
    allocated: money(allocatedAmount, currency),
    used: money(fromCents(usedNow), currency),
    today: day(end),
    forecast: forecastAmount === null ? '–' : money(forecastAmount, currency),
    lastDay: day(year.lastDay),
  });
  return (
    <figure>
      <figcaption>{t('account.burnUp')}</figcaption>
      <Chart option={option} description={description} locale={locale} height={320} />
      <p className="hint">{description}</p>
    </figure>
  );
}
