// The batch loads behind the outcomes module's GraphQL dataloaders. A contributing booking is
// loaded through the budgets module and checked like any booking (its type is accountScoped).
import type { UseCaseContext } from '../../shared/context';
import { bookingsByIds } from '../budgets/loaders';
import type { Booking } from '../budgets/service';
import * as repository from './repository';
import type { Assessment, Investment, Opportunity } from './repository';

export type { Assessment, Investment, Opportunity };

export const opportunitiesOfAccounts = (
  context: UseCaseContext,
  accountIds: readonly string[],
): Promise<Opportunity[]> => repository.findOpportunitiesByAccounts(context.db, accountIds);

export const investmentsOfOpportunities = (
  context: UseCaseContext,
  opportunityIds: readonly string[],
): Promise<Investment[]> => repository.findInvestments(context.db, opportunityIds);

export const assessmentsOfAccounts = (
  context: UseCaseContext,
  accountIds: readonly string[],
): Promise<Assessment[]> => repository.findAssessments(context.db, accountIds);

/** The links between the opportunities and the bookings that contributed to them. */
export const bookingLinksOfOpportunities = (
  context: UseCaseContext,
  opportunityIds: readonly string[],
): Promise<{ opportunityId: string; bookingId: string }[]> =>
  repository.findLinkedBookingIds(context.db, opportunityIds);

/** The bookings that contributed to each opportunity, with the opportunity beside each. */
export async function bookingsOfOpportunities(
  context: UseCaseContext,
  opportunityIds: readonly string[],
): Promise<(Booking & { opportunityId: string })[]> {
  const links = await bookingLinksOfOpportunities(context, opportunityIds);
  const found = await bookingsByIds(context, [...new Set(links.map((l) => l.bookingId))]);
  const byId = new Map(found.map((booking) => [booking.id, booking]));
  return links.flatMap((link) => {
    const booking = byId.get(link.bookingId);
    return booking ? [{ ...booking, opportunityId: link.opportunityId }] : [];
  });
}
