// SQL for expert services, their effects and their effective-dated prices.
import { DateTime } from 'luxon';
import type { Queryable } from '../../db/transaction';
import { fromDatabase, toDatabase, type Decimal } from '../../shared/money';
import type { Department } from '../teams/rules';
import type { Effect, ServiceKind } from './rules';

export type ExpertService = {
  id: string;
  code: string;
  name: string;
  kind: ServiceKind;
  providingDepartment: Department;
  description: string;
  active: boolean;
  retiredAt: DateTime | null;
  effects: Effect[];
};

export type ServicePrice = {
  serviceId: string;
  effectiveFrom: string;
  settlementPrice: Decimal | null;
  listPrice: Decimal | null;
  internalCost: Decimal | null;
  currency: string;
};

type ServiceRow = {
  id: string;
  code: string;
  name: string;
  kind: ServiceKind;
  providing_department: Department;
  description: string;
  active: boolean;
  retired_at: Date | null;
  effects: Effect[] | null;
};
type PriceRow = {
  service_id: string;
  effective_from: string;
  settlement_price: string | null;
  list_price: string | null;
  internal_cost: string | null;
  currency: string;
};

const toService = (row: ServiceRow): ExpertService => ({
  id: row.id,
  code: row.code,
  name: row.name,
  kind: row.kind,
  providingDepartment: row.providing_department,
  description: row.description,
  active: row.active,
  retiredAt: row.retired_at ? DateTime.fromJSDate(row.retired_at) : null,
  effects: (row.effects ?? []).filter((effect): effect is Effect => effect !== null).sort(),
});

const toPrice = (row: PriceRow): ServicePrice => ({
  serviceId: row.service_id,
  effectiveFrom: row.effective_from,
  settlementPrice: row.settlement_price === null ? null : fromDatabase(row.settlement_price),
  listPrice: row.list_price === null ? null : fromDatabase(row.list_price),
  internalCost: row.internal_cost === null ? null : fromDatabase(row.internal_cost),
  currency: row.currency.trim(),
});

function servicesQuery(db: Queryable) {
  return db('expert_services as s')
    .leftJoin('expert_service_effects as e', 'e.service_id', 's.id')
    .groupBy('s.id')
    .select('s.*', db.raw('array_agg(e.effect) as effects'));
}

export async function insertService(
  db: Queryable,
  service: Omit<ExpertService, 'id' | 'active' | 'retiredAt'>,
): Promise<ExpertService> {
  const [row] = await db('expert_services')
    .insert({
      code: service.code,
      name: service.name,
      kind: service.kind,
      providing_department: service.providingDepartment,
      description: service.description,
    })
    .returning('id');
  if (service.effects.length > 0) {
    await db('expert_service_effects').insert(
      service.effects.map((effect) => ({ service_id: row.id, effect })),
    );
  }
  return (await findServicesByIds(db, [row.id as string]))[0]!;
}

export async function findServicesByIds(db: Queryable, ids: readonly string[]): Promise<ExpertService[]> {
  return ((await servicesQuery(db).whereIn('s.id', [...ids])) as ServiceRow[]).map(toService);
}

export async function findServiceByCode(db: Queryable, code: string): Promise<ExpertService | null> {
  const [row] = (await servicesQuery(db).where('s.code', code)) as ServiceRow[];
  return row ? toService(row) : null;
}

export async function listServices(
  db: Queryable,
  filter: {
    kind?: ServiceKind | null;
    effectsAny?: readonly Effect[] | null;
    includeRetired: boolean;
    limit: number;
  },
): Promise<ExpertService[]> {
  const query = servicesQuery(db).orderBy('s.name').limit(filter.limit);
  if (filter.kind) query.where('s.kind', filter.kind);
  if (!filter.includeRetired) query.where('s.active', true);
  if (filter.effectsAny && filter.effectsAny.length > 0) {
    query.whereExists(
      db('expert_service_effects as f')
        .whereRaw('f.service_id = s.id')
        .whereIn('f.effect', [...filter.effectsAny]),
    );
  }
  return ((await query) as ServiceRow[]).map(toService);
}

export async function retireService(db: Queryable, id: string): Promise<void> {
  await db('expert_services')
    .where({ id })
    .update({ active: false, retired_at: db.raw('now()') });
}

export async function upsertPrice(
  db: Queryable,
  price: ServicePrice,
  recordedBy: string | null,
): Promise<ServicePrice> {
  const values = {
    settlement_price: price.settlementPrice ? toDatabase(price.settlementPrice) : null,
    list_price: price.listPrice ? toDatabase(price.listPrice) : null,
    internal_cost: price.internalCost ? toDatabase(price.internalCost) : null,
    currency: price.currency,
    recorded_by: recordedBy,
  };
  const [row] = await db('expert_service_prices')
    .insert({ service_id: price.serviceId, effective_from: price.effectiveFrom, ...values })
    .onConflict(['service_id', 'effective_from'])
    .merge({ ...values, recorded_at: db.raw('now()') })
    .returning('*');
  return toPrice(row as PriceRow);
}

/** The price in force on a day: the latest one effective on or before it. */
export async function findPriceOn(
  db: Queryable,
  serviceId: string,
  day: string,
): Promise<ServicePrice | null> {
  const row = await db<PriceRow>('expert_service_prices')
    .where({ service_id: serviceId })
    .where('effective_from', '<=', day)
    .orderBy('effective_from', 'desc')
    .first();
  return row ? toPrice(row) : null;
}

export async function findPrices(db: Queryable, serviceIds: readonly string[]): Promise<ServicePrice[]> {
  return (
    await db<PriceRow>('expert_service_prices')
      .whereIn('service_id', [...serviceIds])
      .orderBy('effective_from', 'desc')
  ).map(toPrice);
}
