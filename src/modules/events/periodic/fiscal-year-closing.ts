// fiscal_year.closing: from 30 days before the fiscal year ends, each open budget of that year
// announces what it leaves unused (allocated − reserved − spent), once per budget and year.
import { DateTime } from 'luxon';
import { fiscalYearOfDate, fiscalYearRange, today } from '../../../shared/fiscal';
import type { UseCaseContext } from '../../../shared/context';

export const CLOSING_NOTICE_DAYS = 30;

export async function announceFiscalYearClosing(
  context: Pick<UseCaseContext, 'db' | 'fiscalCalendar'>,
): Promise<number> {
  const day = today(context);
  const fiscalYear = fiscalYearOfDate(context.fiscalCalendar, day);
  const range = fiscalYearRange(context.fiscalCalendar, fiscalYear);
  const lastDay = range.end.setZone(context.fiscalCalendar.timeZone).minus({ days: 1 }).toISODate()!;
  const noticeFrom = DateTime.fromISO(lastDay)
    .minus({ days: CLOSING_NOTICE_DAYS - 1 })
    .toISODate()!;
  if (day < noticeFrom) return 0;
  const result = await context.db.raw(
    `insert into events (type, account_id, payload, dedupe_key)
       select 'fiscal_year.closing', b.account_id,
              jsonb_build_object('budgetId', b.id, 'fiscalYear', b.fiscal_year, 'lastDay', ?::text,
                'allocated', b.allocated_amount::text, 'used', (b.reserved_amount + b.spent_amount)::text,
                'unused', b.remaining_amount::text, 'currency', rtrim(b.currency)),
              'fiscal_year.closing:' || b.fiscal_year || ':' || b.id
         from budgets b
        where b.fiscal_year = ? and b.closed_at is null
        order by b.account_id
     on conflict (dedupe_key) where dedupe_key is not null do nothing`,
    [lastDay, fiscalYear],
  );
  return result.rowCount ?? 0;
}
