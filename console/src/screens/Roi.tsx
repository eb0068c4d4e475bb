// The sales leader's ROI: every account's free spend against what was won (a scatter: bubble
// size is the relationship uplift, colour the tier), the ranked table with each row's
// explanation, the fairness flags (over-served, under-served) marked on their rows, and the
// figures summed by tier and by CSM.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { Chart, type ChartOption } from '../chart';
import { cents, formatDecimal, fromCents } from '../format';
import { graphql, type ResultOf, type VariablesOf } from '../graphql';
import { t } from '../i18n';
import type { MessageId } from '../locales/en';
import { usePrefs } from '../prefs';
import { useEveryPage } from '../pages';
import { PagesState, QueryError } from '../ui';
import { PeriodPicker, type Period } from './period';

const RoiQuery = graphql(`
  query Roi($period: FiscalPeriodInput!, $basis: ReportBasis, $sort: RoiSort, $after: String) {
    accountRoi(period: $period, basis: $basis, sort: $sort, first: 200, after: $after) {
      period
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          account {
            id
            name
          }
          tier
          csm {
            id
            name
          }
          spentAmount
          reservedAmount
          wonAmount
          pipelineAmount
          wonPerSpend
          upliftPer10k
          uplift {
            relationshipCloseness
            solutionAcceptance
            priceAcceptance
          }
          explanation
        }
      }
    }
  }
`);

const FairnessQuery = graphql(`
  query Fairness($year: Int!, $after: String) {
    fairnessSignals(fiscalYear: $year, first: 200, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          account {
            id
          }
          kind
          reason
        }
      }
    }
  }
`);

const SummaryQuery = graphql(`
  query RoiSummaries($period: FiscalPeriodInput!, $basis: ReportBasis) {
    byTier: roiSummary(period: $period, basis: $basis, groupBy: TIER) {
      ...Aggregate
    }
    byCsm: roiSummary(period: $period, basis: $basis, groupBy: CSM) {
      ...Aggregate
    }
  }

  fragment Aggregate on RoiAggregate {
    key
    accounts
    spentAmount
    wonAmount
    pipelineAmount
    wonPerSpend
    totalUplift
  }
`);

type Sort = NonNullable<VariablesOf<typeof RoiQuery>['sort']>;
type Row = NonNullable<ResultOf<typeof RoiQuery>['accountRoi']>['edges'][number]['node'];
type Aggregate = NonNullable<ResultOf<typeof SummaryQuery>['byTier']>[number];

const SORTS: readonly Sort[] = ['WON_PER_SPEND', 'PIPELINE_PER_SPEND', 'UPLIFT_PER_10K', 'SPENT', 'NAME'];
const TIER_COLOURS: Record<string, string> = {
  A: '#b3261e',
  B: '#1565c0',
  C: '#2e7d32',
  D: '#6a1b9a',
  E: '#8a5300',
};
const CURRENCY = 'CNY';
const BUBBLE_MIN_PX = 10;
const BUBBLE_PER_POINT_PX = 6;

const upliftOf = (row: Row) =>
  row.uplift
    ? row.uplift.relationshipCloseness + row.uplift.solutionAcceptance + row.uplift.priceAcceptance
    : null;

