// Thresholds of the fairness signals, burn-rate flags and tier review proposals, set by FINANCE.
// One row; the defaults are the documented starting values.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table report_settings (
      id smallint primary key default 1 check (id = 1),
      over_share_factor numeric(8, 4) not null default 2 check (over_share_factor >= 1),
      under_potential_share_min numeric(8, 6) not null default 0.05 check (under_potential_share_min > 0 and under_potential_share_min <= 1),
      under_spend_factor numeric(8, 4) not null default 0.5 check (under_spend_factor > 0 and under_spend_factor < 1),
      underuse_ratio numeric(8, 4) not null default 0.5 check (underuse_ratio > 0 and underuse_ratio < 1),
      promotion_uplift_min int not null default 2 check (promotion_uplift_min between 1 and 12),
      heavy_utilisation numeric(8, 4) not null default 0.8 check (heavy_utilisation > 0 and heavy_utilisation <= 1),
      updated_by uuid references users (id),
      updated_at timestamptz not null default now()
    );
    insert into report_settings (id) values (1);
    create index paid_orders_accepted on paid_orders (accepted_at) where state = 'ACCEPTED';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index paid_orders_accepted; drop table report_settings;');
}
