// Bulk import of customers from CSV (ADMIN, or the command line). Every row is checked before
// anything is written; with ALL_OR_NOTHING one bad row imports nothing, with GOOD_ROWS_ONLY the
// good rows are imported, each in a savepoint of one transaction with one audit record.
import { inTransaction } from '../../../db/transaction';
import type { UseCaseContext } from '../../../shared/context';
import { hasRole } from '../../../shared/auth';
import { ForbiddenActionError, ValidationError } from '../../../shared/errors';
import { recordAudit } from '../../audit/repository';
import * as repository from '../repository';
import { optionalText } from '../../../shared/text';

import {
  parseCsv,
  parseRow,
  type ImportMode,
  type ImportReport,
  type ParsedRow,
  type RowError,
} from './parse';
import { RowWriteError, writeRow } from './write';

type Progress = (done: number, total: number) => void;

/** Where an import came from is recorded in tier history and the audit log. */
const SOURCE_LENGTH_MAX = 200;

function emptyReport(mode: ImportMode): ImportReport {
  return {
    mode,
    rowsRead: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    imported: false,
    errors: [],
  };
}

/** The rows that pass their own checks and are not repeated in the file; the rest as errors. */
function checkRows(records: { record: Record<string, string>; line: number }[]): {
  good: ParsedRow[];
  errors: RowError[];
} {
  const good: ParsedRow[] = [];
  const allErrors: RowError[] = [];
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
    allErrors.push(...errors);
  }
  return { good, errors: allErrors };
}

/** The channel partners the rows name, by lower-cased name; a row naming an unknown one is an error. */
async function resolvePartners(
  context: UseCaseContext,
  rows: ParsedRow[],
): Promise<{ partnerIds: Map<string, string>; known: ParsedRow[]; errors: RowError[] }> {
  const partnerIds = new Map<string, string>();
  const names = new Set(rows.flatMap((row) => (row.channelPartnerName ? [row.channelPartnerName] : [])));
  for (const partnerName of names) {
    const partner = await repository.findChannelPartnerByName(context.db, partnerName);
    if (partner) partnerIds.set(partnerName.toLowerCase(), partner.id);
  }
  const known: ParsedRow[] = [];
  const errors: RowError[] = [];
  for (const row of rows) {
    if (row.channelPartnerName && !partnerIds.has(row.channelPartnerName.toLowerCase())) {
      errors.push({
        line: row.line,
        column: 'channel_partner',
        message: `unknown channel partner ${row.channelPartnerName}`,
      });
    } else known.push(row);
  }
  return { partnerIds, known, errors };
}

type WriteCounts = { created: number; updated: number; unchanged: number };

/**
 * Every row written in one transaction, each in a savepoint, then the import's audit record.
 * A row refused while writing is an error beside the others (GOOD_ROWS_ONLY) or undoes the
 * whole import (ALL_OR_NOTHING: the RowWriteError leaves this function).
 */
async function writeRows(
  context: UseCaseContext,
  rows: ParsedRow[],
  partnerIds: Map<string, string>,
  options: { mode: ImportMode; source: string; onProgress?: Progress; rejectedBefore: number },
): Promise<{ counts: WriteCounts; writeErrors: RowError[] }> {
  const counts: WriteCounts = { created: 0, updated: 0, unchanged: 0 };
  const writeErrors: RowError[] = [];
  await inTransaction(context.db, async (trx) => {
    const found = await repository.findCustomersByExternalIds(
      trx,
      rows.map((row) => row.externalId),
    );
    const existing = new Map(found.map((c) => [c.externalId!, c]));
    for (const [index, row] of rows.entries()) {
      options.onProgress?.(index + 1, rows.length);
      const partnerId = row.channelPartnerName ? partnerIds.get(row.channelPartnerName.toLowerCase())! : null;
      try {
        // A savepoint per row: a row refused while writing undoes only itself.
        const outcome = await trx.transaction((savepoint) =>
          writeRow(context, savepoint, row, existing.get(row.externalId) ?? null, partnerId, options.source),
        );
        counts[outcome] += 1;
      } catch (error) {
        if (!(error instanceof RowWriteError) || options.mode === 'ALL_OR_NOTHING') throw error;
        writeErrors.push(error.rowError);
      }
    }
    await recordAudit(trx, context, {
      action: 'customer.import',
      entityType: 'CustomerImport',
      entityId: options.source,
      after: { mode: options.mode, ...counts, rejected: options.rejectedBefore + writeErrors.length },
    });
  });
  return { counts, writeErrors };
}

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
  const report = emptyReport(options.mode);
  const { records, errors: fileErrors } = parseCsv(csv);
  report.rowsRead = records.length;
  if (fileErrors.length > 0) return { ...report, errors: fileErrors, rejected: records.length };
  // Pass 1, no writes: every row's own checks, duplicates in the file, and references.
  const checked = checkRows(records);
  const partners = await resolvePartners(context, checked.good);
  report.errors.push(...checked.errors, ...partners.errors);
  if (report.errors.length > 0 && options.mode === 'ALL_OR_NOTHING')
    return { ...report, rejected: records.length };
  const errorLines = new Set(report.errors.map((error) => error.line));
  const rows = partners.known.filter((row) => !errorLines.has(row.line));
  const rejectedBefore = records.length - rows.length;
  // Pass 2: the writes.
  let written: Awaited<ReturnType<typeof writeRows>>;
  try {
    written = await writeRows(context, rows, partners.partnerIds, { ...options, source, rejectedBefore });
  } catch (error) {
    if (!(error instanceof RowWriteError)) throw error;
    return { ...report, errors: [...report.errors, error.rowError], rejected: records.length };
  }
  report.errors.push(...written.writeErrors);
  return {
    ...report,
    ...written.counts,
    imported: true,
    rejected: rejectedBefore + written.writeErrors.length,
  };
}
