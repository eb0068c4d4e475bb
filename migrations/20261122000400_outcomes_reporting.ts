// Outputs and reporting: relationship assessments, the bookings that contributed to an
// opportunity, and the account's tier on each ledger entry (set by the database when the entry
// is posted), so cost allocations by tier stay true after an account changes tier.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table relationship_assessments (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references customers (id),
      assessed_on date not null,
      relationship_closeness smallint not null check (relationship_closeness between 1 and 5),
      solution_acceptance smallint not null check (solution_acceptance between 1 and 5),
      price_acceptance smallint not null check (price_acceptance between 1 and 5),
      assessor_user_id uuid not null references users (id),
      note text not null default '' check (char_length(note) <= 2000),
      created_at timestamptz not null default now()
    );
    create index relationship_assessments_account on relationship_assessments (account_id, assessed_on, created_at);

    create table opportunity_bookings (
      opportunity_id uuid not null references opportunities (id),
      booking_id uuid not null references bookings (id),
      account_id uuid not null references customers (id),
      primary key (opportunity_id, booking_id)
    );
    create index opportunities_dates on opportunities (account_id, hatched_on);

    alter table ledger_entries add column tier char(1) check (tier in ('A', 'B', 'C', 'D', 'E'));
    create function ledger_entry_tier() returns trigger language plpgsql as $$
    begin
      new.tier := (select tier from customers where id = new.account_id);
      return new;
    end $$;
    create trigger ledger_entries_tier before insert on ledger_entries for each row execute function ledger_entry_tier();
    -- Entries posted before this migration get the tier their account has now: the one-time
    -- backfill of a derived column; no amount changes, so the append-only rule is lifted for it only.
    alter table ledger_entries disable trigger ledger_entries_append_only;
    update ledger_entries e set tier = c.tier from customers c where c.id = e.account_id;
    alter table ledger_entries enable trigger ledger_entries_append_only;
    alter table ledger_entries alter column tier set not null;
    create index ledger_entries_time on ledger_entries (created_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop index ledger_entries_time;
    drop trigger ledger_entries_tier on ledger_entries;
    drop function ledger_entry_tier();
    alter table ledger_entries drop column tier;
    drop index opportunities_dates;
    drop table opportunity_bookings, relationship_assessments;
  `);
}
