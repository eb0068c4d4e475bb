// `npm run create-admin -- --email EMAIL --name NAME [--label LABEL]`: creates the first ADMIN
// and prints their API token once (store it now: only its hash is kept). Refused once an ADMIN
// exists. Works against DATABASE_URL or the embedded database, in production or not.
import { Command } from 'commander';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/db/open';
import { migrateToLatest } from '../src/db/migrate';
import { createFirstAdmin } from '../src/modules/users/bootstrap';
import { DomainError } from '../src/shared/errors';

async function run(): Promise<void> {
  const options = new Command('create-admin')
    .requiredOption('--email <email>', 'the ADMIN’s email')
    .requiredOption('--name <name>', 'the ADMIN’s name')
    .option('--label <label>', 'what the token is for', 'first admin')
    .parse()
    .opts<{ email: string; name: string; label: string }>();
  const config = loadConfig();
  const database = await openDatabase(config, createLogger('warn'), { shareRunning: true });
  try {
    await migrateToLatest(database.db);
    const { user, token } = await createFirstAdmin(database.db, config, options);
    process.stdout.write(
      `ADMIN ${user.name} <${user.email}> created.\nAPI token (shown once; send as "Authorization: Bearer <token>"):\n${token}\n`,
    );
  } finally {
    await database.close();
  }
}

run().catch((error: unknown) => {
  // A refusal names the option at fault (input.email → --email).
  const option = error instanceof DomainError && error.field ? `--${error.field.split('.').pop()}: ` : '';
  process.stderr.write(`${option}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof DomainError ? 2 : 1);
});
