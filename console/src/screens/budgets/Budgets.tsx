// Finance's budgets of a fiscal year: allocated, reserved, spent, remaining, the share used and
// the variance against a straight-line plan (allocated × the share of the year gone), with the
// burn forecast, sortable and filterable (TanStack Table); an adjustment with a reason, the
// year's operating ratio, a new budget, and the transfers.
// Sorting compares whole cents (BigInt), never floats.
import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { cents, dayMs, fromCents, percentOf } from '../../format';
import { graphql, type ResultOf } from '../../graphql';
import { t } from '../../i18n';
import type { MessageId } from '../../locales/en';
import { usePrefs } from '../../prefs';
import { useEveryPage } from '../../pages';
import { PagesState, QueryError } from '../../ui';
import { AdjustForm } from './AdjustForm';
import { AlertThresholds } from './AlertThresholds';
import { CreateBudget } from './CreateBudget';
import { RatioForm } from './RatioForm';
import { Transfers } from './Transfers';

const BudgetsQuery = graphql(`
  query Budgets($year: Int!, $after: String) {
    budgets(fiscalYear: $year, first: 200, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          currency
          allocatedAmount
          reservedAmount
          spentAmount
          remainingAmount
          operatingRatio
          account {
            id
            name
            tier
          }
        }
      }
    }
  }
`);

const ForecastsQuery = graphql(`
  query Forecasts($year: Int!, $after: String) {
    burnForecasts(fiscalYear: $year, first: 200, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          status
          runOutDate
          budget {
            id
          }
        }
      }
    }
  }
`);

const CalendarQuery = graphql(`
  query Calendar {
    fiscalCalendar {
      year {
        fiscalYear
        firstDay
        lastDay
      }
    }
  }
`);

export type Budget = NonNullable<ResultOf<typeof BudgetsQuery>['budgets']>['edges'][number]['node'];
type Row = Budget & {
  usedPercent: number | null;
  planAmount: string;
  varianceAmount: string;
  forecast: { status: string; runOutDate: string | null } | null;
};

const DAY_MS = 86_400_000;
const dayNumber = (day: string) => dayMs(day) / DAY_MS;

/** The share of the fiscal year gone by the end of `today`, as a fraction [elapsed, days]. */
function elapsedOf(year: { firstDay: string; lastDay: string }, today: string): [bigint, bigint] {
  const days = dayNumber(year.lastDay) - dayNumber(year.firstDay) + 1;
  const elapsed = Math.min(days, Math.max(0, dayNumber(today) - dayNumber(year.firstDay) + 1));
  return [BigInt(elapsed), BigInt(days)];
}

/** amount × part ÷ whole in cents, rounded half up (amounts are not negative). */
const shareOf = (amount: bigint, [part, whole]: [bigint, bigint]) =>
  (amount * part * 2n + whole) / (whole * 2n);

