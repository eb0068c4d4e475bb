// Pass 1 of the CSV import, no database: the file's shape (size, CSV syntax, columns) and each
// row's own values. Columns: external_id, name, tier, industry, region, channel_partner,
// fiscal_year, contribution, potential (the last three together or not at all).
import { parse } from 'csv-parse/sync';
import { parseDecimalText, MONEY_SCALE, type Decimal } from '../../../shared/money';
import { TIERS, type Tier } from '../rules';
import { FISCAL_YEAR_MAX, FISCAL_YEAR_MIN } from '../../../shared/fiscal';

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
const TEXT_LENGTH_MAX = 100;
const NAME_LENGTH_MAX = 200;

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

export type ParsedRow = {
  line: number;
  externalId: string;
  name: string;
  tier: Tier;
  industry: string | null;
  region: string | null;
  channelPartnerName: string | null;
  figures: { fiscalYear: number; contribution: Decimal; potential: Decimal } | null;
};

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
  const externalId = text(record.external_id, 'external_id', line, TEXT_LENGTH_MAX, errors);
  const name = text(record.name, 'name', line, NAME_LENGTH_MAX, errors);
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
  const channelPartnerName = text(record.channel_partner, 'channel_partner', line, NAME_LENGTH_MAX, errors);
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
  const industry = text(record.industry, 'industry', line, TEXT_LENGTH_MAX, errors);
  const region = text(record.region, 'region', line, TEXT_LENGTH_MAX, errors);
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
