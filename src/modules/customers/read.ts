// Reading accounts: each checks who may read the account (a CSM their own) before it answers.
import type { UseCaseContext } from '../../shared/context';
import type { DateTime } from 'luxon';
import {
  isStringPairKey,
  keysetConnection,
  type Connection,
  type ConnectionArgs,
} from '../../shared/pagination';
import { loadReadableAccount, csmScope } from './access';
import * as repository from './repository';
import type { Customer, TierChange } from './repository';
import { type Tier } from './rules';

export async function tierHistory(context: UseCaseContext, accountId: string): Promise<TierChange[]> {
  const customer = await loadReadableAccount(context, context.db, accountId, 'accountId');
  return repository.findTierHistories(context.db, [customer.id]);
}

/** One account the caller may read (NOT_FOUND otherwise, as for an unknown id). */
export async function readCustomer(context: UseCaseContext, accountId: string): Promise<Customer> {
  return loadReadableAccount(context, context.db, accountId, 'id');
}

/** A page of accounts by name; a CSM sees only their own. `keyTiers` narrows to key or other accounts. */
export async function listCustomers(
  context: UseCaseContext,
  page: ConnectionArgs,
  filter: Omit<repository.CustomerFilter, 'visibleToCsmPersonId' | 'tiers'> & {
    tiers?: readonly Tier[] | null;
    keyTiers: readonly Tier[] | null;
  },
): Promise<Connection<Customer>> {
  const visibleToCsmPersonId = csmScope(context.actor);
  const { keyTiers, ...rest } = filter;
  const tiers =
    filter.tiers && keyTiers
      ? filter.tiers.filter((tier) => keyTiers.includes(tier))
      : (filter.tiers ?? keyTiers);
  return keysetConnection(
    page,
    { of: (c: Customer) => [c.name, c.id] as [string, string], is: isStringPairKey },
    async (request) =>
      // keyAccount and tiers that exclude each other match nothing.
      tiers && tiers.length === 0
        ? []
        : repository.listCustomers(context.db, { ...rest, tiers, visibleToCsmPersonId }, request),
    async () =>
      tiers && tiers.length === 0
        ? 0
        : repository.countCustomers(context.db, { ...rest, tiers, visibleToCsmPersonId }),
  );
}

/** The tier an account held at an instant (null before it existed); the caller has read the account. */
export function tierAsOf(context: UseCaseContext, accountId: string, at: DateTime): Promise<Tier | null> {
  return repository.findTierAsOf(context.db, accountId, at);
}
