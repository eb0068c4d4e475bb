// `npm run import:customers -- FILE [--good-rows-only] [--as EMAIL]`: the same import as the
// importCustomers mutation, from a file, with a progress bar on a terminal.
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/db/open';
import { migrateToLatest } from '../src/db/migrate';
import { importCustomers } from '../src/modules/customers/import';
import { findUserByEmail } from '../src/modules/users/repository';
import type { Actor } from '../src/shared/auth';

const program = new Command()
  .name('import:customers')
  .argument('<file>', 'CSV file with a header row')
  .option('--good-rows-only', 'import the good rows even when some rows are bad')
  .option('--as <email>', 'record the import as this ADMIN user (default: a system import)')
  .parse();

async function run(): Promise<number> {
  const [file] = program.args as [string];
  const options = program.opts<{ goodRowsOnly?: boolean; as?: string }>();
  const csv = fs.readFileSync(file, 'utf8');
  const config = loadConfig();
  const database = await openDatabase(config, createLogger('warn'), { shareRunning: true });
  try {
    await migrateToLatest(database.db);
    let actor: Actor | null = null;
    if (options.as) {
      const user = await findUserByEmail(database.db, options.as);
      if (!user || !user.roles.includes('ADMIN'))
        throw new Error(`--as ${options.as}: no ADMIN user with that email`);
      actor = { userId: user.id, name: user.name, roles: user.roles, personId: null };
    }
    const bar = process.stdout.isTTY
      ? new cliProgress.SingleBar(
          { format: 'importing [{bar}] {value}/{total} rows' },
          cliProgress.Presets.shades_classic,
        )
      : null;
    let started = false;
    const report = await importCustomers(
      { db: database.db, actor, requestId: `cli:import-customers`, fiscalCalendar: config.fiscal, config },
      csv,
      {
        mode: options.goodRowsOnly ? 'GOOD_ROWS_ONLY' : 'ALL_OR_NOTHING',
        source: path.basename(file),
        onProgress: (done, total) => {
          if (!bar) return;
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.update(done);
        },
      },
    );
    bar?.stop();
    for (const error of report.errors) {
      process.stderr.write(
        `line ${error.line}${error.column ? ` (${error.column})` : ''}: ${error.message}\n`,
      );
    }
    process.stdout.write(
      `${report.imported ? 'imported' : 'nothing imported'}: ${report.rowsRead} rows read, ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected\n`,
    );
    return report.errors.length > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

run()
  .then((code) => process.exit(code))
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
