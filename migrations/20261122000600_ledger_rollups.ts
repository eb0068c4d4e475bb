// Rollups that keep finance's reports fast at millions of ledger entries without touching the
// booking path: a trigger queues each new entry's id (an insert, no shared row to contend on);
// a roll-up job moves queued entries into two small rollups in one statement and removes them
// from the queue in the same transaction. Reports read rollup + still-queued entries, so they
// are exact whether or not the job has caught up. Needs PostgreSQL 15+ (unique nulls not distinct).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table ledger_rollup_queue (entry_id bigint primary key references ledger_entries (id));
    create function enqueue_ledger_entry() returns trigger language plpgsql as $$
    begin
      insert into ledger_rollup_queue (entry_id) values (new.id);
      return null;
    end $$;
    create trigger ledger_entries_enqueue after insert on ledger_entries for each row execute function enqueue_ledger_entry();
    insert into ledger_rollup_queue (entry_id) select id from ledger_entries;

    -- The fiscal calendar the rollups were built for; a different one rebuilds them.
    create table ledger_rollup_state (
      id smallint primary key default 1 check (id = 1),
      time_zone text,
      start_month int
    );
    insert into ledger_rollup_state (id) values (1);

    -- month: first day of a calendar month in the fiscal time zone (fiscal months are calendar months).
    create table ledger_rollup_effects (
      month date not null,
      tier char(1) not null,
      service_id uuid,
      kind text not null,
      effect text,
      allocated numeric(20, 2) not null,
      reserved numeric(20, 2) not null,
      spent numeric(20, 2) not null,
      entries bigint not null,
      constraint ledger_rollup_effects_key unique nulls not distinct (month, tier, service_id, kind, effect)
    );

    create table ledger_rollup_budgets (
      budget_id uuid not null references budgets (id),
      month date not null,
      account_id uuid not null references customers (id),
      allocated numeric(20, 2) not null,
      reserved numeric(20, 2) not null,
      spent numeric(20, 2) not null,
      spend_entries bigint not null,
      primary key (budget_id, month)
    );
    create index ledger_rollup_budgets_account on ledger_rollup_budgets (account_id, month);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table ledger_rollup_budgets, ledger_rollup_effects, ledger_rollup_state;
    drop trigger ledger_entries_enqueue on ledger_entries;
    drop function enqueue_ledger_entry();
    drop table ledger_rollup_queue;
  `);
}
