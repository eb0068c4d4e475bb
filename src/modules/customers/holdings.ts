// Key-account commitments other modules hold for an account (open free-service bookings, budgets
// with funds left), counted so a tier change out of A/C can refuse while any remain.
import type { Queryable } from '../../db/transaction';

export async function countOpenKeyAccountCommitments(
  db: Queryable,
  accountId: string,
): Promise<{ openBookings: number; budgetsWithFunds: number }> {
  const result = await db.raw(
    `select
       (select count(*) from bookings where account_id = ? and state in ('BOOKED', 'PENDING_APPROVAL'))::int as open_bookings,
       (select count(*) from budgets where account_id = ? and remaining_amount > 0 and closed_at is null)::int as budgets_with_funds`,
    [accountId, accountId],
  );
  const row = result.rows[0] as { open_bookings: number; budgets_with_funds: number };
  return { openBookings: row.open_bookings, budgetsWithFunds: row.budgets_with_funds };
}