function scatterOf(rows: Row[], money: (amount: string) => string): ChartOption {
  const tiers = [...new Set(rows.map((row) => row.tier))].sort();
  return {
    grid: { left: 110, right: 32, top: 48, bottom: 56 },
    legend: { top: 0, data: tiers.map((tier) => t('accounts.tier', { tier })) },
    tooltip: {
      trigger: 'item',
      formatter: (item: { data: { name: string; spent: string; won: string; uplift: number | null } }) =>
        t('roi.point', {
          account: item.data.name,
          spent: money(item.data.spent),
          won: money(item.data.won),
          uplift: item.data.uplift ?? '–',
        }),
    },
    xAxis: {
      type: 'value',
      name: t('roi.spent'),
      nameLocation: 'middle',
      nameGap: 32,
      axisLabel: { formatter: (tick: number) => money(fromCents(BigInt(Math.round(tick)))) },
    },
    yAxis: {
      type: 'value',
      name: t('roi.won'),
      axisLabel: { formatter: (tick: number) => money(fromCents(BigInt(Math.round(tick)))) },
    },
    series: tiers.map((tier) => ({
      type: 'scatter',
      name: t('accounts.tier', { tier }),
      itemStyle: { color: TIER_COLOURS[tier] ?? '#555', opacity: 0.8 },
      symbolSize: (_: unknown, point: { data: { uplift: number | null } }) =>
        BUBBLE_MIN_PX + BUBBLE_PER_POINT_PX * Math.max(0, point.data.uplift ?? 0),
      data: rows
        .filter((row) => row.tier === tier)
        .map((row) => ({
          name: row.account.name,
          value: [Number(cents(row.spentAmount)), Number(cents(row.wonAmount))],
          spent: row.spentAmount,
          won: row.wonAmount,
          uplift: upliftOf(row),
        })),
    })),
  };
}

