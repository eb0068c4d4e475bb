// Group commit of bookings on one budget: the bookings that waited while the budget's previous
// call was under way go together as one database call, one transaction (budgets/repository/
// book-in-one-call.ts groups them). Each item is book_in_one_call itself, in the order given, so
// every rule has the one source it had: an item sees the totals the items before it left, takes
// the budget lock the first item took (held to the commit), and writes its own idempotency key,
// booking, RESERVE entry, totals and audit row. It answers a row for each item it booked; an item
// without a row booked nothing and goes the general way, as a lone call's would. N bookings then
// take the budget lock and the commit's flush once instead of N times.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function book_batch_in_one_call(
      p_items jsonb, p_key_account_tiers text[], p_free_service_departments text[]
    ) returns setof bookings language plpgsql as $$
    declare
      item jsonb;
    begin
      for item in select value from jsonb_array_elements(p_items) with ordinality order by ordinality loop
        return query select * from book_in_one_call(
          (item->>'bookingId')::uuid, (item->>'actorUserId')::uuid, item->>'key', item->>'operation',
          item->>'requestHash', item->>'requestId', (item->>'booksAnyAccount')::boolean,
          (item->>'csmPersonId')::uuid, (item->>'accountId')::uuid, (item->>'serviceId')::uuid,
          (item->>'day')::date, (item->>'fiscalYear')::int, (item->>'plannedDate')::date,
          item->>'notes', item->>'exceptionReason',
          array(select jsonb_array_elements_text(item->'personIds'))::uuid[],
          p_key_account_tiers, p_free_service_departments);
      end loop;
    end
    $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop function book_batch_in_one_call(jsonb, text[], text[])`);
}
