// The batch loads behind the catalog's GraphQL dataloaders: one query per batch of ids.
import type { UseCaseContext } from '../../shared/context';
import * as repository from './repository';
import type { ExpertService, ServicePrice } from './repository';

export type { ExpertService, ServicePrice };

export const servicesByIds = (context: UseCaseContext, ids: readonly string[]): Promise<ExpertService[]> =>
  repository.findServicesByIds(context.db, ids);

/** Every price of the services, newest first. */
export const pricesOfServices = (context: UseCaseContext, ids: readonly string[]): Promise<ServicePrice[]> =>
  repository.findPrices(context.db, ids);
