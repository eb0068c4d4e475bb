// The batch loads behind the routing module's GraphQL dataloaders.
import type { UseCaseContext } from '../../shared/context';
import * as repository from './repository';
import type { DeliveryProject } from './repository';

export type { DeliveryProject };

/** The delivery projects of each account. */
export const projectsOfAccounts = (
  context: UseCaseContext,
  accountIds: readonly string[],
): Promise<DeliveryProject[]> => repository.findProjectsByAccounts(context.db, accountIds);