function SummaryTable({
  caption,
  rows,
  keyLabel,
}: {
  caption: string;
  rows: readonly Aggregate[];
  keyLabel: (key: string | null) => string;
}) {
  const { money, locale } = usePrefs();
  return (
    <table className="data">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('roi.group')}</th>
          <th scope="col" className="number">
            {t('roi.accounts')}
          </th>
          <th scope="col" className="number">
            {t('roi.spent')}
          </th>
          <th scope="col" className="number">
            {t('roi.won')}
          </th>
          <th scope="col" className="number">
            {t('roi.pipeline')}
          </th>
          <th scope="col" className="number">
            {t('roi.wonPerSpend')}
          </th>
          <th scope="col" className="number">
            {t('roi.uplift')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key ?? ''} data-group={row.key ?? ''}>
            <th scope="row">{keyLabel(row.key)}</th>
            <td className="number">{row.accounts}</td>
            <td className="number">{money(row.spentAmount, CURRENCY)}</td>
            <td className="number">{money(row.wonAmount, CURRENCY)}</td>
            <td className="number">{money(row.pipelineAmount, CURRENCY)}</td>
            <td className="number">
              {row.wonPerSpend === null ? '–' : formatDecimal(row.wonPerSpend, locale)}
            </td>
            <td className="number">{row.totalUplift}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Roi() {
  const prefs = usePrefs();
  const money = (amount: string) => prefs.money(amount, CURRENCY);
  const [period, setPeriod] = useState<Period>({
    fiscalYear: prefs.fiscalYear,
    quarter: null,
    month: null,
    basis: 'BUDGET_YEAR',
  });
  const [sort, setSort] = useState<Sort>('WON_PER_SPEND');
  const periodInput = { fiscalYear: period.fiscalYear, quarter: period.quarter, month: period.month };
  const ranked = useEveryPage(
    RoiQuery,
    { period: periodInput, basis: period.basis, sort },
    (d) => d.accountRoi,
  );
  const fairness = useEveryPage(FairnessQuery, { year: period.fiscalYear }, (d) => d.fairnessSignals);
  const [summaries] = useQuery({
    query: SummaryQuery,
    variables: { period: periodInput, basis: period.basis },
  });
  const report = ranked.first?.accountRoi;
  const rows = useMemo(() => ranked.nodes ?? [], [ranked.nodes]);
  const flags = new Map((fairness.nodes ?? []).map((signal) => [signal.account.id, signal]));
  const csmNames = new Map(rows.flatMap((row) => (row.csm ? [[row.csm.id, row.csm.name] as const] : [])));
  const option = useMemo(
    () => scatterOf(rows, money),
    // money changes with the locale and unit
    [rows, prefs.locale, prefs.unit],
  );
  const description = t('roi.chartDescription', {
    points: rows
      .map((row) =>
        t('roi.point', {
          account: row.account.name,
          spent: money(row.spentAmount),
          won: money(row.wonAmount),
          uplift: upliftOf(row) ?? '–',
        }),
      )
      .join('; '),
  });

  return (
    <section aria-labelledby="roi-title">
      <h1 id="roi-title">{t('roi.title')}</h1>
      <form className="controls" onSubmit={(event) => event.preventDefault()}>
        <PeriodPicker period={period} onChange={setPeriod} />
        <label>
          {t('roi.sort')}{' '}
          <select value={sort} onChange={(event) => setSort(event.target.value as Sort)}>
            {SORTS.map((option) => (
              <option key={option} value={option}>
                {t(`roi.sort.${option}` as MessageId)}
              </option>
            ))}
          </select>
        </label>
      </form>
      <PagesState main={ranked} also={[fairness]} />
      {summaries.error && <QueryError error={summaries.error} />}
      {report && ranked.nodes && rows.length === 0 && (
        <p role="status">{t('roi.empty', { period: report.period })}</p>
      )}
      {report && ranked.nodes && rows.length > 0 && (
        <>
          <h2>{t('roi.scatter', { period: report.period })}</h2>
          <Chart option={option} description={description} locale={prefs.locale} height={420} />
          <table className="data">
            <caption>{t('roi.ranked', { count: report.totalCount })}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('roi.account')}</th>
                <th scope="col">{t('roi.csm')}</th>
                <th scope="col" className="number">
                  {t('roi.spent')}
                </th>
                <th scope="col" className="number">
                  {t('roi.won')}
                </th>
                <th scope="col" className="number">
                  {t('roi.pipeline')}
                </th>
                <th scope="col" className="number">
                  {t('roi.wonPerSpend')}
                </th>
                <th scope="col" className="number">
                  {t('roi.uplift')}
                </th>
                <th scope="col">{t('roi.fairness')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const flag = flags.get(row.account.id);
                return (
                  <tr
                    key={row.account.id}
                    data-account={row.account.name}
                    className={flag ? `flag ${flag.kind.toLowerCase()}` : undefined}
                  >
                    <td>{index + 1}</td>
                    <th scope="row">
                      {row.account.name}{' '}
                      <span className="tier">{t('accounts.tier', { tier: row.tier })}</span>
                      <details>
                        <summary>{t('roi.explanation')}</summary>
                        <ul>
                          {row.explanation.map((line) => (
                            <li key={line}>{line}</li>
                          ))}
                        </ul>
                      </details>
                    </th>
                    <td>{row.csm?.name ?? '–'}</td>
                    <td className="number" data-figure="spent">
                      {money(row.spentAmount)}
                    </td>
                    <td className="number" data-figure="won">
                      {money(row.wonAmount)}
                    </td>
                    <td className="number">{money(row.pipelineAmount)}</td>
                    <td className="number" data-figure="wonPerSpend">
                      {row.wonPerSpend === null ? '–' : formatDecimal(row.wonPerSpend, prefs.locale)}
                    </td>
                    <td className="number">{upliftOf(row) ?? '–'}</td>
                    <td data-figure="fairness">
                      {flag ? (
                        <>
                          <strong>{t(`roi.flag.${flag.kind}` as MessageId)}</strong> {flag.reason}
                        </>
                      ) : (
                        '–'
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <SummaryTable
            caption={t('roi.byTier')}
            rows={summaries.data?.byTier ?? []}
            keyLabel={(key) => (key ? t('accounts.tier', { tier: key }) : '–')}
          />
          <SummaryTable
            caption={t('roi.byCsm')}
            rows={summaries.data?.byCsm ?? []}
            keyLabel={(key) => (key ? (csmNames.get(key) ?? key) : t('roi.noCsm'))}
          />
        </>
      )}
    </section>
  );
}
