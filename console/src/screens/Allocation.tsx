// Finance's cost allocation: up to three dimensions and a period, the groups as stacked bars
// (first dimension along the axis, the others stacked) and as a table whose total row is the
// API's grand total, and the same figures as the export endpoint's CSV, fetched with the token.
import { useMemo, useState } from 'react';
import { Chart, type ChartOption } from '../chart';
import { cents, fromCents } from '../format';
import { graphql, type ResultOf, type VariablesOf } from '../graphql';
import { t } from '../i18n';
import type { MessageId } from '../locales/en';
import { usePrefs } from '../prefs';
import { storedToken } from '../session';
import { useEveryPage } from '../pages';
import { PagesState, Problem } from '../ui';
import { PeriodPicker, periodParams, type Period } from './period';

const AllocationQuery = graphql(`
  query Allocation(
    $period: FiscalPeriodInput!
    $groupBy: [AllocationDimension!]!
    $basis: ReportBasis
    $after: String
  ) {
    costAllocation(period: $period, groupBy: $groupBy, basis: $basis, first: 200, after: $after) {
      period
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      grandTotal {
        allocatedAmount
        reservedAmount
        spentAmount
        entryCount
      }
      edges {
        node {
          keys {
            dimension
            value
          }
          totals {
            allocatedAmount
            reservedAmount
            spentAmount
            entryCount
          }
        }
      }
    }
  }
`);

type Dimension = VariablesOf<typeof AllocationQuery>['groupBy'][number];
type Group = NonNullable<ResultOf<typeof AllocationQuery>['costAllocation']>['edges'][number]['node'];
type Measure = 'spentAmount' | 'reservedAmount' | 'allocatedAmount';

/** Dimensions whose values read as words (the others are ids, for the API and the CSV). */
const DIMENSIONS: readonly Dimension[] = [
  'TIER',
  'EFFECT',
  'ENTRY_KIND',
  'DEPARTMENT',
  'QUARTER',
  'MONTH',
  'FISCAL_YEAR',
];
const DIMENSIONS_MAX = 3;
const MEASURES: readonly Measure[] = ['spentAmount', 'reservedAmount', 'allocatedAmount'];
const CURRENCY = 'CNY';

/** A dimension's value as people read it: a tier, an effect, an entry kind in words. */
function valueLabel(dimension: Dimension, value: string | null): string {
  if (value === null) return t('allocation.none');
  if (dimension === 'TIER') return t('accounts.tier', { tier: value });
  if (dimension === 'EFFECT' || dimension === 'ENTRY_KIND')
    return t(`${dimension === 'EFFECT' ? 'effect' : 'kind'}.${value}` as MessageId);
  return value;
}

const keyOf = (group: Group, dimension: Dimension) =>
  group.keys.find((key) => key.dimension === dimension)?.value ?? null;

function chartOf(
  groups: Group[],
  dimensions: Dimension[],
  measure: Measure,
  money: (a: string) => string,
): ChartOption {
  const [first, ...rest] = dimensions;
  const axisOf = (group: Group) => (first ? valueLabel(first, keyOf(group, first)) : t('allocation.total'));
  const stackOf = (group: Group) =>
    rest.length === 0
      ? t(`allocation.measure.${measure}` as MessageId)
      : rest.map((d) => valueLabel(d, keyOf(group, d))).join(' · ');
  const axis = [...new Set(groups.map(axisOf))];
  const stacks = [...new Set(groups.map(stackOf))];
  const series = stacks.map((stack) => ({
    type: 'bar',
    name: stack,
    stack: 'total',
    data: axis.map((value) => {
      const group = groups.find((g) => axisOf(g) === value && stackOf(g) === stack);
      const amount = group?.totals[measure] ?? '0.00';
      return { value: Number(cents(amount)), exact: amount };
    }),
  }));
  return {
    grid: { left: 100, right: 24, top: 48, bottom: 48 },
    legend: { type: 'scroll', top: 0 },
    tooltip: {
      trigger: 'item',
      formatter: (item: { seriesName: string; name: string; data: { exact: string } }) =>
        `${item.name} · ${item.seriesName}: ${money(item.data.exact)}`,
    },
    xAxis: { type: 'category', data: axis },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: (tick: number) => money(fromCents(BigInt(Math.round(tick)))) },
    },
    series,
  };
}

