// Bulk import of customers from CSV. Every row is validated before anything is written; with
// ALL_OR_NOTHING one bad row imports nothing, with GOOD_ROWS_ONLY the good rows are imported.
// Idempotent on external_id: a re-import updates what changed and leaves the rest untouched.
// Columns: external_id, name, tier, industry, region, channel_partner, fiscal_year,
// contribution, potential (the last three together or not at all).
import { parse } from 'csv-parse/sync';
import { inTransaction, type Transaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { hasRole } from '../../shared/auth';
import { DomainError, ForbiddenActionError, ValidationError } from '../../shared/errors';
import { parseDecimalText, MONEY_SCALE, type Decimal } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import * as repository from './repository';
import type { Customer } from './repository';
import { countOpenKeyAccountCommitments } from './holdings';
import { TIERS, tierChangeBlockers, type Tier } from './rules';
import { FISCAL_YEAR_MAX, FISCAL_YEAR_MIN } from '../../shared/fiscal';
import { insertNewCustomer } from './service';
import { optionalText } from '../../shared/text';

export const IMPORT_ROWS_MAX = 100_000;
export const IMPORT_BYTES_MAX = 20_000_000;
const REQUIRED_COLUMNS = ['external_id', 'name', 'tier'] as const;
const KNOWN_COLUMNS = [
  ...REQUIRED_COLUMNS,
  'industry',
  'region',
  'channel_partner',
  'fiscal_year',
  'contribution',
  'potential',
];
const TEXT_MAX = 100;
const NAME_MAX = 200;

export type ImportMode = 'ALL_OR_NOTHING' | 'GOOD_ROWS_ONLY';

export type RowError = { line: number; column: string | null; message: string };

export type ImportReport = {
  mode: ImportMode;
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  imported: boolean;
  errors: RowError[];
};

type ParsedRow = {
  line: number;
  externalId: string;
  name: string;
  tier: Tier;
  industry: string | null;
  region: string | null;
  channelPartnerName: string | null;
  figures: { fiscalYear: number; contribution: Decimal; potential: Decimal } | null;
};

type Progress = (done: number, total: number) => void;

function text(
  value: string | undefined,
  column: string,
  line: number,
  max: number,
  errors: RowError[],
): string | null {
  const trimmed = (value ?? '').trim();
  if (trimmed.length > max) {
    errors.push({ line, column, message: `${column} is longer than ${max} characters` });
    return null;
  }
  return trimmed === '' ? null : trimmed;
}

function money(value: string | undefined, column: string, line: number, errors: RowError[]): Decimal | null {
  const parsed = parseDecimalText((value ?? '').trim(), MONEY_SCALE);
  if (!parsed.ok) {
    errors.push({ line, column, message: `${column} ${parsed.reason}` });
    return null;
  }
  if (parsed.value.isNegative()) {
    errors.push({ line, column, message: `${column} cannot be negative` });
    return null;
  }
  return parsed.value;
}

/** Checks one record's shape and values (no database); returns the row or its errors. */
export function parseRow(
  record: Record<string, string>,
  line: number,
): { row: ParsedRow | null; errors: RowError[] } {
  const errors: RowError[] = [];
  const externalId = text(record.external_id, 'external_id', line, TEXT_MAX, errors);
  const name = text(record.name, 'name', line, NAME_MAX, errors);
  if (!externalId) errors.push({ line, column: 'external_id', message: 'external_id is required' });
  if (!name) errors.push({ line, column: 'name', message: 'name is required' });
  const tierText = (record.tier ?? '').trim().toUpperCase();
  const tier = (TIERS as readonly string[]).includes(tierText) ? (tierText as Tier) : null;
  if (!tier)
    errors.push({
      line,
      column: 'tier',
      message: `tier must be one of ${TIERS.join(', ')}, got ${JSON.stringify(record.tier ?? '')}`,
    });
  const channelPartnerName = text(record.channel_partner, 'channel_partner', line, NAME_MAX, errors);
  if (tier === 'E' && !channelPartnerName)
    errors.push({ line, column: 'channel_partner', message: 'tier E needs a channel_partner' });
  const figureColumns = ['fiscal_year', 'contribution', 'potential'].filter(
    (column) => (record[column] ?? '').trim() !== '',
  );
  let figures: ParsedRow['figures'] = null;
  if (figureColumns.length > 0 && figureColumns.length < 3) {
    errors.push({
      line,
      column: 'fiscal_year',
      message: 'fiscal_year, contribution and potential go together',
    });
  } else if (figureColumns.length === 3) {
    const yearText = record.fiscal_year!.trim();
    const fiscalYear = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    if (!(fiscalYear >= FISCAL_YEAR_MIN && fiscalYear <= FISCAL_YEAR_MAX)) {
      errors.push({
        line,
        column: 'fiscal_year',
        message: `fiscal_year must be a year from ${FISCAL_YEAR_MIN} to ${FISCAL_YEAR_MAX}`,
      });
    }
    const contribution = money(record.contribution, 'contribution', line, errors);
    const potential = money(record.potential, 'potential', line, errors);
    if (contribution && potential && !Number.isNaN(fiscalYear))
      figures = { fiscalYear, contribution, potential };
  }
  const industry = text(record.industry, 'industry', line, TEXT_MAX, errors);
  const region = text(record.region, 'region', line, TEXT_MAX, errors);
  if (errors.length > 0 || !externalId || !name || !tier) return { row: null, errors };
  return { row: { line, externalId, name, tier, industry, region, channelPartnerName, figures }, errors };
}

export function parseCsv(csv: string): {
  records: { record: Record<string, string>; line: number }[];
  errors: RowError[];
} {
  if (Buffer.byteLength(csv, 'utf8') > IMPORT_BYTES_MAX) {
    return {
      records: [],
      errors: [{ line: 0, column: null, message: `the file is larger than ${IMPORT_BYTES_MAX} bytes` }],
    };
  }
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      info: true,
      relax_column_count: false,
    });
  } catch (error) {
    return {
      records: [],
      errors: [
        {
          line: (error as { lines?: number }).lines ?? 0,
          column: null,
          message: `not valid CSV: ${(error as Error).message}`,
        },
      ],
    };
  }
  if (rows.length > IMPORT_ROWS_MAX) {
    return {
      records: [],
      errors: [{ line: 0, column: null, message: `more than ${IMPORT_ROWS_MAX} rows; split the file` }],
    };
  }
  const header = Object.keys(rows[0]?.record ?? {});
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  const unknown = header.filter((column) => !KNOWN_COLUMNS.includes(column));
  const errors: RowError[] = [
    ...missing.map((column) => ({ line: 1, column, message: `column ${column} is missing` })),
    ...unknown.map((column) => ({
      line: 1,
      column,
      message: `unknown column ${column}; columns are ${KNOWN_COLUMNS.join(', ')}`,
    })),
  ];
  return { records: rows.map((row) => ({ record: row.record, line: row.info.lines })), errors };
}

