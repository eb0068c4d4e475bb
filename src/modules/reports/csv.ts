// CSV export of cost allocation and ROI over HTTP, with the same authorisation as the GraphQL
// queries. Rows are written page by page, waiting for the client to drain, so a large result
// never sits in memory whole. Text cells that a spreadsheet would run as a formula are prefixed.
import { once } from 'node:events';
import type { Request, Response, Router } from 'express';
import { isRetryableDatabaseError, RETRYABLE_MESSAGE } from '../../db/errors';
import express from 'express';
import type { Services } from '../../graphql/context';
import type { RequestGate } from '../../graphql/rate-limit';
import { bearerToken, hashToken } from '../users/tokens';
import { DomainError } from '../../shared/errors';
import { formatMoney } from '../../shared/money';

import { DEFAULT_REPORT_BASIS, REPORT_BASES, type ReportBasis } from './period/basis';
import {
  costAllocation,
  ALLOCATION_GROUPS_MAX,
  DIMENSIONS,
  type Dimension,
  type Measures,
} from './allocation/service';
import { accountRoi, ROI_ROWS_MAX, ROI_SORTS, type RoiSort, type RoiView } from './roi/service';
import type { PeriodInput } from './period/resolve';

export const CSV_ROWS_MAX = 200_000;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  // Plain numbers (amounts, ratios, negative ones too) are data, not formulas.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text))
    text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;

async function write(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await once(res, 'drain');
}

function intParam(req: Request, name: string): number | null {
  const value = req.query[name];
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || !/^\d{1,4}$/.test(value))
    throw new ParamError(name, `${name} must be a whole number`);
  return Number(value);
}

class ParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

function period(req: Request): PeriodInput {
  const fiscalYear = intParam(req, 'fiscalYear');
  if (fiscalYear === null) throw new ParamError('fiscalYear', 'fiscalYear is required');
  return { fiscalYear, quarter: intParam(req, 'quarter'), month: intParam(req, 'month') };
}

/** basis=budget_year (the default) or posting_period, as the GraphQL reports' `basis`. */
function basis(req: Request): ReportBasis {
  const [value, more] = list<ReportBasis>(req, 'basis', REPORT_BASES);
  if (more !== undefined) throw new ParamError('basis', 'basis takes one value');
  return value ?? DEFAULT_REPORT_BASIS;
}

function list<T extends string>(req: Request, name: string, allowed: readonly T[]): T[] {
  const value = req.query[name];
  if (value === undefined || value === '') return [];
  if (typeof value !== 'string') throw new ParamError(name, `${name} is a comma-separated list`);
  const items = value.split(',').map((item) => item.trim().toUpperCase());
  const bad = items.find((item) => !(allowed as readonly string[]).includes(item));
  if (bad) throw new ParamError(name, `${name}: unknown value ${bad}; allowed: ${allowed.join(', ')}`);
  return items as T[];
}

type ExportContext = Parameters<typeof costAllocation>[0];
type Export = (req: Request, res: Response, context: ExportContext) => Promise<void>;

/** The caller of an export, signed in and admitted by the rate limit as a GraphQL request is; null when answered already. */
async function admittedContext(
  req: Request,
  res: Response,
  services: Services,
  gate: RequestGate,
): Promise<ExportContext | null> {
  let token: string | null;
  try {
    token = bearerToken(req.headers.authorization);
  } catch (error) {
    res.status(401).json({ error: (error as Error).message });
    return null;
  }
  const tokenHash = token === null ? null : hashToken(services.config.tokenHashKey, token);
  const admission = await gate.admit(tokenHash, req.socket.remoteAddress ?? 'unknown');
  if (!admission.admitted && admission.status === 429) {
    res
      .status(429)
      .setHeader('retry-after', String(admission.retryAfterSeconds))
      .json({ error: admission.message, code: 'RATE_LIMITED' });
    return null;
  }
  const actor = admission.admitted ? admission.actor : null;
  if (!actor) {
    res.status(401).json({ error: 'Authentication required: send Authorization: Bearer <API token>' });
    return null;
  }
  return { ...services, actor, requestId: String((req as { id?: unknown }).id ?? '') };
}

/** An export's failure as the HTTP answer: 400 naming the parameter or field, 403, 503 to retry, 500. */
function sendFailure(res: Response, services: Services, error: unknown): void {
  if (res.headersSent) {
    services.logger.error({ err: error }, 'CSV export failed midway');
    res.destroy(error as Error);
  } else if (error instanceof ParamError) res.status(400).json({ error: error.message, field: error.param });
  else if (error instanceof DomainError)
    res
      .status(error.code === 'FORBIDDEN' ? 403 : 400)
      .json({ error: error.message, code: error.code, field: error.field });
  else if (isRetryableDatabaseError(error)) {
    services.logger.warn({ err: error }, 'database unavailable during CSV export');
    res.status(503).json({ error: RETRYABLE_MESSAGE, code: 'SERVICE_UNAVAILABLE', retryable: true });
  } else {
    services.logger.error({ err: error }, 'CSV export failed');
    res.status(500).json({ error: 'Unexpected error.' });
  }
}

