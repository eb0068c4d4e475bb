// The batch loads behind the budgets module's GraphQL dataloaders: one query per batch of ids.
// What they load is checked where the GraphQL type says (accountScoped), wherever it is reached.
import type { UseCaseContext } from '../../shared/context';
import * as repository from './repository';
import type { Booking, Budget } from './repository';

export const budgetsByIds = (context: UseCaseContext, ids: readonly string[]): Promise<Budget[]> =>
  repository.findBudgetsByIds(context.db, ids);

export const bookingsByIds = (context: UseCaseContext, ids: readonly string[]): Promise<Booking[]> =>
  repository.findBookingsByIds(context.db, ids);

/** The people delivering each booking. */
export const peopleOfBookings = (
  context: UseCaseContext,
  bookingIds: readonly string[],
): Promise<{ bookingId: string; personId: string }[]> => repository.findBookingPeople(context.db, bookingIds);
