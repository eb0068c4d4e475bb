// Expert-service catalog with effective-dated prices; operating ratios and key-account budgets;
// the append-only budget ledger; free-service bookings with exceptions; transfers; overrun
// policies; paid service orders; opportunities and the investment made to win them; and the
// idempotency keys that make money-moving mutations safe to retry.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table expert_services (
      id uuid primary key default gen_random_uuid(),
      code text not null unique check (code ~ '^[A-Z0-9_-]{2,40}$'),
      name text not null check (char_length(name) between 1 and 200),
      kind text not null check (kind in ('PAID', 'FREE')),
      providing_department text not null check (providing_department in ('SERVICE', 'SALES', 'SOLUTIONS', 'PRESALES', 'DELIVERY')),
      description text not null default '' check (char_length(description) <= 2000),
      active boolean not null default true,
      retired_at timestamptz,
      created_at timestamptz not null default now(),
      check (active = (retired_at is null))
    );

    create table expert_service_effects (
      service_id uuid not null references expert_services (id),
      effect text not null check (effect in ('OPPORTUNITY', 'PRICE_ACCEPTANCE', 'SOLUTION_ACCEPTANCE', 'RELATIONSHIP_CLOSENESS')),
      primary key (service_id, effect)
    );

    -- FREE services carry a settlement price; PAID ones a list price and an internal cost.
    create table expert_service_prices (
      service_id uuid not null references expert_services (id),
      effective_from date not null,
      settlement_price numeric(20, 2) check (settlement_price >= 0),
      list_price numeric(20, 2) check (list_price >= 0),
      internal_cost numeric(20, 2) check (internal_cost >= 0),
      currency char(3) not null,
      recorded_by uuid references users (id),
      recorded_at timestamptz not null default now(),
      primary key (service_id, effective_from),
      check ((settlement_price is not null) <> (list_price is not null and internal_cost is not null))
    );

    create table operating_ratios (
      fiscal_year int primary key check (fiscal_year between 2000 and 2200),
      ratio numeric(9, 6) not null check (ratio > 0 and ratio <= 1),
      updated_by uuid references users (id),
      updated_at timestamptz not null default now()
    );

    create table overrun_policies (
      tier char(1) primary key check (tier in ('A', 'C')),
      policy text not null check (policy in ('STOP', 'WARN')),
      updated_by uuid references users (id),
      updated_at timestamptz not null default now()
    );

    -- One operating budget per key account and fiscal year. The four totals are kept in the same
    -- transaction as the ledger entries and always equal their sums.
    create table budgets (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references customers (id),
      fiscal_year int not null check (fiscal_year between 2000 and 2200),
      currency char(3) not null,
      revenue_target numeric(20, 2) check (revenue_target >= 0),
      operating_ratio numeric(9, 6) check (operating_ratio > 0 and operating_ratio <= 1),
      allocated_amount numeric(20, 2) not null default 0,
      reserved_amount numeric(20, 2) not null default 0 check (reserved_amount >= 0),
      spent_amount numeric(20, 2) not null default 0 check (spent_amount >= 0),
      remaining_amount numeric(20, 2) not null default 0,
      created_at timestamptz not null default now(),
      closed_at timestamptz,
      unique (account_id, fiscal_year),
      check (remaining_amount = allocated_amount - reserved_amount - spent_amount),
      check ((revenue_target is null) = (operating_ratio is null))
    );

    create table opportunities (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references customers (id),
      name text not null check (char_length(name) between 1 and 200),
      amount numeric(20, 2) not null check (amount >= 0),
      currency char(3) not null,
      stage text not null check (stage in ('HATCHED', 'REGISTERED', 'WON', 'LOST')),
      owner_user_id uuid references users (id),
      hatched_on date not null,
      registered_on date,
      closed_on date,
      created_at timestamptz not null default now()
    );
    create index opportunities_account on opportunities (account_id);

    create table bookings (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references customers (id),
      budget_id uuid not null references budgets (id),
      service_id uuid not null references expert_services (id),
      requested_by uuid not null references users (id),
      csm_person_id uuid references people (id),
      planned_date date not null,
      state text not null check (state in ('PENDING_APPROVAL', 'BOOKED', 'DELIVERED', 'CANCELLED', 'EXPIRED', 'REJECTED')),
      settlement_price numeric(20, 2) not null check (settlement_price >= 0),
      actual_cost numeric(20, 2) check (actual_cost >= 0),
      currency char(3) not null,
      notes text not null default '' check (char_length(notes) <= 2000),
      exception_reason text check (exception_reason is null or char_length(exception_reason) between 1 and 1000),
      exception_decided_by uuid references users (id),
      overrun boolean not null default false,
      created_at timestamptz not null default now(),
      booked_at timestamptz,
      delivered_at timestamptz,
      closed_at timestamptz,
      check ((state = 'DELIVERED') = (actual_cost is not null))
    );
    create index bookings_account on bookings (account_id, created_at);
    create index bookings_budget_state on bookings (budget_id, state);
    create index bookings_open_planned on bookings (planned_date) where state = 'BOOKED';

    create table booking_people (
      booking_id uuid not null references bookings (id),
      person_id uuid not null references people (id),
      account_id uuid not null references customers (id),
      primary key (booking_id, person_id)
    );

    create table budget_transfers (
      id uuid primary key default gen_random_uuid(),
      from_budget_id uuid not null references budgets (id),
      to_budget_id uuid not null references budgets (id),
      account_id uuid not null references customers (id),
      amount numeric(20, 2) not null check (amount > 0),
      currency char(3) not null,
      reason text not null check (char_length(reason) between 1 and 1000),
      state text not null check (state in ('REQUESTED', 'APPROVED', 'REJECTED')),
      requested_by uuid not null references users (id),
      decided_by uuid references users (id),
      created_at timestamptz not null default now(),
      decided_at timestamptz,
      check (from_budget_id <> to_budget_id)
    );

    -- The ledger. Each entry moves one or two of the budget's buckets; the deltas are signed so a
    -- budget's totals are plain sums. Entries are never updated or deleted (trigger below).
    create table ledger_entries (
      id bigint generated always as identity primary key,
      budget_id uuid not null references budgets (id),
      account_id uuid not null references customers (id),
      kind text not null check (kind in ('ALLOCATION', 'OPENING', 'RESERVE', 'RELEASE', 'SPEND', 'ADJUSTMENT', 'TRANSFER_IN', 'TRANSFER_OUT')),
      amount numeric(20, 2) not null check (amount <> 0),
      allocated_delta numeric(20, 2) not null default 0,
      reserved_delta numeric(20, 2) not null default 0,
      spent_delta numeric(20, 2) not null default 0,
      currency char(3) not null,
      booking_id uuid references bookings (id),
      transfer_id uuid references budget_transfers (id),
      reason text check (reason is null or char_length(reason) <= 1000),
      actor_user_id uuid references users (id),
      created_at timestamptz not null default clock_timestamp(),
      check (
        (kind = 'ALLOCATION' and amount > 0 and allocated_delta = amount and reserved_delta = 0 and spent_delta = 0)
        or (kind = 'OPENING' and amount > 0 and spent_delta = amount and allocated_delta = 0 and reserved_delta = 0)
        or (kind = 'RESERVE' and amount > 0 and reserved_delta = amount and allocated_delta = 0 and spent_delta = 0 and booking_id is not null)
        or (kind = 'RELEASE' and amount > 0 and reserved_delta = -amount and allocated_delta = 0 and spent_delta = 0 and booking_id is not null)
        or (kind = 'SPEND' and amount > 0 and spent_delta = amount and allocated_delta = 0 and reserved_delta = 0 and booking_id is not null)
        or (kind = 'ADJUSTMENT' and allocated_delta = amount and reserved_delta = 0 and spent_delta = 0 and reason is not null)
        or (kind = 'TRANSFER_IN' and amount > 0 and allocated_delta = amount and reserved_delta = 0 and spent_delta = 0 and transfer_id is not null)
        or (kind = 'TRANSFER_OUT' and amount > 0 and allocated_delta = -amount and reserved_delta = 0 and spent_delta = 0 and transfer_id is not null)
      )
    );
    create index ledger_entries_budget on ledger_entries (budget_id, id);
    create index ledger_entries_account_time on ledger_entries (account_id, created_at);
    create index ledger_entries_booking on ledger_entries (booking_id) where booking_id is not null;
    create trigger ledger_entries_append_only before update or delete on ledger_entries
      for each row execute function forbid_update_delete();

    create table paid_orders (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references customers (id),
      service_id uuid not null references expert_services (id),
      state text not null check (state in ('QUOTED', 'CONFIRMED', 'DELIVERED', 'ACCEPTED', 'CANCELLED')),
      requirement text not null check (char_length(requirement) between 1 and 2000),
      estimated_hours numeric(10, 2) not null check (estimated_hours > 0),
      price numeric(20, 2) not null check (price >= 0),
      estimated_internal_cost numeric(20, 2) not null check (estimated_internal_cost >= 0),
      actual_hours numeric(10, 2) check (actual_hours >= 0),
      internal_cost numeric(20, 2) check (internal_cost >= 0),
      revenue numeric(20, 2) check (revenue >= 0),
      currency char(3) not null,
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      confirmed_at timestamptz,
      delivered_at timestamptz,
      accepted_at timestamptz,
      cancelled_at timestamptz,
      check ((state = 'ACCEPTED') = (revenue is not null)),
      check (state not in ('DELIVERED', 'ACCEPTED') or internal_cost is not null)
    );
    create index paid_orders_account on paid_orders (account_id);

    -- Free resources spent to win a registered opportunity: pre-sales cost of that deal, never
    -- charged to the operating budget (DOMAIN.md section 5, kind a).
    create table opportunity_investments (
      id uuid primary key default gen_random_uuid(),
      opportunity_id uuid not null references opportunities (id),
      account_id uuid not null references customers (id),
      service_id uuid references expert_services (id),
      cost numeric(20, 2) not null check (cost > 0),
      currency char(3) not null,
      spent_on date not null,
      description text not null check (char_length(description) between 1 and 2000),
      recorded_by uuid not null references users (id),
      created_at timestamptz not null default now()
    );
    create index opportunity_investments_opportunity on opportunity_investments (opportunity_id);

    create table idempotency_keys (
      key text primary key check (char_length(key) between 8 and 200),
      operation text not null,
      request_hash text not null,
      actor_user_id uuid references users (id),
      result_type text,
      result_id text,
      created_at timestamptz not null default now()
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop table idempotency_keys, opportunity_investments, paid_orders, ledger_entries, budget_transfers, booking_people,
      bookings, opportunities, budgets, overrun_policies, operating_ratios, expert_service_prices, expert_service_effects,
      expert_services;
  `);
}