function startCsv(res: Response, filename: string): void {
  res.status(200).type('text/csv').setHeader('content-disposition', `attachment; filename="${filename}"`);
}

/** Cost allocation, page by page, then a TOTAL line with the grand total. */
const allocationCsv: Export = async (req, res, context) => {
  const groupBy = list<Dimension>(req, 'groupBy', DIMENSIONS);
  const input = { period: period(req), groupBy, filter: {}, basis: basis(req) };
  let page = await costAllocation(context, { ...input, first: ALLOCATION_GROUPS_MAX, offset: 0 });
  startCsv(res, `allocation-FY${input.period.fiscalYear}.csv`);
  const measures = ['allocated_amount', 'reserved_amount', 'spent_amount', 'entry_count'];
  await write(res, csvLine([...groupBy.map((d) => d.toLowerCase()), ...measures]));
  let written = 0;
  while (page.groups.length > 0 && written < CSV_ROWS_MAX) {
    for (const group of page.groups) {
      const keys = groupBy.map((d) => group.keys[d] ?? null);
      await write(res, csvLine([...keys, ...measureCells(group)]));
    }
    written += page.groups.length;
    if (written >= page.totalGroups) break;
    page = await costAllocation(context, { ...input, first: ALLOCATION_GROUPS_MAX, offset: written });
  }
  const totalKeys = groupBy.map((_, i) => (i === 0 ? 'TOTAL' : null));
  await write(res, csvLine([...totalKeys, ...measureCells(page.grandTotal)]));
  res.end();
};

const measureCells = (m: Measures) => [
  formatMoney(m.allocatedAmount),
  formatMoney(m.reservedAmount),
  formatMoney(m.spentAmount),
  m.entryCount,
];

const ROI_COLUMNS = [
  'account_id',
  'account',
  'tier',
  'spent',
  'reserved',
  'budget_utilisation',
  'uplift_closeness',
  'uplift_solution',
  'uplift_price',
  'hatched',
  'registered',
  'won',
  'pipeline',
  'won_per_spend',
  'pipeline_per_spend',
  'uplift_per_10k',
];

const roiCells = (row: RoiView) => [
  row.accountId,
  row.name,
  row.tier,
  formatMoney(row.spent),
  formatMoney(row.reservedAtEnd),
  row.utilisation?.toFixed() ?? null,
  row.uplift?.relationshipCloseness ?? null,
  row.uplift?.solutionAcceptance ?? null,
  row.uplift?.priceAcceptance ?? null,
  formatMoney(row.hatched),
  formatMoney(row.registered),
  formatMoney(row.won),
  formatMoney(row.pipeline),
  row.wonPerSpend?.toFixed() ?? null,
  row.pipelinePerSpend?.toFixed() ?? null,
  row.upliftPer10k?.toFixed() ?? null,
];

/** Per-account ROI, ranked, page by page. */
const roiCsv: Export = async (req, res, context) => {
  const [sort] = list<RoiSort>(req, 'sort', ROI_SORTS);
  const input = { period: period(req), sort: sort ?? 'WON_PER_SPEND', basis: basis(req) };
  let page = await accountRoi(context, { ...input, first: ROI_ROWS_MAX, offset: 0 });
  startCsv(res, `roi-FY${input.period.fiscalYear}.csv`);
  await write(res, csvLine(ROI_COLUMNS));
  let written = 0;
  while (page.rows.length > 0 && written < CSV_ROWS_MAX) {
    for (const row of page.rows) await write(res, csvLine(roiCells(row)));
    written += page.rows.length;
    if (written >= page.totalCount) break;
    page = await accountRoi(context, { ...input, first: ROI_ROWS_MAX, offset: written });
  }
  res.end();
};

export function exportRouter(services: Services, gate: RequestGate): Router {
  const handle = (run: Export) => async (req: Request, res: Response) => {
    try {
      const context = await admittedContext(req, res, services, gate);
      if (context) await run(req, res, context);
    } catch (error) {
      sendFailure(res, services, error);
    }
  };
  const router = express.Router();
  router.get('/allocation.csv', handle(allocationCsv));
  router.get('/roi.csv', handle(roiCsv));
  return router;
}