const compareCents = (a: string, b: string) => {
  const [x, y] = [cents(a), cents(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

const column = createColumnHelper<Row>();

export function Budgets() {
  const prefs = usePrefs();
  const [year, setYear] = useState(prefs.fiscalYear);
  const budgets = useEveryPage(BudgetsQuery, { year }, (d) => d.budgets);
  const forecastPages = useEveryPage(ForecastsQuery, { year }, (d) => d.burnForecasts);
  const [calendarAnswer] = useQuery({ query: CalendarQuery });
  const [sorting, setSorting] = useState<SortingState>([{ id: 'usedPercent', desc: true }]);
  const [search, setSearch] = useState('');
  const [tier, setTier] = useState('');
  const [adjusting, setAdjusting] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const rows = useMemo<Row[]>(() => {
    const calendar = calendarAnswer.data?.fiscalCalendar?.year;
    if (!budgets.nodes || !calendar) return [];
    const elapsed: [bigint, bigint] =
      year === calendar.fiscalYear
        ? elapsedOf(calendar, prefs.today)
        : year < calendar.fiscalYear
          ? [1n, 1n]
          : [0n, 1n];
    const forecasts = new Map((forecastPages.nodes ?? []).map((forecast) => [forecast.budget.id, forecast]));
    return budgets.nodes.map((node) => {
      const allocated = cents(node.allocatedAmount);
      const used = cents(node.reservedAmount) + cents(node.spentAmount);
      const plan = shareOf(allocated, elapsed);
      return {
        ...node,
        usedPercent: percentOf(used, allocated),
        planAmount: fromCents(plan),
        varianceAmount: fromCents(used - plan),
        forecast: forecasts.get(node.id) ?? null,
      };
    });
  }, [budgets.nodes, forecastPages.nodes, calendarAnswer.data, year, prefs.today]);

  const money = (amount: string, row: Row) => prefs.money(amount, row.currency);
  const amountColumn = (
    id:
      | 'allocatedAmount'
      | 'reservedAmount'
      | 'spentAmount'
      | 'remainingAmount'
      | 'planAmount'
      | 'varianceAmount',
    label: MessageId,
  ) =>
    column.accessor(id, {
      header: t(label),
      sortingFn: (a, b) => compareCents(a.original[id], b.original[id]),
      cell: (cell) => <span data-figure={id}>{money(cell.getValue(), cell.row.original)}</span>,
      meta: { number: true },
    });
  const columns = [
    column.accessor((row) => row.account.name, {
      id: 'account',
      header: t('budgets.account'),
      cell: (cell) => cell.getValue(),
      filterFn: 'includesString',
    }),
    column.accessor((row) => row.account.tier, {
      id: 'tier',
      header: t('budgets.tier'),
      filterFn: 'equalsString',
    }),
    amountColumn('allocatedAmount', 'accounts.allocated'),
    amountColumn('reservedAmount', 'accounts.reserved'),
    amountColumn('spentAmount', 'accounts.spent'),
    amountColumn('remainingAmount', 'accounts.remaining'),
    column.accessor('usedPercent', {
      header: t('budgets.used'),
      sortingFn: (a, b) => (a.original.usedPercent ?? -1) - (b.original.usedPercent ?? -1),
      cell: (cell) => (
        <span data-figure="usedPercent">{cell.getValue() === null ? '–' : `${cell.getValue()}%`}</span>
      ),
      meta: { number: true },
    }),
    amountColumn('planAmount', 'budgets.plan'),
    amountColumn('varianceAmount', 'budgets.variance'),
    column.accessor((row) => row.forecast?.status ?? '', {
      id: 'forecast',
      header: t('budgets.forecast'),
      cell: (cell) => {
        const forecast = cell.row.original.forecast;
        if (!forecast) return '–';
        return forecast.runOutDate
          ? t('budgets.runsOut', { status: forecast.status, date: prefs.day(forecast.runOutDate) })
          : forecast.status;
      },
    }),
    column.display({
      id: 'actions',
      header: t('budgets.actions'),
      cell: (cell) => (
        <button
          type="button"
          aria-label={t('budgets.adjustFor', { account: cell.row.original.account.name })}
          onClick={() => {
            setDone(null);
            setAdjusting(cell.row.original.id);
          }}
        >
          {t('budgets.adjust')}
        </button>
      ),
    }),
  ];

  // Stable between renders unless a filter changes: TanStack recomputes its row models on a new array.
  const columnFilters = useMemo(
    () => [
      ...(search ? [{ id: 'account', value: search }] : []),
      ...(tier ? [{ id: 'tier', value: tier }] : []),
    ],
    [search, tier],
  );
  const table = useReactTable({
    data: rows,
    columns,
    state: {
      sorting,
      columnFilters,
    },
    // No pagination: nothing to reset (and a reset each render would re-render for ever).
    autoResetPageIndex: false,
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
    getRowId: (row) => row.id,
  });
  const adjusted = rows.find((row) => row.id === adjusting);
  const years = [prefs.fiscalYear + 1, prefs.fiscalYear, prefs.fiscalYear - 1, prefs.fiscalYear - 2];

  return (
    <section aria-labelledby="budgets-title">
      <h1 id="budgets-title">{t('budgets.title', { year })}</h1>
      <form className="controls" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('period.year')}{' '}
          <select value={year} onChange={(event) => setYear(Number(event.target.value))}>
            {years.map((option) => (
              <option key={option} value={option}>
                {t('period.fiscalYear', { year: option })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('budgets.search')}{' '}
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} />
        </label>
        <label>
          {t('budgets.tier')}{' '}
          <select value={tier} onChange={(event) => setTier(event.target.value)}>
            <option value="">{t('budgets.allTiers')}</option>
            {['A', 'B', 'C', 'D', 'E'].map((option) => (
              <option key={option} value={option}>
                {t('accounts.tier', { tier: option })}
              </option>
            ))}
          </select>
        </label>
      </form>
      <RatioForm year={year} />
      <PagesState main={budgets} also={[forecastPages]} />
      {calendarAnswer.error && <QueryError error={calendarAnswer.error} />}
      {budgets.truncated && <p className="warning">{t('budgets.truncated', { shown: rows.length })}</p>}
      {done && (
        <p role="status" className="done">
          {done}
        </p>
      )}
      {budgets.nodes && rows.length === 0 && <p role="status">{t('budgets.empty', { year })}</p>}
      {rows.length > 0 && (
        <table className="data">
          <caption>
            {t('budgets.caption', { shown: table.getRowModel().rows.length, count: rows.length })}
          </caption>
          <thead>
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const numeric = (header.column.columnDef.meta as { number?: boolean } | undefined)?.number;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={numeric ? 'number' : undefined}
                      aria-sort={
                        sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                      }
                    >
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          className="sort"
                          onClick={header.column.getToggleSortingHandler()}
                        >
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.map((row) => (
              <tr key={row.id} data-account={row.original.account.name}>
                {row.getVisibleCells().map((cell) => (
                  <td
                    key={cell.id}
                    className={
                      (cell.column.columnDef.meta as { number?: boolean } | undefined)?.number
                        ? 'number'
                        : undefined
                    }
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {adjusted && (
        <AdjustForm
          key={adjusted.id}
          budget={adjusted}
          onDone={(message) => {
            setAdjusting(null);
            setDone(message);
            budgets.reload();
            forecastPages.reload();
          }}
        />
      )}
      <CreateBudget
        year={year}
        budgeted={new Set(rows.map((row) => row.account.id))}
        onCreated={budgets.reload}
      />
      <h2>{t('budgets.transfersTitle')}</h2>
      <Transfers />
      <AlertThresholds />
    </section>
  );
}
