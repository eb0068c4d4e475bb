// What an account holds of the key-account resources this module owns (open free-service
// bookings, budgets with funds left), counted for the customers module: a tier change out of A/C
// refuses while any remain. The caller passes its transaction, which holds the account's row lock.
import type { Queryable } from '../../db/transaction';
import { countOpenBookings } from './repository/bookings';
import { countBudgetsWithFunds } from './repository/budgets';

export async function countOpenKeyAccountCommitments(
  db: Queryable,
  accountId: string,
): Promise<{ openBookings: number; budgetsWithFunds: number }> {
  return {
    openBookings: await countOpenBookings(db, accountId),
    budgetsWithFunds: await countBudgetsWithFunds(db, accountId),
  };
}
