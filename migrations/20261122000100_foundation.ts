// Foundation: users with roles, hashed API tokens, and the append-only audit log.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function forbid_update_delete() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only: % is not allowed', tg_table_name, tg_op
        using errcode = 'restrict_violation';
    end $$;

    create table users (
      id uuid primary key default gen_random_uuid(),
      name text not null check (char_length(name) between 1 and 200),
      email text not null check (email ~ '^[^@\\s]+@[^@\\s]+$' and char_length(email) <= 320),
      roles text[] not null check (
        cardinality(roles) between 1 and 4
        and roles <@ array['ADMIN', 'FINANCE', 'SALES_LEADER', 'CSM']::text[]
      ),
      active boolean not null default true,
      created_at timestamptz not null default now()
    );
    create unique index users_email_unique on users (lower(email));

    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id),
      token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
      label text not null check (char_length(label) between 1 and 100),
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    );
    create index api_tokens_user on api_tokens (user_id);

    create table audit_log (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null default clock_timestamp(),
      actor_user_id uuid references users (id),
      action text not null check (char_length(action) between 1 and 100),
      entity_type text not null,
      entity_id text not null,
      account_id uuid,
      before jsonb,
      after jsonb,
      request_id text
    );
    create index audit_log_entity on audit_log (entity_type, entity_id, id);
    create index audit_log_actor on audit_log (actor_user_id, id);
    create index audit_log_account on audit_log (account_id, id) where account_id is not null;
    create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function forbid_update_delete();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table audit_log;
    drop table api_tokens;
    drop table users;
    drop function forbid_update_delete();
  `);
}
