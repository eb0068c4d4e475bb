// The roll-up job: moves queued ledger entries into the two rollups in one statement per batch,
// deleting them from the queue in the same transaction (exactly once). One roller at a time
// (advisory lock). If the fiscal calendar differs from the one the rollups were built with,
// they are rebuilt from the whole ledger.
import type { Database } from '../../db/knex';
import { inTransaction } from '../../db/transaction';
import type { FiscalCalendar } from '../../shared/fiscal';
import { EFFECT_RANKS_CTE, share } from './allocation/repository';

export const ROLLUP_BATCH_MAX = 50_000;
const LOCK_KEY = 'ledger-rollup';

/** Rolls up one batch; returns how many entries it moved (0 when the queue is empty or another roller holds the lock). */
export async function rollUpBatch(
  db: Database,
  calendar: FiscalCalendar,
  batchSize = ROLLUP_BATCH_MAX,
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const locked = (await trx.raw('select pg_try_advisory_xact_lock(hashtext(?)) as ok', [LOCK_KEY])).rows[0]
      .ok as boolean;
    if (!locked) return 0;
    const state = (
      await trx.raw('select time_zone, start_month from ledger_rollup_state where id = 1 for update')
    ).rows[0];
    if (state.time_zone !== calendar.timeZone || state.start_month !== calendar.startMonth) {
      await trx.raw('truncate ledger_rollup_effects, ledger_rollup_budgets');
      await trx.raw(
        'insert into ledger_rollup_queue (entry_id) select id from ledger_entries on conflict do nothing',
      );
      await trx.raw('update ledger_rollup_state set time_zone = ?, start_month = ? where id = 1', [
        calendar.timeZone,
        calendar.startMonth,
      ]);
    }
    const result = await trx.raw(
      `with ${EFFECT_RANKS_CTE},
       batch as (
         delete from ledger_rollup_queue
          where entry_id in (select entry_id from ledger_rollup_queue order by entry_id limit ?)
          returning entry_id
       ), entries as (
         select e.*, date_trunc('month', e.created_at at time zone ?)::date as month, b.service_id,
                bu.fiscal_year as budget_year
           from ledger_entries e
           join batch q on q.entry_id = e.id
           join budgets bu on bu.id = e.budget_id
           left join bookings b on b.id = e.booking_id
       ), effects as (
         insert into ledger_rollup_effects as r (month, tier, service_id, kind, effect, budget_year, allocated, reserved, spent, entries)
         select e.month, e.tier, e.service_id, e.kind, x.effect, e.budget_year,
                sum(${share('e.allocated_delta')}), sum(${share('e.reserved_delta')}), sum(${share('e.spent_delta')}),
                sum(case when x.rank is null or x.rank = 1 then 1 else 0 end)
           from entries e left join effect_ranks x on x.service_id = e.service_id
          group by 1, 2, 3, 4, 5, 6
         on conflict on constraint ledger_rollup_effects_key do update
           set allocated = r.allocated + excluded.allocated, reserved = r.reserved + excluded.reserved,
               spent = r.spent + excluded.spent, entries = r.entries + excluded.entries
         returning 1
       ), budgets as (
         insert into ledger_rollup_budgets as r (budget_id, month, account_id, allocated, reserved, spent, spend_entries)
         select budget_id, month, account_id, sum(allocated_delta), sum(reserved_delta), sum(spent_delta),
                count(*) filter (where spent_delta <> 0)
           from entries group by 1, 2, 3
         on conflict (budget_id, month) do update
           set allocated = r.allocated + excluded.allocated, reserved = r.reserved + excluded.reserved,
               spent = r.spent + excluded.spent, spend_entries = r.spend_entries + excluded.spend_entries
         returning 1
       )
       select (select count(*) from batch) as moved, (select count(*) from effects) as effect_rows, (select count(*) from budgets) as budget_rows`,
      [batchSize, calendar.timeZone],
    );
    return Number(result.rows[0].moved);
  });
}

/** Rolls up until the queue is empty (or another roller has it). */
export async function rollUpAll(db: Database, calendar: FiscalCalendar): Promise<number> {
  let total = 0;
  while (true) {
    const moved = await rollUpBatch(db, calendar);
    total += moved;
    if (moved < ROLLUP_BATCH_MAX) return total;
  }
}
