// Closing a fiscal year's budgets. What a closed budget did not use either lapses (a LAPSE entry)
// or, up to the account tier's carry-over policy, moves to the account's budget of the next year
// (CARRY_OUT here, CARRY_IN there, each naming the other budget). A closed budget records who
// closed it; every money path already refuses a budget with closed_at set.
import type { Knex } from 'knex';

const KINDS_BEFORE = `'ALLOCATION', 'OPENING', 'RESERVE', 'RELEASE', 'SPEND', 'ADJUSTMENT', 'TRANSFER_IN', 'TRANSFER_OUT'`;
const KINDS_AFTER = `${KINDS_BEFORE}, 'LAPSE', 'CARRY_OUT', 'CARRY_IN'`;

const SHAPES_BEFORE = `
  (kind = 'ALLOCATION' and amount > 0 and allocated_delta = amount and reserved_delta = 0 and spent_delta = 0)
  or (kind = 'OPENING' and amount > 0 and spent_delta = amount and allocated_delta = 0 and reserved_delta = 0)
  or (kind = 'RESERVE' and amount > 0 and reserved_delta = amount and allocated_delta = 0 and spent_delta = 0 and booking_id is not null)
  or (kind = 'RELEASE' and amount > 0 and reserved_delta = -amount and allocated_delta = 0 and spent_delta = 0 and booking_id is not null)
  or (kind = 'SPEND' and amount > 0 and spent_delta = amount and allocated_delta = 0 and reserved_delta = 0 and booking_id is not null)
  or (kind = 'ADJUSTMENT' and allocated_delta = amount and reserved_delta = 0 and spent_delta = 0 and reason is not null)
  or (kind = 'TRANSFER_IN' and amount > 0 and allocated_delta = amount and reserved_delta = 0 and spent_delta = 0 and transfer_id is not null)
  or (kind = 'TRANSFER_OUT' and amount > 0 and allocated_delta = -amount and reserved_delta = 0 and spent_delta = 0 and transfer_id is not null)`;
const SHAPES_AFTER = `${SHAPES_BEFORE}
  or (kind = 'LAPSE' and amount > 0 and allocated_delta = -amount and reserved_delta = 0 and spent_delta = 0)
  or (kind = 'CARRY_OUT' and amount > 0 and allocated_delta = -amount and reserved_delta = 0 and spent_delta = 0 and counterpart_budget_id is not null)
  or (kind = 'CARRY_IN' and amount > 0 and allocated_delta = amount and reserved_delta = 0 and spent_delta = 0 and counterpart_budget_id is not null)`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    alter table budgets add column closed_by uuid references users (id);
    alter table ledger_entries add column counterpart_budget_id uuid references budgets (id);
    alter table ledger_entries drop constraint ledger_entries_kind_check;
    alter table ledger_entries drop constraint ledger_entries_check;
    alter table ledger_entries add constraint ledger_entries_kind check (kind in (${KINDS_AFTER}));
    alter table ledger_entries add constraint ledger_entries_shape check (${SHAPES_AFTER});

    -- How much of what a budget did not use moves to the next year, per key-account tier: up to
    -- this percentage of its allocation (0: nothing, all of it lapses).
    create table carry_over_policies (
      tier char(1) primary key check (tier in ('A', 'C')),
      max_percent numeric(5, 2) not null check (max_percent >= 0 and max_percent <= 100),
      updated_by uuid references users (id),
      updated_at timestamptz not null default now()
    );
    insert into carry_over_policies (tier, max_percent) values ('A', 0), ('C', 0);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table carry_over_policies;
    alter table ledger_entries drop constraint ledger_entries_shape;
    alter table ledger_entries drop constraint ledger_entries_kind;
    alter table ledger_entries add constraint ledger_entries_kind_check check (kind in (${KINDS_BEFORE}));
    alter table ledger_entries add constraint ledger_entries_check check (${SHAPES_BEFORE});
    alter table ledger_entries drop column counterpart_budget_id;
    alter table budgets drop column closed_by;
  `);
}
