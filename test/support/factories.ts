// Small factories: rows a test needs, built directly, each with its own unique values.
import crypto from 'node:crypto';
import type { Database } from '../../src/db/knex';
import { insertToken, insertUser, type User } from '../../src/modules/users/repository';
import { hashToken } from '../../src/modules/users/tokens';
import type { Role } from '../../src/shared/auth';
import { TEST_TOKEN_HASH_KEY } from './server';

export type UserWithToken = { user: User; token: string };

export async function createUserWithToken(
  db: Database,
  roles: Role[],
  name?: string,
): Promise<UserWithToken> {
  const suffix = crypto.randomBytes(4).toString('hex');
  const user = await insertUser(db, {
    name: name ?? `${roles.join('+')} ${suffix}`,
    email: `${roles.join('.').toLowerCase()}.${suffix}@test.example`,
    roles,
  });
  const token = `test_${suffix}_${crypto.randomBytes(12).toString('hex')}`;
  await insertToken(db, { userId: user.id, label: 'test', tokenHash: hashToken(TEST_TOKEN_HASH_KEY, token) });
  return { user, token };
}

export async function createStandardUsers(db: Database) {
  return {
    admin: await createUserWithToken(db, ['ADMIN']),
    finance: await createUserWithToken(db, ['FINANCE']),
    salesLeader: await createUserWithToken(db, ['SALES_LEADER']),
    csm: await createUserWithToken(db, ['CSM']),
    otherCsm: await createUserWithToken(db, ['CSM']),
  };
}
