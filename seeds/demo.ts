// Demo data: loaded by `npm start` when the database is empty, or on demand by `npm run seed`.
// Idempotent: every row has a natural key and is inserted only when missing. Demo tokens are
// fixed strings so the README's example queries work as written; never enable in production.
import type { Knex } from 'knex';
import { hashToken } from '../src/modules/users/tokens';
import type { Role } from '../src/shared/auth';

export type DemoUser = { key: string; name: string; email: string; roles: Role[]; token: string };

export const DEMO_USERS: DemoUser[] = [
  {
    key: 'admin',
    name: 'Wang Wei (admin)',
    email: 'admin@demo.example',
    roles: ['ADMIN'],
    token: 'demo_admin_token',
  },
  {
    key: 'finance',
    name: 'Zhao Min (finance)',
    email: 'finance@demo.example',
    roles: ['FINANCE'],
    token: 'demo_finance_token',
  },
  {
    key: 'salesLeader',
    name: 'Chen Jie (sales leader)',
    email: 'sales.leader@demo.example',
    roles: ['SALES_LEADER'],
    token: 'demo_sales_leader_token',
  },
  { key: 'csm', name: 'Li Na (CSM)', email: 'li.na@demo.example', roles: ['CSM'], token: 'demo_csm_token' },
  {
    key: 'csm2',
    name: 'Liu Yang (CSM)',
    email: 'liu.yang@demo.example',
    roles: ['CSM'],
    token: 'demo_csm2_token',
  },
];

export type DemoSeedOptions = { tokenHashKey: string };

async function seedUsers(trx: Knex.Transaction, options: DemoSeedOptions): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const user of DEMO_USERS) {
    await trx.raw(
      `insert into users (name, email, roles) values (?, ?, ?::text[]) on conflict ((lower(email))) do nothing`,
      [user.name, user.email, user.roles],
    );
    const row = await trx('users').whereRaw('lower(email) = ?', [user.email]).first('id');
    ids.set(user.key, row.id as string);
    await trx.raw(
      `insert into api_tokens (user_id, label, token_hash) values (?, 'demo', ?) on conflict (token_hash) do nothing`,
      [row.id, hashToken(options.tokenHashKey, user.token)],
    );
  }
  return ids;
}

export async function seedDemo(db: Knex, options: DemoSeedOptions): Promise<void> {
  await db.transaction(async (trx) => {
    // One seeder at a time, so two instances starting together do not race each other.
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['demo-seed']);
    await seedUsers(trx, options);
  });
}

/** True when no user exists yet: the signal to load demo data at start-up. */
export async function databaseIsEmpty(db: Knex): Promise<boolean> {
  const row = await db('users').first('id');
  return row === undefined;
}