/** The export endpoint's CSV of this choice, fetched with the token and saved under its own name. */
async function downloadCsv(params: URLSearchParams): Promise<void> {
  const response = await fetch(`/export/allocation.csv?${params.toString()}`, {
    headers: { authorization: `Bearer ${storedToken() ?? ''}` },
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    throw new Error(body.error ?? response.statusText);
  }
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'allocation.csv';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

export function Allocation() {
  const prefs = usePrefs();
  const money = (amount: string) => prefs.money(amount, CURRENCY);
  const [period, setPeriod] = useState<Period>({
    fiscalYear: prefs.fiscalYear,
    quarter: null,
    month: null,
    basis: 'BUDGET_YEAR',
  });
  const [chosen, setChosen] = useState<(Dimension | '')[]>([
    'TIER',
    'EFFECT',
    ...Array<''>(DIMENSIONS_MAX - 2).fill(''),
  ]);
  const [measure, setMeasure] = useState<Measure>('spentAmount');
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const groupBy = useMemo(() => [...new Set(chosen.filter((d): d is Dimension => d !== ''))], [chosen]);
  const pages = useEveryPage(
    AllocationQuery,
    {
      period: { fiscalYear: period.fiscalYear, quarter: period.quarter, month: period.month },
      groupBy,
      basis: period.basis,
    },
    (data) => data.costAllocation,
  );
  const report = pages.first?.costAllocation;
  const groups = useMemo(() => pages.nodes ?? [], [pages.nodes]);
  const option = useMemo(
    () => chartOf(groups, groupBy, measure, money),
    // money changes with the locale and unit
    [groups, groupBy, measure, prefs.locale, prefs.unit],
  );
  const params = new URLSearchParams({ ...periodParams(period), groupBy: groupBy.join(',').toLowerCase() });
  const description = t('allocation.chartDescription', {
    measure: t(`allocation.measure.${measure}` as MessageId),
    groups: groups
      .map(
        (group) =>
          `${groupBy.map((d) => valueLabel(d, keyOf(group, d))).join(' · ') || t('allocation.total')} ${money(group.totals[measure])}`,
      )
      .join('; '),
  });

  return (
    <section aria-labelledby="allocation-title">
      <h1 id="allocation-title">{t('allocation.title')}</h1>
      <form className="controls" onSubmit={(event) => event.preventDefault()}>
        <PeriodPicker period={period} onChange={setPeriod} />
        <fieldset>
          <legend>{t('allocation.groupBy')}</legend>
          {chosen.map((value, index) => (
            <label key={index}>
              {t('allocation.dimension', { n: index + 1 })}{' '}
              <select
                value={value}
                onChange={(event) =>
                  setChosen(
                    chosen.map((old, i) => (i === index ? (event.target.value as Dimension | '') : old)),
                  )
                }
              >
                {index > 0 && <option value="">{t('allocation.noDimension')}</option>}
                {DIMENSIONS.map((dimension) => (
                  <option
                    key={dimension}
                    value={dimension}
                    disabled={chosen.includes(dimension) && value !== dimension}
                  >
                    {t(`dimension.${dimension}` as MessageId)}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
        <label>
          {t('allocation.measure')}{' '}
          <select value={measure} onChange={(event) => setMeasure(event.target.value as Measure)}>
            {MEASURES.map((m) => (
              <option key={m} value={m}>
                {t(`allocation.measure.${m}` as MessageId)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          onClick={() => {
            setDownloadError(null);
            downloadCsv(params).catch((failure: Error) => setDownloadError(failure.message));
          }}
        >
          {t('allocation.download')}
        </button>
        {downloadError && <Problem message={downloadError} />}
      </form>
      <PagesState main={pages} />
      {report && pages.nodes && groups.length === 0 && (
        <p role="status">{t('allocation.empty', { period: report.period })}</p>
      )}
      {report && pages.nodes && groups.length > 0 && (
        <>
          <p>{t('allocation.summary', { period: report.period, count: report.totalCount })}</p>
          {groups.length < report.totalCount && (
            <p className="warning">
              {t('allocation.partial', { shown: groups.length, count: report.totalCount })}
            </p>
          )}
          <Chart option={option} description={description} locale={prefs.locale} />
          <table className="data" aria-label={t('allocation.table', { period: report.period })}>
            <thead>
              <tr>
                {groupBy.map((dimension) => (
                  <th key={dimension} scope="col">
                    {t(`dimension.${dimension}` as MessageId)}
                  </th>
                ))}
                {MEASURES.map((m) => (
                  <th key={m} scope="col" className="number">
                    {t(`allocation.measure.${m}` as MessageId)}
                  </th>
                ))}
                <th scope="col" className="number">
                  {t('allocation.entries')}
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.map((group, index) => (
                <tr key={index} data-keys={JSON.stringify(groupBy.map((d) => keyOf(group, d)))}>
                  {groupBy.map((dimension) => (
                    <td key={dimension}>{valueLabel(dimension, keyOf(group, dimension))}</td>
                  ))}
                  {MEASURES.map((m) => (
                    <td key={m} className="number" data-figure={m}>
                      {money(group.totals[m])}
                    </td>
                  ))}
                  <td className="number" data-figure="entryCount">
                    {group.totals.entryCount}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-keys="TOTAL">
                <th scope="row" colSpan={groupBy.length}>
                  {t('allocation.total')}
                </th>
                {MEASURES.map((m) => (
                  <td key={m} className="number" data-figure={m}>
                    {money(report.grandTotal[m])}
                  </td>
                ))}
                <td className="number" data-figure="entryCount">
                  {report.grandTotal.entryCount}
                </td>
              </tr>
            </tfoot>
          </table>
        </>
      )}
    </section>
  );
}
