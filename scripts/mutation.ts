// `npm run test:mutation`: StrykerJS over the money core, one source file at a time (the files
// `mutate` lists in stryker.config.json). Each file's results are kept in
// test/mutation/<file>.json, which is committed: a later run, on any machine, tries again only
// the mutants whose code or covering tests changed. One PostgreSQL and one migrated template
// serve every mutant's test run (global setup reuses a template it is given), so a mutant costs
// its tests, not a cluster start. At the end it prints each file's score and the whole core's.
//
//   npm run test:mutation                                   every file, in turn
//   npm run test:mutation -- --mutate src/shared/money.ts   one file
//   npm run test:mutation -- --summary                      the score table from the kept results
//   npm run test:mutation -- --survivors                    every undetected mutant in the kept results
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDatabase } from '../src/db/knex';
import { migrateToLatest } from '../src/db/migrate';
import { startTemporaryEmbeddedPostgres } from '../test/support/provider';
import { withDatabase } from '../test/support/urls';

const ROOT = path.join(__dirname, '..');
const RESULTS_DIR = path.join(ROOT, 'test/mutation');
const CONFIG = JSON.parse(fs.readFileSync(path.join(ROOT, 'stryker.config.json'), 'utf8')) as {
  mutate: string[];
};

/** test/mutation/src__modules__budgets__rules.ts.json for src/modules/budgets/rules.ts. */
const resultsFileOf = (file: string) => path.join(RESULTS_DIR, `${file.replaceAll('/', '__')}.json`);

type MutantStatus =
  'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';
type Position = { line: number; column: number };
type Mutant = {
  status: MutantStatus;
  mutatorName: string;
  replacement?: string;
  location: { start: Position; end: Position };
};
type Report = { files: Record<string, { mutants: Mutant[]; source: string }> };

/** The whole core's score must reach this (stryker.config.json's thresholds apply to no single file). */
export const SCORE_MIN_PERCENT = 90;

type Counts = { Killed: number; Timeout: number; Survived: number; NoCoverage: number; Ignored: number };
const noCounts = (): Counts => ({ Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0 });

/** Stryker's mutation score: detected (killed, timed out) over detected plus undetected (survived, no coverage). */
function percentOf(c: Counts): number | null {
  const valid = c.Killed + c.Timeout + c.Survived + c.NoCoverage;
  return valid === 0 ? null : ((c.Killed + c.Timeout) / valid) * 100;
}

function summary(files: string[]): { table: string; score: number | null } {
  const rows: string[] = ['| file | score | killed | timed out | survived | not covered | ignored |'];
  rows.push('|---|---|---|---|---|---|---|');
  const line = (name: string, c: Counts) => {
    const percent = percentOf(c);
    const score = percent === null ? 'n/a' : `${percent.toFixed(2)}%`;
    return `| ${name} | ${score} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.Ignored} |`;
  };
  const total = noCounts();
  let missing = 0;
  for (const file of files) {
    const resultsFile = resultsFileOf(file);
    if (!fs.existsSync(resultsFile)) {
      missing += 1;
      rows.push(`| ${file} | not run yet | | | | | |`);
      continue;
    }
    const report = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Report;
    const counts = noCounts();
    for (const mutant of Object.values(report.files).flatMap((f) => f.mutants))
      if (mutant.status in counts) counts[mutant.status as keyof Counts] += 1;
    for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += counts[key];
    rows.push(line(file, counts));
  }
  rows.push(
    line(missing === 0 ? '**money core**' : `**measured files only (${missing} not run yet)**`, total),
  );
  // No whole-core score until every file has been measured.
  return { table: rows.join('\n'), score: missing > 0 ? null : percentOf(total) };
}

/** The text a mutant replaced, on one line and shortened. */
function original(source: string, { start, end }: Mutant['location']): string {
  const lines = source.split('\n').slice(start.line - 1, end.line);
  const text =
    lines.length === 1
      ? lines[0]!.slice(start.column - 1, end.column - 1)
      : [
          lines[0]!.slice(start.column - 1),
          ...lines.slice(1, -1),
          lines[lines.length - 1]!.slice(0, end.column - 1),
        ].join(' ');
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 70 ? `${flat.slice(0, 67)}...` : flat;
}

