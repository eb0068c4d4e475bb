// Delivering, cancelling and deciding the exception of a booking, each as one database call, the
// shape of book_in_one_call: the key, the budget lock, the booking lock, the transition, the
// ledger entries, the new totals, the booking's new state and the audit row in one implicit
// transaction and one round trip. As there, the call answers no rows instead of refusing, and
// the general way (budgets/deliver.ts, cancel.ts, decide-exception.ts) answers every request it
// leaves: replays, keys in use, refusals. The transitions it may make are given by the caller
// (rules.ts); test/integration/change-in-one-call.test.ts holds it equal to the general way.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function iso_utc(t timestamptz) returns text language sql immutable as $$
      select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    $$;

    -- A booking as the audit writes budgets' Booking (Decimal as its shortest text, instants ISO UTC).
    create function booking_snapshot(b bookings) returns jsonb language sql immutable as $$
      select jsonb_build_object(
        'id', b.id, 'accountId', b.account_id, 'budgetId', b.budget_id, 'serviceId', b.service_id,
        'requestedBy', b.requested_by, 'csmPersonId', b.csm_person_id,
        'plannedDate', to_char(b.planned_date, 'YYYY-MM-DD'), 'state', b.state,
        'settlementPrice', trim_scale(b.settlement_price)::text, 'actualCost', trim_scale(b.actual_cost)::text,
        'currency', rtrim(b.currency), 'notes', b.notes, 'exceptionReason', b.exception_reason,
        'exceptionDecidedBy', b.exception_decided_by, 'exceptionDecisionReason', b.exception_decision_reason,
        'overrun', b.overrun, 'createdAt', iso_utc(b.created_at), 'deliveredAt', iso_utc(b.delivered_at),
        'closedAt', iso_utc(b.closed_at))
    $$;

    -- The booking call's snapshot (20261203000100) becomes this one plus the people, so a
    -- booking's audit shape is written once.
    create or replace function booking_audit_snapshot(b bookings, person_ids uuid[]) returns jsonb
      language sql immutable as $$
        select booking_snapshot(b) || jsonb_build_object('personIds', to_jsonb(person_ids::text[]))
      $$;

    create function change_booking_in_one_call(
      p_operation text, p_booking_id uuid, p_actor uuid, p_key text, p_request_hash text, p_request_id text,
      p_any_account boolean, p_csm_person uuid, p_from_states text[], p_actual_cost numeric, p_reason text,
      p_approve boolean
    ) returns setof bookings language plpgsql as $$
    declare
      v_before bookings%rowtype;
      v_after bookings%rowtype;
      v_customer customers%rowtype;
      v_budget budgets%rowtype;
      v_price numeric;
      v_cost numeric := 0;
      v_reserve numeric := 0;
      v_release numeric := 0;
      v_action text;
    begin
      if p_operation not in ('deliverBooking', 'cancelBooking', 'decideBookingException') then
        raise exception 'change_booking_in_one_call: unknown operation %', p_operation;
      end if;
      if not pg_try_advisory_xact_lock(hashtextextended(p_actor::text || ' ' || p_key, 0)) then return; end if;
      perform from idempotency_keys where actor_user_id = p_actor and key = p_key;
      if found then return; end if;

      select * into v_before from bookings where id = p_booking_id;
      if not found then return; end if;
      select * into v_customer from customers where id = v_before.account_id;
      if not (p_any_account or coalesce(v_customer.csm_person_id = p_csm_person, false)) then return; end if;
      -- Budget first, then the booking, as every money path locks them.
      select * into v_budget from budgets where id = v_before.budget_id for no key update;
      select * into v_before from bookings where id = p_booking_id for no key update;
      if not v_before.state = any (p_from_states) then return; end if;
      v_price := v_before.settlement_price;

      if p_operation = 'deliverBooking' then
        v_cost := coalesce(p_actual_cost, v_price);
        v_release := v_price;
        if v_release <> 0 then
          insert into ledger_entries (budget_id, account_id, kind, amount, reserved_delta, currency, booking_id, actor_user_id)
          values (v_budget.id, v_before.account_id, 'RELEASE', v_release, -v_release, v_budget.currency, p_booking_id, p_actor);
        end if;
        if v_cost <> 0 then
          insert into ledger_entries (budget_id, account_id, kind, amount, spent_delta, currency, booking_id, actor_user_id)
          values (v_budget.id, v_before.account_id, 'SPEND', v_cost, v_cost, v_budget.currency, p_booking_id, p_actor);
        end if;
        -- Delivered work is a fact: its cost is posted even past the budget, and flagged.
        update bookings set state = 'DELIVERED', actual_cost = v_cost,
                            overrun = v_before.overrun or v_cost > v_budget.remaining_amount + v_price,
                            delivered_at = now(), closed_at = now()
         where id = p_booking_id returning * into v_after;
        v_action := 'booking.deliver';
      elsif p_operation = 'cancelBooking' then
        if v_before.state = 'BOOKED' and v_price <> 0 then
          v_release := v_price;
          insert into ledger_entries (budget_id, account_id, kind, amount, reserved_delta, currency, booking_id, reason, actor_user_id)
          values (v_budget.id, v_before.account_id, 'RELEASE', v_release, -v_release, v_budget.currency, p_booking_id, p_reason, p_actor);
        end if;
        update bookings set state = 'CANCELLED', closed_at = now() where id = p_booking_id returning * into v_after;
        v_action := 'booking.cancel';
      elsif p_approve then
        -- A pending booking has a price above zero (a zero price always fits); anything else is
        -- the general way's to answer.
        if v_price = 0 then return; end if;
        v_reserve := v_price;
        insert into ledger_entries (budget_id, account_id, kind, amount, reserved_delta, currency, booking_id, reason, actor_user_id)
        values (v_budget.id, v_before.account_id, 'RESERVE', v_reserve, v_reserve, v_budget.currency, p_booking_id,
                'exception approved: ' || v_before.exception_reason || coalesce(' (' || p_reason || ')', ''), p_actor);
        update bookings set state = 'BOOKED', booked_at = now(), exception_decided_by = p_actor,
                            exception_decision_reason = p_reason, overrun = v_price > v_budget.remaining_amount
         where id = p_booking_id returning * into v_after;
        v_action := 'booking.approveException';
      else
        update bookings set state = 'REJECTED', closed_at = now(), exception_decided_by = p_actor,
                            exception_decision_reason = p_reason, overrun = false
         where id = p_booking_id returning * into v_after;
        v_action := 'booking.rejectException';
      end if;

      if v_reserve <> 0 or v_release <> 0 or v_cost <> 0 then
        update budgets set reserved_amount = reserved_amount + v_reserve - v_release,
                           spent_amount = spent_amount + v_cost,
                           remaining_amount = remaining_amount - v_reserve + v_release - v_cost
         where id = v_budget.id;
      end if;
      insert into idempotency_keys (key, operation, request_hash, actor_user_id, outcome, result_type, result_id)
      values (p_key, p_operation, p_request_hash, p_actor, 'RESULT', 'Booking', p_booking_id::text);
      insert into audit_log (actor_user_id, action, entity_type, entity_id, account_id, before, after, request_id)
      values (p_actor, v_action, 'Booking', p_booking_id::text, v_before.account_id, booking_snapshot(v_before),
              case when p_operation = 'cancelBooking' then booking_snapshot(v_after) || jsonb_build_object('reason', p_reason)
                   else booking_snapshot(v_after) end,
              p_request_id);
      return next v_after;
    end
    $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function change_booking_in_one_call(text, uuid, uuid, text, text, text, boolean, uuid, text[], numeric, text, boolean);
    create or replace function booking_audit_snapshot(b bookings, person_ids uuid[]) returns jsonb
      language sql immutable as $$
        select jsonb_build_object(
          'id', b.id, 'accountId', b.account_id, 'budgetId', b.budget_id, 'serviceId', b.service_id,
          'requestedBy', b.requested_by, 'csmPersonId', b.csm_person_id,
          'plannedDate', to_char(b.planned_date, 'YYYY-MM-DD'), 'state', b.state,
          'settlementPrice', trim_scale(b.settlement_price)::text, 'actualCost', null,
          'currency', rtrim(b.currency), 'notes', b.notes, 'exceptionReason', b.exception_reason,
          'exceptionDecidedBy', null, 'exceptionDecisionReason', null, 'overrun', b.overrun,
          'createdAt', to_char(b.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'deliveredAt', null, 'closedAt', null, 'personIds', to_jsonb(person_ids::text[]))
      $$;
    drop function booking_snapshot(bookings);
    drop function iso_utc(timestamptz);
  `);
}
