// Idempotency keys as a retrying client can trust them: a key belongs to its user (another user's
// equal key is a different key, and says nothing about it), the first outcome is stored whether it
// was a result or a domain refusal, and keys are kept for a retention period, then pruned.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    delete from idempotency_keys where actor_user_id is null;
    alter table idempotency_keys drop constraint idempotency_keys_pkey;
    alter table idempotency_keys alter column actor_user_id set not null;
    alter table idempotency_keys add primary key (actor_user_id, key);
    alter table idempotency_keys
      add column outcome text not null default 'RESULT' check (outcome in ('RESULT', 'REFUSAL')),
      add column refusal jsonb,
      add constraint idempotency_keys_outcome_shape check (
        (outcome = 'RESULT' and refusal is null) or
        (outcome = 'REFUSAL' and refusal is not null and result_id is null));
    create index idempotency_keys_created_at on idempotency_keys (created_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index idempotency_keys_created_at;
    alter table idempotency_keys drop constraint idempotency_keys_outcome_shape;
    alter table idempotency_keys drop column refusal, drop column outcome;
    alter table idempotency_keys drop constraint idempotency_keys_pkey;
    alter table idempotency_keys alter column actor_user_id drop not null;
    delete from idempotency_keys a using idempotency_keys b where a.key = b.key and a.ctid < b.ctid;
    alter table idempotency_keys add primary key (key);
  `);
}