function sameFields(customer: Customer, row: ParsedRow, partnerId: string | null): boolean {
  return (
    customer.name === row.name &&
    customer.tier === row.tier &&
    customer.industry === row.industry &&
    customer.region === row.region &&
    customer.channelPartnerId === partnerId
  );
}

/** Where an import came from is recorded in tier history and the audit log. */
const SOURCE_LENGTH_MAX = 200;

export async function importCustomers(
  context: UseCaseContext,
  csv: string,
  options: { mode: ImportMode; source: string; onProgress?: Progress },
): Promise<ImportReport> {
  if (context.actor && !hasRole(context.actor, 'ADMIN'))
    throw new ForbiddenActionError('only an ADMIN may import customers');
  if (csv.trim().length === 0)
    throw new ValidationError('csv', 'the CSV is empty: it needs a header row and at least one row');
  const source = optionalText(options.source, 'source', SOURCE_LENGTH_MAX);
  if (source === null)
    throw new ValidationError('source', 'source must name the file or system imported from');
  const report: ImportReport = {
    mode: options.mode,
    rowsRead: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    imported: false,
    errors: [],
  };
  const { records, errors: fileErrors } = parseCsv(csv);
  report.rowsRead = records.length;
  if (fileErrors.length > 0) {
    report.errors = fileErrors;
    report.rejected = records.length;
    return report;
  }

  // Pass 1, no writes: every row's own checks, duplicates in the file, and references.
  const good: ParsedRow[] = [];
  const seen = new Map<string, number>();
  for (const { record, line } of records) {
    const { row, errors } = parseRow(record, line);
    if (row && seen.has(row.externalId)) {
      errors.push({
        line,
        column: 'external_id',
        message: `external_id ${row.externalId} already appears on line ${seen.get(row.externalId)}`,
      });
    }
    if (row && errors.length === 0) {
      seen.set(row.externalId, line);
      good.push(row);
    }
    report.errors.push(...errors);
  }
  const partnerIds = new Map<string, string>();
  for (const partnerName of new Set(
    good.flatMap((row) => (row.channelPartnerName ? [row.channelPartnerName] : [])),
  )) {
    const partner = await repository.findChannelPartnerByName(context.db, partnerName);
    if (partner) partnerIds.set(partnerName.toLowerCase(), partner.id);
  }
  const checked: ParsedRow[] = [];
  for (const row of good) {
    if (row.channelPartnerName && !partnerIds.has(row.channelPartnerName.toLowerCase())) {
      report.errors.push({
        line: row.line,
        column: 'channel_partner',
        message: `unknown channel partner ${row.channelPartnerName}`,
      });
    } else checked.push(row);
  }

  const rowErrorLines = new Set(report.errors.map((error) => error.line));
  if (report.errors.length > 0 && options.mode === 'ALL_OR_NOTHING') {
    report.rejected = records.length;
    return report;
  }
  const rows = checked.filter((row) => !rowErrorLines.has(row.line));
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const writeErrors: RowError[] = [];
  try {
    await inTransaction(context.db, async (trx) => {
      const existing = new Map(
        (
          await repository.findCustomersByExternalIds(
            trx,
            rows.map((row) => row.externalId),
          )
        ).map((c) => [c.externalId!, c]),
      );
      for (const [index, row] of rows.entries()) {
        options.onProgress?.(index + 1, rows.length);
        const partnerId = row.channelPartnerName
          ? partnerIds.get(row.channelPartnerName.toLowerCase())!
          : null;
        try {
          // A savepoint per row: a row refused while writing undoes only itself.
          const outcome = await trx.transaction((savepoint) =>
            writeRow(context, savepoint, row, existing.get(row.externalId) ?? null, partnerId, source),
          );
          counts[outcome] += 1;
        } catch (error) {
          if (!(error instanceof RowWriteError)) throw error;
          if (options.mode === 'ALL_OR_NOTHING') throw error;
          writeErrors.push(error.rowError);
        }
      }
      await recordAudit(trx, context, {
        action: 'customer.import',
        entityType: 'CustomerImport',
        entityId: source,
        after: { mode: options.mode, ...counts, rejected: records.length - rows.length + writeErrors.length },
      });
    });
  } catch (error) {
    if (!(error instanceof RowWriteError)) throw error;
    report.errors.push(error.rowError);
    report.rejected = records.length;
    return report;
  }
  report.errors.push(...writeErrors);
  Object.assign(report, counts, {
    imported: true,
    rejected: records.length - rows.length + writeErrors.length,
  });
  return report;
}

