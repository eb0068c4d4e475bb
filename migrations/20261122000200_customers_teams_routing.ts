// Customers with A–E tiers and their effective-dated history, tiering inputs and policy; teams,
// people and cost rates; coverage (CSM, support and expert teams, delivery projects, channel
// partners) and SLA policies. Every account-scoped table carries account_id.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table people (
      id uuid primary key default gen_random_uuid(),
      name text not null check (char_length(name) between 1 and 200),
      department text not null check (department in ('SERVICE', 'SALES', 'SOLUTIONS', 'PRESALES', 'DELIVERY')),
      skills text[] not null default '{}' check (cardinality(skills) <= 50),
      active boolean not null default true,
      user_id uuid unique references users (id),
      created_at timestamptz not null default now()
    );

    create table person_cost_rates (
      person_id uuid not null references people (id),
      effective_from date not null,
      rate_per_hour numeric(12, 2) not null check (rate_per_hour >= 0),
      currency char(3) not null,
      recorded_at timestamptz not null default now(),
      primary key (person_id, effective_from)
    );

    create table teams (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('DELIVERY', 'SUPPORT', 'CSM', 'EXPERT')),
      name text not null check (char_length(name) between 1 and 200),
      active boolean not null default true,
      created_at timestamptz not null default now()
    );
    create unique index teams_name_unique on teams (lower(name));

    create table team_members (
      team_id uuid not null references teams (id),
      person_id uuid not null references people (id),
      primary key (team_id, person_id)
    );
    create index team_members_person on team_members (person_id);

    create table channel_partners (
      id uuid primary key default gen_random_uuid(),
      name text not null check (char_length(name) between 1 and 200),
      implementer_name text check (implementer_name is null or char_length(implementer_name) between 1 and 200),
      implementer_contact text check (implementer_contact is null or char_length(implementer_contact) <= 200),
      created_at timestamptz not null default now()
    );
    create unique index channel_partners_name_unique on channel_partners (lower(name));

    create table customers (
      id uuid primary key default gen_random_uuid(),
      external_id text unique check (external_id is null or char_length(external_id) between 1 and 100),
      name text not null check (char_length(name) between 1 and 200),
      industry text check (industry is null or char_length(industry) <= 100),
      region text check (region is null or char_length(region) <= 100),
      sales_rep_person_id uuid references people (id),
      channel_partner_id uuid references channel_partners (id),
      tier char(1) not null check (tier in ('A', 'B', 'C', 'D', 'E')),
      csm_person_id uuid references people (id),
      support_team_id uuid references teams (id),
      expert_team_id uuid references teams (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- E customers are served through a channel partner; only key accounts (A, C) have a CSM.
      constraint customers_channel_partner_for_e check (tier <> 'E' or channel_partner_id is not null),
      constraint customers_csm_only_key_accounts check (csm_person_id is null or tier in ('A', 'C'))
    );
    create index customers_tier on customers (tier, name, id);
    create index customers_csm on customers (csm_person_id) where csm_person_id is not null;
    create index customers_name on customers (name, id);

    create table customer_tier_history (
      id bigint generated always as identity primary key,
      account_id uuid not null references customers (id),
      from_tier char(1) check (from_tier in ('A', 'B', 'C', 'D', 'E')),
      to_tier char(1) not null check (to_tier in ('A', 'B', 'C', 'D', 'E')),
      effective_from timestamptz not null,
      changed_by uuid references users (id),
      reason text not null check (char_length(reason) between 1 and 1000),
      recorded_at timestamptz not null default clock_timestamp()
    );
    create index customer_tier_history_account on customer_tier_history (account_id, effective_from, id);
    create trigger customer_tier_history_append_only before update or delete on customer_tier_history
      for each row execute function forbid_update_delete();

    create table customer_financials (
      account_id uuid not null references customers (id),
      fiscal_year int not null check (fiscal_year between 2000 and 2200),
      contribution numeric(20, 2) not null check (contribution >= 0),
      potential numeric(20, 2) not null check (potential >= 0),
      currency char(3) not null,
      updated_at timestamptz not null default now(),
      primary key (account_id, fiscal_year)
    );

    create table tiering_policies (
      fiscal_year int primary key check (fiscal_year between 2000 and 2200),
      contribution_threshold numeric(20, 2) not null check (contribution_threshold > 0),
      potential_threshold numeric(20, 2) not null check (potential_threshold > 0),
      currency char(3) not null,
      updated_by uuid references users (id),
      updated_at timestamptz not null default now()
    );

    create table delivery_projects (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references customers (id),
      name text not null check (char_length(name) between 1 and 200),
      contract_reference text check (contract_reference is null or char_length(contract_reference) <= 100),
      delivery_team_id uuid references teams (id),
      contact_person_id uuid references people (id),
      status text not null default 'ACTIVE' check (status in ('ACTIVE', 'CLOSED')),
      created_at timestamptz not null default now()
    );
    create index delivery_projects_account on delivery_projects (account_id);

    create table sla_policies (
      tier char(1) not null check (tier in ('A', 'B', 'C', 'D', 'E')),
      priority text not null check (priority in ('P1', 'P2', 'P3', 'P4')),
      response_minutes int not null check (response_minutes > 0),
      resolution_minutes int not null check (resolution_minutes >= response_minutes),
      updated_at timestamptz not null default now(),
      primary key (tier, priority)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table sla_policies, delivery_projects, tiering_policies, customer_financials, customer_tier_history,
      customers, channel_partners, team_members, teams, person_cost_rates, people;
  `);
}
