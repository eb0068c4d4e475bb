// reservation.expiring: a booking still BOOKED that lapses within the next 3 days (the sweep
// releases a booking on the day after its planned date + the lapse days), once per booking.
import { addDays, today } from '../../../shared/fiscal';
import type { UseCaseContext } from '../../../shared/context';

export const EXPIRING_NOTICE_DAYS = 3;

export async function announceExpiringReservations(
  context: Pick<UseCaseContext, 'db' | 'config' | 'fiscalCalendar'>,
): Promise<number> {
  const lapseDays = context.config.reservationLapseDays;
  // Lapsed once planned_date < today - lapseDays; lapsing within N days: planned_date < today - lapseDays + N.
  const firstUnlapsed = addDays(today(context), -lapseDays);
  const result = await context.db.raw(
    `insert into events (type, account_id, payload, dedupe_key)
       select 'reservation.expiring', b.account_id,
              jsonb_build_object('bookingId', b.id, 'budgetId', b.budget_id, 'serviceId', b.service_id,
                'plannedDate', to_char(b.planned_date, 'YYYY-MM-DD'),
                'lapsesOn', to_char(b.planned_date + ?::int + 1, 'YYYY-MM-DD'),
                'reserved', b.settlement_price::text, 'currency', rtrim(b.currency)),
              'reservation.expiring:' || b.id
         from bookings b
        where b.state = 'BOOKED' and b.planned_date >= ?::date and b.planned_date < ?::date + ?::int
        order by b.planned_date, b.id
     on conflict (dedupe_key) where dedupe_key is not null do nothing`,
    [lapseDays, firstUnlapsed, firstUnlapsed, EXPIRING_NOTICE_DAYS],
  );
  return result.rowCount ?? 0;
}
