// Reading the catalog: the list, free services picked by effect, and the price in force today.
// The catalog is set-up data every signed-in role may read (the fields say so).
import type { UseCaseContext } from '../../shared/context';
import { today } from '../../shared/fiscal';
import * as repository from './repository';
import type { ExpertService, ServicePrice } from './repository';
import type { Effect, ServiceKind } from './rules';

/** The most services one list answers. */
export const SERVICES_LIST_MAX = 500;

export function listServices(
  context: UseCaseContext,
  filter: { kind?: ServiceKind | null; effectsAny?: readonly Effect[] | null; includeRetired: boolean },
): Promise<ExpertService[]> {
  return repository.listServices(context.db, { ...filter, limit: SERVICES_LIST_MAX });
}

/** Active free services aiming at any of the effects, those serving more of them first, then by name. */
export async function freeServicesForEffects(
  context: UseCaseContext,
  effects: readonly Effect[],
): Promise<ExpertService[]> {
  const services = await listServices(context, { kind: 'FREE', effectsAny: effects, includeRetired: false });
  const score = (s: ExpertService) => s.effects.filter((effect) => effects.includes(effect)).length;
  return services.sort((a, b) => score(b) - score(a) || a.name.localeCompare(b.name));
}

export function priceToday(context: UseCaseContext, serviceId: string): Promise<ServicePrice | null> {
  return repository.findPriceOn(context.db, serviceId, today(context));
}
