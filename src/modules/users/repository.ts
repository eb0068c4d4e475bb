// SQL for users and API tokens. Only this file touches the users and api_tokens tables.
import { DateTime } from 'luxon';
import { countRows, type Queryable } from '../../db/transaction';
import { keysetPage } from '../../db/keyset';
import type { PageRequest } from '../../shared/pagination';
import type { Role } from '../../shared/auth';

export type User = {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  active: boolean;
  createdAt: DateTime;
};

export type ApiToken = {
  id: string;
  userId: string;
  label: string;
  createdAt: DateTime;
  revokedAt: DateTime | null;
};

type UserRow = { id: string; name: string; email: string; roles: Role[]; active: boolean; created_at: Date };
type TokenRow = {
  id: string;
  user_id: string;
  label: string;
  created_at: Date;
  revoked_at: Date | null;
  token_hash: string;
};

const toUser = (row: UserRow): User => ({
  id: row.id,
  name: row.name,
  email: row.email,
  roles: row.roles,
  active: row.active,
  createdAt: DateTime.fromJSDate(row.created_at),
});

const toToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  userId: row.user_id,
  label: row.label,
  createdAt: DateTime.fromJSDate(row.created_at),
  revokedAt: row.revoked_at ? DateTime.fromJSDate(row.revoked_at) : null,
});

export async function insertUser(
  db: Queryable,
  user: { name: string; email: string; roles: Role[] },
): Promise<User> {
  const [row] = await db<UserRow>('users').insert(user).returning('*');
  return toUser(row as UserRow);
}

export async function findUserById(db: Queryable, id: string): Promise<User | null> {
  const row = await db<UserRow>('users').where({ id }).first();
  return row ? toUser(row) : null;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<User | null> {
  const row = await db<UserRow>('users').whereRaw('lower(email) = lower(?)', [email]).first();
  return row ? toUser(row) : null;
}

export async function findUsersByIds(db: Queryable, ids: readonly string[]): Promise<User[]> {
  const rows = await db<UserRow>('users').whereIn('id', [...ids]);
  return rows.map(toUser);
}

/** Users by name (then id, so the order is total); the key is [name, id]. */
export async function listUsers(db: Queryable, page: PageRequest<[string, string]>): Promise<User[]> {
  const rows: UserRow[] = await keysetPage(db('users').select('*'), ['name', 'id'], page);
  return rows.map(toUser);
}

export async function countUsers(db: Queryable): Promise<number> {
  return countRows(db('users'));
}

export async function insertToken(
  db: Queryable,
  token: { userId: string; label: string; tokenHash: string },
): Promise<ApiToken> {
  const [row] = await db<TokenRow>('api_tokens')
    .insert({ user_id: token.userId, label: token.label, token_hash: token.tokenHash })
    .returning('*');
  return toToken(row as TokenRow);
}

export async function findTokenById(db: Queryable, id: string): Promise<ApiToken | null> {
  const row = await db<TokenRow>('api_tokens').where({ id }).first();
  return row ? toToken(row) : null;
}

export async function revokeToken(db: Queryable, id: string): Promise<ApiToken> {
  const [row] = await db<TokenRow>('api_tokens')
    .where({ id })
    .update({ revoked_at: db.raw('now()') as unknown as Date })
    .returning('*');
  return toToken(row as TokenRow);
}

/** The active user behind a live token hash, with the stored hash for a constant-time check. */
export async function findActiveUserByTokenHash(
  db: Queryable,
  tokenHash: string,
): Promise<{ user: User; storedHash: string; personId: string | null } | null> {
  // The linked person is read here (people.user_id) so one query per request answers who it is.
  const row = await db('api_tokens as t')
    .join('users as u', 'u.id', 't.user_id')
    .leftJoin('people as p', 'p.user_id', 'u.id')
    .where('t.token_hash', tokenHash)
    .whereNull('t.revoked_at')
    .where('u.active', true)
    .first('u.*', 't.token_hash', 'p.id as person_id');
  if (!row) return null;
  const extra = row as { token_hash: string; person_id: string | null };
  return { user: toUser(row as UserRow), storedHash: extra.token_hash, personId: extra.person_id };
}
