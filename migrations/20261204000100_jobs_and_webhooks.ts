// Background work on graphile-worker (its own schema, installed by src/db/migrate.ts before these
// migrations), the periodic events, and outbound webhooks:
// - job_runs: one row per run of a periodic job (which instance, when, what it did), so operators
//   and tests see that a period's job ran once;
// - worker_liveness: each instance's graphile worker ids beside the database session that proves
//   the instance alive; a dead instance's locked jobs are released at once (src/jobs/liveness.ts)
//   instead of after graphile-worker's 4 hours;
// - events gain the periodic types and a dedupe key (a daily check that runs again writes nothing);
//   budget_forecast_alerts remembers which budgets are forecast to run out, so the event fires on
//   the first such forecast, and again only after the budget was back on track;
// - webhook_endpoints / webhook_deliveries / webhook_attempts: ADMIN's endpoints, one delivery per
//   event and endpoint, every attempt. A new event's deliveries and their jobs are written by a
//   trigger in the transaction that wrote the event: the queue is the outbox.
import type { Knex } from 'knex';

const EVENT_TYPES = [
  'budget.threshold_crossed',
  'budget.threshold_resolved',
  'budget.forecast_overrun',
  'booking.exception_requested',
  'booking.exception_decided',
  'reservation.expiring',
  'reservation.expired',
  'budget_transfer.requested',
  'budget_transfer.decided',
  'fiscal_year.closing',
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table job_runs (
      id bigint generated always as identity primary key,
      task text not null,
      instance_id text not null,
      started_at timestamptz not null,
      finished_at timestamptz not null default clock_timestamp(),
      outcome text not null check (outcome in ('DONE', 'FAILED')),
      detail jsonb not null default '{}'
    );
    create index job_runs_task on job_runs (task, started_at);

    create table worker_liveness (
      worker_id text primary key,
      instance_id text not null,
      backend_pid integer not null,
      backend_start timestamptz not null,
      registered_at timestamptz not null default now()
    );

    alter table events drop constraint events_type_check;
    alter table events add constraint events_type_check check (type in (${EVENT_TYPES.map((t) => `'${t}'`).join(', ')}));
    alter table events add column dedupe_key text;
    create unique index events_dedupe_key on events (dedupe_key) where dedupe_key is not null;

    create table budget_forecast_alerts (
      budget_id uuid primary key references budgets (id),
      since date not null,
      run_out_date date
    );

    create table webhook_endpoints (
      id uuid primary key default gen_random_uuid(),
      url text not null check (url ~ '^https\\?://'),
      description text not null default '',
      event_types text[] not null default '{}',
      secret text not null check (secret like 'whsec_%'),
      previous_secret text check (previous_secret like 'whsec_%'),
      previous_secret_expires_at timestamptz,
      enabled boolean not null default true,
      disabled_reason text,
      disabled_at timestamptz,
      consecutive_failures integer not null default 0,
      failing_since timestamptz,
      created_by uuid not null references users (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((previous_secret is null) = (previous_secret_expires_at is null)),
      check (enabled = (disabled_at is null))
    );

    create table webhook_deliveries (
      id bigint generated always as identity primary key,
      endpoint_id uuid not null references webhook_endpoints (id),
      event_id bigint not null references events (id),
      state text not null default 'PENDING' check (state in ('PENDING', 'SUCCEEDED', 'FAILED')),
      attempt_count integer not null default 0,
      first_attempt_at timestamptz,
      next_attempt_at timestamptz,
      last_status_code integer,
      last_error text,
      redelivery_of bigint references webhook_deliveries (id),
      requested_by uuid references users (id),
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      check ((state = 'PENDING') = (finished_at is null))
    );
    create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, id);

    create table webhook_attempts (
      id bigint generated always as identity primary key,
      delivery_id bigint not null references webhook_deliveries (id),
      attempt integer not null,
      started_at timestamptz not null,
      duration_ms integer not null,
      status_code integer,
      error text,
      unique (delivery_id, attempt)
    );

    -- The job that attempts one delivery at p_run_at (its id as text: bigint ids stay exact in
    -- JSON); its key replaces a job of that delivery still waiting, so each has one at a time.
    create function enqueue_webhook_delivery(p_delivery_id bigint, p_run_at timestamptz default now())
      returns void language sql as $$
      select graphile_worker.add_job('deliver_webhook', json_build_object('deliveryId', p_delivery_id::text),
        run_at := p_run_at, job_key := 'webhook-delivery:' || p_delivery_id, job_key_mode := 'replace')
    $$;

    create function event_webhook_deliveries() returns trigger language plpgsql as $$
    declare
      v_delivery bigint;
    begin
      for v_delivery in
        insert into webhook_deliveries (endpoint_id, event_id)
          select e.id, new.id from webhook_endpoints e
          where e.enabled and (cardinality(e.event_types) = 0 or new.type = any (e.event_types))
          returning id
      loop
        perform enqueue_webhook_delivery(v_delivery);
      end loop;
      return null;
    end
    $$;
    create trigger events_webhook_deliveries after insert on events
      for each row execute function event_webhook_deliveries();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger events_webhook_deliveries on events;
    drop function event_webhook_deliveries(), enqueue_webhook_delivery(bigint, timestamptz);
    drop table webhook_attempts, webhook_deliveries, webhook_endpoints, budget_forecast_alerts;
    delete from events where type in ('budget.forecast_overrun', 'reservation.expiring', 'fiscal_year.closing');
    drop index events_dedupe_key;
    alter table events drop column dedupe_key;
    alter table events drop constraint events_type_check;
    alter table events add constraint events_type_check check (type in (${EVENT_TYPES.filter(
      (t) => !['budget.forecast_overrun', 'reservation.expiring', 'fiscal_year.closing'].includes(t),
    )
      .map((t) => `'${t}'`)
      .join(', ')}));
    drop table worker_liveness, job_runs;
  `);
}
