// Reports can count by budget year (the entries of a fiscal year's budgets, whenever posted) as
// well as by posting period: the effect rollup keeps each row's budget fiscal year. The rollups
// are rebuilt from the ledger (truncated and every entry queued again; the roll-up job refills
// them, and reports stay exact meanwhile because they read the queue too).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    truncate ledger_rollup_effects, ledger_rollup_budgets;
    insert into ledger_rollup_queue (entry_id) select id from ledger_entries on conflict do nothing;
    alter table ledger_rollup_effects add column budget_year int not null;
    alter table ledger_rollup_effects drop constraint ledger_rollup_effects_key;
    alter table ledger_rollup_effects add constraint ledger_rollup_effects_key
      unique nulls not distinct (month, tier, service_id, kind, effect, budget_year);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    truncate ledger_rollup_effects, ledger_rollup_budgets;
    insert into ledger_rollup_queue (entry_id) select id from ledger_entries on conflict do nothing;
    alter table ledger_rollup_effects drop constraint ledger_rollup_effects_key;
    alter table ledger_rollup_effects drop column budget_year;
    alter table ledger_rollup_effects add constraint ledger_rollup_effects_key
      unique nulls not distinct (month, tier, service_id, kind, effect);
  `);
}