/** Every surviving or uncovered mutant of the kept results, file by file, as a markdown list. */
function survivors(files: string[]): string {
  const out: string[] = [];
  for (const file of files) {
    const resultsFile = resultsFileOf(file);
    if (!fs.existsSync(resultsFile)) continue;
    const report = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Report;
    for (const [name, entry] of Object.entries(report.files)) {
      const undetected = entry.mutants
        .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
        .sort(
          (a, b) =>
            a.location.start.line - b.location.start.line ||
            a.location.start.column - b.location.start.column,
        );
      if (undetected.length === 0) continue;
      out.push(`### ${name} (${undetected.length})`, '');
      for (const m of undetected) {
        const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').trim();
        const shown = replacement.length > 70 ? `${replacement.slice(0, 67)}...` : replacement;
        out.push(
          `- ${m.location.start.line}:${m.location.start.column} ${m.mutatorName}${m.status === 'NoCoverage' ? ' (not covered)' : ''}: \`${original(entry.source, m.location)}\` → \`${shown}\``,
        );
      }
      out.push('');
    }
  }
  return out.join('\n');
}

function stryker(env: NodeJS.ProcessEnv, args: string[]): Promise<number> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', ...args],
    { stdio: 'inherit', env },
  );
  return new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

async function run(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--summary')) {
    process.stdout.write(`${summary(CONFIG.mutate).table}\n`);
    return 0;
  }
  if (args.includes('--survivors')) {
    process.stdout.write(`${survivors(CONFIG.mutate)}\n`);
    return 0;
  }
  const at = args.indexOf('--mutate');
  const files = at >= 0 ? [args[at + 1]!] : CONFIG.mutate;
  const rest = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
  const unknown = files.filter((file) => !CONFIG.mutate.includes(file));
  if (unknown.length > 0) throw new Error(`not in stryker.config.json's mutate list: ${unknown.join(', ')}`);

  const given = process.env.TEST_DATABASE_URL;
  const cluster = given
    ? { url: given, stop: async () => undefined }
    : await startTemporaryEmbeddedPostgres();
  const template = `ledger_mutation_template_${crypto.randomBytes(5).toString('hex')}`;
  const admin = createDatabase({ url: cluster.url, poolMax: 1, statementTimeoutMs: 60_000 });
  let failed = 0;
  try {
    await admin.raw(`create database ${template}`);
    const db = createDatabase({
      url: withDatabase(cluster.url, template),
      poolMax: 1,
      statementTimeoutMs: 60_000,
    });
    await migrateToLatest(db).finally(() => db.destroy());
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const env = {
      ...process.env,
      TEST_DATABASE_URL: cluster.url,
      TEST_TEMPLATE_DATABASE: template,
      TEST_TEMPLATE_GIVEN: 'true',
      // jest cannot bail (StrykerJS runs every covering test of each mutant), and the property
      // test covers nearly every mutant: 25 sequences here instead of npm test's 100.
      PROPERTY_RUNS: process.env.PROPERTY_RUNS ?? '25',
    };
    for (const file of files) {
      process.stdout.write(`\n== ${file}\n`);
      const code = await stryker(env, [
        '--mutate',
        file,
        '--incrementalFile',
        path.relative(ROOT, resultsFileOf(file)),
        ...rest,
      ]);
      if (code !== 0) failed += 1;
    }
  } finally {
    await admin.raw(`drop database if exists ${template} with (force)`).catch(() => undefined);
    await admin.destroy();
    await cluster.stop();
  }
  const { table, score } = summary(CONFIG.mutate);
  process.stdout.write(`\n${table}\n`);
  if (failed > 0) return 1;
  if (files.length === CONFIG.mutate.length && (score === null || score < SCORE_MIN_PERCENT)) {
    process.stderr.write(`the money core scores below ${SCORE_MIN_PERCENT}%\n`);
    return 1;
  }
  return 0;
}

run().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
