// The CSV import of customers: the mutation and the report it answers.
import { builder } from '../../../graphql/builder';
import { COMMON_MUTATION_ERRORS } from '../../../graphql/errors';
import { importCustomers, type ImportReport, type RowError } from '../import';

export const ImportModeEnum = builder.enumType('ImportMode', {
  description: 'What to do when some rows of an import are bad.',
  values: {
    ALL_OR_NOTHING: { description: 'Import nothing if any row is bad (the default).' },
    GOOD_ROWS_ONLY: { description: 'Import the good rows and report the bad ones.' },
  },
});

export const ImportRowErrorRef = builder.objectRef<RowError>('ImportRowError').implement({
  description: 'Why one row of an import was refused.',
  fields: (t) => ({
    line: t.exposeInt('line', { description: 'Line number in the file (1 is the header).' }),
    column: t.exposeString('column', { nullable: true, description: 'The column at fault.' }),
    message: t.exposeString('message', { description: 'What is wrong.' }),
  }),
});

export const ImportReportRef = builder.objectRef<ImportReport>('CustomerImportReport').implement({
  description: 'The outcome of a customer import.',
  fields: (t) => ({
    mode: t.field({ type: ImportModeEnum, description: 'The mode used.', resolve: (r) => r.mode }),
    imported: t.exposeBoolean('imported', { description: 'Whether anything was written.' }),
    rowsRead: t.exposeInt('rowsRead', { description: 'Data rows in the file.' }),
    created: t.exposeInt('created', { description: 'New accounts.' }),
    updated: t.exposeInt('updated', { description: 'Existing accounts (same external id) that changed.' }),
    unchanged: t.exposeInt('unchanged', { description: 'Existing accounts already as in the file.' }),
    rejected: t.exposeInt('rejected', { description: 'Rows not imported.' }),
    errors: t.field({
      type: [ImportRowErrorRef],
      description: 'Every bad row with its line and reason.',
      resolve: (r) => r.errors,
    }),
  }),
});

builder.mutationField('importCustomers', (t) =>
  t.field({
    type: ImportReportRef,
    description:
      'Imports customers from CSV text (columns: external_id, name, tier, industry, region, channel_partner, fiscal_year, contribution, potential). Validates every row first; idempotent on external_id. ADMIN only.',
    authScopes: { admin: true },
    errors: { types: COMMON_MUTATION_ERRORS },
    args: {
      csv: t.arg.string({ description: 'The CSV text, with a header row.' }),
      mode: t.arg({
        type: ImportModeEnum,
        required: false,
        description: 'ALL_OR_NOTHING (default) or GOOD_ROWS_ONLY.',
      }),
      source: t.arg.string({
        required: false,
        description: 'A name for the file, recorded in tier history and audit.',
      }),
    },
    resolve: (_root, args, context) =>
      importCustomers(context, args.csv, {
        mode: args.mode ?? 'ALL_OR_NOTHING',
        source: args.source ?? 'GraphQL import',
      }),
  }),
);
