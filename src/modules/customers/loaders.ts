// The batch loads behind the customers module's GraphQL dataloaders. What they load is checked
// where the GraphQL type says (Customer is accountScoped), wherever it is reached.
import type { UseCaseContext } from '../../shared/context';
import * as repository from './repository';
import type { ChannelPartner, Customer, CustomerFinancials, TierChange } from './repository';

export const customersByIds = (context: UseCaseContext, ids: readonly string[]): Promise<Customer[]> =>
  repository.findCustomersByIds(context.db, ids);

export const channelPartnersByIds = (
  context: UseCaseContext,
  ids: readonly string[],
): Promise<ChannelPartner[]> => repository.findChannelPartnersByIds(context.db, ids);

/** The tier history of each account, newest first. */
export const tierHistoriesOfAccounts = (
  context: UseCaseContext,
  accountIds: readonly string[],
): Promise<TierChange[]> => repository.findTierHistories(context.db, accountIds);

/** The tiering figures of each account, newest fiscal year first. */
export const financialsOfAccounts = (
  context: UseCaseContext,
  accountIds: readonly string[],
): Promise<CustomerFinancials[]> => repository.findFinancials(context.db, accountIds);
