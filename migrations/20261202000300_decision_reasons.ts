// A sales leader approves or rejects a booking exception or a budget transfer with a reason the
// requester reads (the console asks for one). Optional: decisions made before had none.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`alter table bookings add column exception_decision_reason text
    check (exception_decision_reason is null or length(exception_decision_reason) between 1 and 1000)`);
  await knex.raw(`alter table budget_transfers add column decision_reason text
    check (decision_reason is null or length(decision_reason) between 1 and 1000)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table bookings drop column exception_decision_reason');
  await knex.raw('alter table budget_transfers drop column decision_reason');
}
