// A booking that goes through is written by one database call: the idempotency key, the checks,
// the budget lock, the decision, the booking, its people, the RESERVE entry, the new totals and
// the audit row, in one implicit transaction and one round trip (the budget lock is held for
// that call alone). The call answers no rows instead of refusing: every request it does not book
// (a replay, a key in use, a check that fails, a refusal) goes the general way (budgets/book.ts),
// which is the one source of every refusal and of its stored outcome. What it books, the general
// way would book the same (test/integration/book-in-one-call.test.ts compares the two).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- budgets/rules.ts fundsDecision, for the database: a property test holds them equal.
    create function funds_decision(remaining numeric, amount numeric, policy text) returns text
      language sql immutable parallel safe as $$
        select case when amount = 0 or amount <= remaining then 'FITS'
                    when policy = 'STOP' then 'NEEDS_EXCEPTION'
                    else 'OVERRUN_FLAGGED' end
      $$;

    -- The audit snapshot of a booking as audit/repository.ts writes it from budgets' Booking
    -- (Decimal as its shortest text, instants as ISO UTC with milliseconds).
    create function booking_audit_snapshot(b bookings, person_ids uuid[]) returns jsonb
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

    create function book_in_one_call(
      p_booking_id uuid, p_actor uuid, p_key text, p_operation text, p_request_hash text,
      p_request_id text, p_books_any_account boolean, p_csm_person uuid, p_account uuid,
      p_service uuid, p_day date, p_fiscal_year int, p_planned_date date, p_notes text,
      p_exception_reason text, p_person_ids uuid[], p_key_account_tiers text[],
      p_free_service_departments text[]
    ) returns setof bookings language plpgsql as $$
    declare
      v_customer customers%rowtype;
      v_service expert_services%rowtype;
      v_price expert_service_prices%rowtype;
      v_policy text;
      v_budget budgets%rowtype;
      v_decision text;
      v_booking bookings%rowtype;
    begin
      -- The key first, under the lock idempotency.ts takes for (user, key): a key in use or
      -- already stored is the general way's to answer.
      if not pg_try_advisory_xact_lock(hashtextextended(p_actor::text || ' ' || p_key, 0)) then return; end if;
      perform from idempotency_keys where actor_user_id = p_actor and key = p_key;
      if found then return; end if;

      select * into v_customer from customers where id = p_account;
      if not found or not (p_books_any_account or coalesce(v_customer.csm_person_id = p_csm_person, false)) then
        return;
      end if;
      if not v_customer.tier = any (p_key_account_tiers) then return; end if;
      select * into v_service from expert_services where id = p_service;
      if not found or v_service.kind <> 'FREE' or not v_service.active then return; end if;
      select * into v_price from expert_service_prices
       where service_id = p_service and effective_from <= p_day order by effective_from desc limit 1;
      if not found or v_price.settlement_price is null then return; end if;
      if cardinality(p_person_ids) > 0 and cardinality(p_person_ids) <> (
           select count(*) from people
            where id = any (p_person_ids) and active and department = any (p_free_service_departments))
      then return; end if;
      v_policy := coalesce((select policy from overrun_policies where tier = v_customer.tier), 'STOP');

      -- The lock that makes concurrent bookings on one budget take turns, held to the commit.
      select * into v_budget from budgets
       where account_id = p_account and fiscal_year = p_fiscal_year for no key update;
      if not found or v_budget.closed_at is not null or v_budget.currency <> v_price.currency then return; end if;
      v_decision := funds_decision(v_budget.remaining_amount, v_price.settlement_price, v_policy);
      if v_decision = 'NEEDS_EXCEPTION' and p_exception_reason is null then return; end if;

      insert into idempotency_keys (key, operation, request_hash, actor_user_id, outcome, result_type, result_id)
      values (p_key, p_operation, p_request_hash, p_actor, 'RESULT', 'Booking', p_booking_id::text);
      insert into bookings (id, account_id, budget_id, service_id, requested_by, csm_person_id, planned_date,
                            state, settlement_price, currency, notes, exception_reason, overrun, booked_at)
      values (p_booking_id, p_account, v_budget.id, p_service, p_actor, v_customer.csm_person_id, p_planned_date,
              case when v_decision = 'NEEDS_EXCEPTION' then 'PENDING_APPROVAL' else 'BOOKED' end,
              v_price.settlement_price, v_budget.currency, p_notes, p_exception_reason,
              v_decision = 'OVERRUN_FLAGGED',
              case when v_decision = 'NEEDS_EXCEPTION' then null else now() end)
      returning * into v_booking;
      insert into booking_people (booking_id, person_id, account_id)
      select p_booking_id, person, p_account from unnest(p_person_ids) as person;
      -- A zero price reserves nothing (a ledger entry always moves money); a pending one waits.
      if v_decision <> 'NEEDS_EXCEPTION' and v_price.settlement_price <> 0 then
        insert into ledger_entries (budget_id, account_id, kind, amount, reserved_delta, currency, booking_id, actor_user_id)
        values (v_budget.id, p_account, 'RESERVE', v_price.settlement_price, v_price.settlement_price,
                v_budget.currency, p_booking_id, p_actor);
        update budgets set reserved_amount = reserved_amount + v_price.settlement_price,
                           remaining_amount = remaining_amount - v_price.settlement_price
         where id = v_budget.id;
      end if;
      insert into audit_log (actor_user_id, action, entity_type, entity_id, account_id, before, after, request_id)
      values (p_actor,
              case when v_decision = 'NEEDS_EXCEPTION' then 'booking.requestException' else 'booking.book' end,
              'Booking', p_booking_id::text, p_account, null, booking_audit_snapshot(v_booking, p_person_ids),
              p_request_id);
      return next v_booking;
    end
    $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop function book_in_one_call(uuid, uuid, text, text, text, text, boolean, uuid, uuid, uuid, date, int, date,
                                   text, text, uuid[], text[], text[]);
    drop function booking_audit_snapshot(bookings, uuid[]);
    drop function funds_decision(numeric, numeric, text);
  `);
}
