// Production's first steps: the database remembers that production runs on it (so demo data,
// whose tokens are published, can never be loaded into it), and the first ADMIN is created by a
// command that prints its token once. Every later user and token is made by an ADMIN through
// GraphQL (createUser, createApiToken).
import type { Database } from '../../db/knex';
import type { Queryable } from '../../db/transaction';
import { inTransaction } from '../../db/transaction';
import type { Config } from '../../config';
import { ConflictError } from '../../shared/errors';
import { recordAudit } from '../audit/repository';
import * as repository from './repository';
import type { User } from './repository';
import { validateNewUser, validateTokenLabel } from './rules';
import { generateToken, hashToken } from './tokens';

export async function markProductionDatabase(db: Queryable): Promise<void> {
  await db.raw(`insert into deployment_environment (singleton) values (true) on conflict do nothing`);
}

export async function isProductionDatabase(db: Queryable): Promise<boolean> {
  const { rows } = await db.raw(`select exists (select 1 from deployment_environment) as production`);
  return rows[0].production === true;
}

/** Users whose email is one of `emails` (the demo's): present means the demo was loaded here. */
export async function countUsersWithEmails(db: Queryable, emails: readonly string[]): Promise<number> {
  const { rows } = await db.raw(`select count(*)::int as n from users where lower(email) = any (?)`, [
    emails.map((email) => email.toLowerCase()),
  ]);
  return rows[0].n as number;
}

export class AdminExistsError extends ConflictError {}

/**
 * Creates the first ADMIN and one API token for them, returning the token's only plaintext copy.
 * Refused once any active ADMIN exists: from then on an ADMIN makes users through GraphQL.
 */
export async function createFirstAdmin(
  db: Database,
  config: Config,
  input: { name: string; email: string; label: string },
): Promise<{ user: User; token: string }> {
  const fields = validateNewUser({ name: input.name, email: input.email, roles: ['ADMIN'] });
  const label = validateTokenLabel(input.label, 'input.label');
  return inTransaction(db, async (trx) => {
    // One bootstrap at a time, however many are started at once.
    await trx.raw(`select pg_advisory_xact_lock(hashtextextended('create-first-admin', 0))`);
    const { rows } = await trx.raw(
      `select count(*)::int as n from users where 'ADMIN' = any (roles) and active`,
    );
    if (rows[0].n > 0)
      throw new AdminExistsError(
        'an ADMIN already exists: sign in as them and use createUser and createApiToken',
      );
    if (await repository.findUserByEmail(trx, fields.email))
      throw new ConflictError(`a user with email ${fields.email} already exists`, 'input.email');
    const user = await repository.insertUser(trx, fields);
    const token = generateToken();
    const stored = await repository.insertToken(trx, {
      userId: user.id,
      label,
      tokenHash: hashToken(config.tokenHashKey, token),
    });
    const context = { actor: null, requestId: 'cli:create-admin' };
    await recordAudit(trx, context, {
      action: 'user.create',
      entityType: 'User',
      entityId: user.id,
      after: user,
    });
    await recordAudit(trx, context, {
      action: 'token.create',
      entityType: 'ApiToken',
      entityId: stored.id,
      after: { userId: user.id, label },
    });
    return { user, token };
  });
}
