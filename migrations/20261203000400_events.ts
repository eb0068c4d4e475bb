// Events: what happened to an account's money, stored durably in the transaction that caused it,
// for the notification feed (and, later, outbound webhooks). They are written by triggers, so
// every path that changes a budget, a booking or a transfer (the TypeScript use cases and the
// one-call SQL functions alike) produces them, under the same row locks, exactly once:
// - budget.threshold_crossed / budget.threshold_resolved when allocated, reserved or spent moves
//   used (reserved + spent) across one of the tier's thresholds (percent of allocated), up or
//   back down; nothing while the budget is being closed (its lapse is not spending);
// - booking.exception_requested / booking.exception_decided, reservation.expired;
// - budget_transfer.requested / budget_transfer.decided, for the giving account (the payload names
//   no budget of the receiving one: its CSM-readers differ; the transfer's own fields check that).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table events (
      id bigint generated always as identity primary key,
      type text not null check (type in ('budget.threshold_crossed', 'budget.threshold_resolved',
        'booking.exception_requested', 'booking.exception_decided', 'reservation.expired',
        'budget_transfer.requested', 'budget_transfer.decided')),
      occurred_at timestamptz not null default clock_timestamp(),
      account_id uuid not null references customers (id),
      payload jsonb not null
    );
    create index events_account on events (account_id, id);

    create table event_reads (
      user_id uuid not null references users (id),
      event_id bigint not null references events (id),
      read_at timestamptz not null default now(),
      primary key (user_id, event_id)
    );

    -- The percentages of allocated at which a key-account tier's budgets alert (FINANCE sets them).
    create table budget_alert_thresholds (
      tier char(1) primary key check (tier in ('A', 'C')),
      percents numeric(5, 2)[] not null check (cardinality(percents) <= 10),
      updated_by uuid references users (id),
      updated_at timestamptz not null default now()
    );
    insert into budget_alert_thresholds (tier, percents) values ('A', '{75,90,100}'), ('C', '{75,90,100}');

    -- Has used reached t percent of allocated? A budget with nothing allocated has reached every
    -- threshold once anything is used.
    create function budget_threshold_reached(used numeric, allocated numeric, t numeric) returns boolean
      language sql immutable as $$
        select case when allocated <= 0 then used > 0 else used * 100 >= t * allocated end
      $$;

    create function budget_threshold_events() returns trigger language plpgsql as $$
    declare
      v_percents numeric[];
      v_t numeric;
      v_old_used numeric := old.reserved_amount + old.spent_amount;
      v_new_used numeric := new.reserved_amount + new.spent_amount;
      v_type text;
    begin
      if coalesce(current_setting('ledger.closing_budget', true), '') = new.id::text then return null; end if;
      select t.percents into v_percents
        from customers c join budget_alert_thresholds t on t.tier = c.tier where c.id = new.account_id;
      if v_percents is null then return null; end if;
      foreach v_t in array v_percents loop
        v_type := case
          when not budget_threshold_reached(v_old_used, old.allocated_amount, v_t)
               and budget_threshold_reached(v_new_used, new.allocated_amount, v_t) then 'budget.threshold_crossed'
          when budget_threshold_reached(v_old_used, old.allocated_amount, v_t)
               and not budget_threshold_reached(v_new_used, new.allocated_amount, v_t) then 'budget.threshold_resolved'
        end;
        if v_type is not null then
          insert into events (type, account_id, payload) values (v_type, new.account_id, jsonb_build_object(
            'budgetId', new.id, 'fiscalYear', new.fiscal_year, 'thresholdPercent', trim_scale(v_t)::text,
            'allocated', new.allocated_amount::text, 'used', v_new_used::text,
            'remaining', new.remaining_amount::text, 'currency', rtrim(new.currency)));
        end if;
      end loop;
      return null;
    end
    $$;
    create trigger budgets_threshold_events after update of allocated_amount, reserved_amount, spent_amount on budgets
      for each row when (old.allocated_amount is distinct from new.allocated_amount
                         or old.reserved_amount + old.spent_amount is distinct from new.reserved_amount + new.spent_amount)
      execute function budget_threshold_events();

    create function booking_events() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        if new.state = 'PENDING_APPROVAL' then
          insert into events (type, account_id, payload) values ('booking.exception_requested', new.account_id,
            jsonb_build_object('bookingId', new.id, 'budgetId', new.budget_id, 'serviceId', new.service_id,
              'settlementPrice', new.settlement_price::text, 'currency', rtrim(new.currency),
              'reason', new.exception_reason, 'requestedBy', new.requested_by));
        end if;
      elsif old.state = 'PENDING_APPROVAL' and new.state in ('BOOKED', 'REJECTED') then
        insert into events (type, account_id, payload) values ('booking.exception_decided', new.account_id,
          jsonb_build_object('bookingId', new.id, 'budgetId', new.budget_id, 'approved', new.state = 'BOOKED',
            'decidedBy', new.exception_decided_by, 'reason', new.exception_decision_reason));
      elsif old.state = 'BOOKED' and new.state = 'EXPIRED' then
        insert into events (type, account_id, payload) values ('reservation.expired', new.account_id,
          jsonb_build_object('bookingId', new.id, 'budgetId', new.budget_id,
            'plannedDate', to_char(new.planned_date, 'YYYY-MM-DD'), 'released', new.settlement_price::text,
            'currency', rtrim(new.currency)));
      end if;
      return null;
    end
    $$;
    create trigger bookings_events after insert or update of state on bookings
      for each row execute function booking_events();

    create function transfer_events() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into events (type, account_id, payload) values ('budget_transfer.requested', new.account_id,
          jsonb_build_object('transferId', new.id, 'fromBudgetId', new.from_budget_id,
            'amount', new.amount::text, 'currency', rtrim(new.currency), 'requestedBy', new.requested_by));
      elsif old.state = 'REQUESTED' and new.state <> 'REQUESTED' then
        insert into events (type, account_id, payload) values ('budget_transfer.decided', new.account_id,
          jsonb_build_object('transferId', new.id, 'approved', new.state = 'APPROVED', 'decidedBy', new.decided_by, 'reason', new.decision_reason,
            'amount', new.amount::text, 'currency', rtrim(new.currency)));
      end if;
      return null;
    end
    $$;
    create trigger budget_transfers_events after insert or update of state on budget_transfers
      for each row execute function transfer_events();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger budget_transfers_events on budget_transfers;
    drop trigger bookings_events on bookings;
    drop trigger budgets_threshold_events on budgets;
    drop function transfer_events(), booking_events(), budget_threshold_events();
    drop function budget_threshold_reached(numeric, numeric, numeric);
    drop table budget_alert_thresholds, event_reads, events;
  `);
}
