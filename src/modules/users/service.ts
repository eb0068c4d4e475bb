// Use cases for users and API tokens. Each authorises, validates, runs in one transaction and
// writes its audit record in that transaction. Token plaintext leaves only in the return value.
import type { Database } from '../../db/knex';
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import type { Actor } from '../../shared/auth';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { recordAudit } from '../audit/repository';
import * as repository from './repository';
import { credentialsChanged } from './token-cache';
import type { ApiToken, User } from './repository';
import { validateNewUser, validateTokenLabel } from './rules';
import { generateToken, hashesEqual, hashToken } from './tokens';
import { requireId } from '../../shared/ids';
import {
  isStringPairKey,
  keysetConnection,
  type Connection,
  type ConnectionArgs,
} from '../../shared/pagination';

export type { ApiToken, User };

/** Every user by name, a page at a time. ADMIN only. */
export async function listUsers(context: UseCaseContext, page: ConnectionArgs): Promise<Connection<User>> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage users and tokens');
  return keysetConnection(
    page,
    { of: (user: User) => [user.name, user.id] as [string, string], is: isStringPairKey },
    (request) => repository.listUsers(context.db, request),
    () => repository.countUsers(context.db),
  );
}

export async function createUser(
  context: UseCaseContext,
  input: { name: string; email: string; roles: readonly string[] },
): Promise<User> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage users and tokens');
  const user = validateNewUser(input);
  return inTransaction(context.db, async (trx) => {
    if (await repository.findUserByEmail(trx, user.email)) {
      throw new ConflictError(`a user with email ${user.email} already exists`, 'input.email');
    }
    const created = await repository.insertUser(trx, user);
    await recordAudit(trx, context, {
      action: 'user.create',
      entityType: 'User',
      entityId: created.id,
      after: created,
    });
    return created;
  });
}

export async function createApiToken(
  context: UseCaseContext,
  input: { userId: string; label: string },
): Promise<{ token: ApiToken; plaintext: string }> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage users and tokens');
  const label = validateTokenLabel(input.label, 'input.label');
  const userId = requireId(input.userId, 'input.userId');
  return inTransaction(context.db, async (trx) => {
    const user = await repository.findUserById(trx, userId);
    if (!user) throw new NotFoundError('User', input.userId, 'input.userId');
    if (!user.active) throw new ConflictError(`user ${user.email} is deactivated`, 'input.userId');
    const plaintext = generateToken();
    const token = await repository.insertToken(trx, {
      userId: user.id,
      label,
      tokenHash: hashToken(context.config.tokenHashKey, plaintext),
    });
    await recordAudit(trx, context, {
      action: 'apiToken.create',
      entityType: 'ApiToken',
      entityId: token.id,
      after: token,
    });
    return { token, plaintext };
  });
}

export async function revokeApiToken(context: UseCaseContext, tokenId: string): Promise<ApiToken> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage users and tokens');
  requireId(tokenId, 'tokenId');
  const revoked = await inTransaction(context.db, async (trx) => {
    const before = await repository.findTokenById(trx, tokenId);
    if (!before) throw new NotFoundError('ApiToken', tokenId, 'tokenId');
    if (before.revokedAt) throw new ConflictError('this token is already revoked', 'tokenId');
    const after = await repository.revokeToken(trx, tokenId);
    await recordAudit(trx, context, {
      action: 'apiToken.revoke',
      entityType: 'ApiToken',
      entityId: tokenId,
      before,
      after,
    });
    return after;
  });
  // Committed: this instance forgets cached tokens at once (others within TOKEN_CACHE_MS).
  credentialsChanged();
  return revoked;
}

/**
 * The actor behind a bearer token's hash (hashToken), or null when the token is unknown, revoked
 * or its user inactive. Callers hash once and reuse the hash (the rate limiter keys on it too).
 */
export async function authenticate(db: Database, hash: string): Promise<Actor | null> {
  const found = await repository.findActiveUserByTokenHash(db, hash);
  if (!found || !hashesEqual(found.storedHash, hash)) return null;
  return { userId: found.user.id, name: found.user.name, roles: found.user.roles, personId: found.personId };
}

/** The signed-in user. */
export async function signedInUser(context: UseCaseContext): Promise<User> {
  const user = context.actor ? await repository.findUserById(context.db, context.actor.userId) : null;
  if (!user) throw new Error('signed-in user vanished');
  return user;
}