class RowWriteError extends Error {
  constructor(readonly rowError: RowError) {
    super(rowError.message);
  }
}

async function writeRow(
  context: UseCaseContext,
  trx: Transaction,
  row: ParsedRow,
  before: Customer | null,
  partnerId: string | null,
  source: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  try {
    let outcome: 'created' | 'updated' | 'unchanged' = 'unchanged';
    let accountId: string;
    if (!before) {
      const created = await insertNewCustomer(
        context,
        trx,
        { ...row, channelPartnerId: partnerId, reason: `CSV import (${source})` },
        `line ${row.line}`,
      );
      accountId = created.id;
      outcome = 'created';
    } else {
      accountId = before.id;
      if (!sameFields(before, row, partnerId)) {
        await updateFromRow(context, trx, before, row, partnerId, source);
        outcome = 'updated';
      }
    }
    if (row.figures) {
      const [current] = await repository.findFinancials(trx, [accountId], row.figures.fiscalYear);
      if (
        !current ||
        !current.contribution.equals(row.figures.contribution) ||
        !current.potential.equals(row.figures.potential)
      ) {
        await repository.upsertFinancials(trx, {
          accountId,
          ...row.figures,
          currency: context.config.defaultCurrency,
        });
        if (outcome === 'unchanged') outcome = 'updated';
      }
    }
    return outcome;
  } catch (error) {
    if (error instanceof DomainError) {
      throw new RowWriteError({
        line: row.line,
        column: error.field?.split('.').pop() ?? null,
        message: error.message,
      });
    }
    throw error;
  }
}

async function updateFromRow(
  context: UseCaseContext,
  trx: Transaction,
  before: Customer,
  row: ParsedRow,
  partnerId: string | null,
  source: string,
): Promise<void> {
  if (before.tier !== row.tier) {
    const commitments = await countOpenKeyAccountCommitments(trx, before.id);
    const blockers = tierChangeBlockers(
      before.tier,
      row.tier,
      { csmPersonId: before.csmPersonId, ...commitments },
      { releaseCsm: false },
    );
    if (blockers.length > 0) {
      throw new RowWriteError({
        line: row.line,
        column: 'tier',
        message: `cannot move ${row.externalId} to tier ${row.tier}: ${blockers.map((b) => b.message).join('; ')}`,
      });
    }
  }
  const after = await repository.updateCustomer(trx, before.id, {
    name: row.name,
    tier: row.tier,
    industry: row.industry,
    region: row.region,
    channelPartnerId: partnerId,
  });
  if (before.tier !== row.tier) {
    await repository.insertTierChange(trx, {
      accountId: before.id,
      fromTier: before.tier,
      toTier: row.tier,
      changedBy: context.actor?.userId ?? null,
      reason: `CSV import (${source})`,
    });
  }
  await recordAudit(trx, context, {
    action: 'customer.update',
    entityType: 'Customer',
    entityId: before.id,
    accountId: before.id,
    before,
    after,
  });
}
