// SQL for paid service orders.
import { DateTime } from 'luxon';
import { countRows, type Queryable } from '../../db/transaction';
import { keysetPage } from '../../db/keyset';
import type { PageRequest } from '../../shared/pagination';
import { fromDatabase, toDatabase, type Decimal } from '../../shared/money';
import { accountIdsOfCsmQuery } from '../customers/repository';
import type { OrderState } from './rules';

export type PaidOrder = {
  id: string;
  accountId: string;
  serviceId: string;
  state: OrderState;
  requirement: string;
  estimatedHours: Decimal;
  price: Decimal;
  estimatedInternalCost: Decimal;
  actualHours: Decimal | null;
  internalCost: Decimal | null;
  revenue: Decimal | null;
  currency: string;
  createdBy: string;
  createdAt: DateTime;
  acceptedAt: DateTime | null;
};

/* eslint-disable @typescript-eslint/no-explicit-any -- mapped field by field */
const toOrder = (row: any): PaidOrder => ({
  id: row.id,
  accountId: row.account_id,
  serviceId: row.service_id,
  state: row.state,
  requirement: row.requirement,
  estimatedHours: fromDatabase(row.estimated_hours),
  price: fromDatabase(row.price),
  estimatedInternalCost: fromDatabase(row.estimated_internal_cost),
  actualHours: row.actual_hours === null ? null : fromDatabase(row.actual_hours),
  internalCost: row.internal_cost === null ? null : fromDatabase(row.internal_cost),
  revenue: row.revenue === null ? null : fromDatabase(row.revenue),
  currency: row.currency.trim(),
  createdBy: row.created_by,
  createdAt: DateTime.fromJSDate(row.created_at),
  acceptedAt: row.accepted_at ? DateTime.fromJSDate(row.accepted_at) : null,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function insertOrder(
  db: Queryable,
  order: Pick<
    PaidOrder,
    | 'accountId'
    | 'serviceId'
    | 'requirement'
    | 'estimatedHours'
    | 'price'
    | 'estimatedInternalCost'
    | 'currency'
    | 'createdBy'
  >,
): Promise<PaidOrder> {
  const [row] = await db('paid_orders')
    .insert({
      account_id: order.accountId,
      service_id: order.serviceId,
      state: 'QUOTED',
      requirement: order.requirement,
      estimated_hours: toDatabase(order.estimatedHours),
      price: toDatabase(order.price),
      estimated_internal_cost: toDatabase(order.estimatedInternalCost),
      currency: order.currency,
      created_by: order.createdBy,
    })
    .returning('*');
  return toOrder(row);
}

export async function findOrderById(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<PaidOrder | null> {
  const query = db('paid_orders').where({ id });
  if (options.forUpdate) query.forUpdate();
  const row = await query.first();
  return row ? toOrder(row) : null;
}

export async function updateOrder(
  db: Queryable,
  id: string,
  changes: { state: OrderState; actualHours?: Decimal; internalCost?: Decimal; revenue?: Decimal },
): Promise<PaidOrder> {
  const now = db.raw('now()');
  const stamp: Record<OrderState, string | null> = {
    QUOTED: null,
    CONFIRMED: 'confirmed_at',
    DELIVERED: 'delivered_at',
    ACCEPTED: 'accepted_at',
    CANCELLED: 'cancelled_at',
  };
  const [row] = await db('paid_orders')
    .where({ id })
    .update({
      state: changes.state,
      ...(changes.actualHours !== undefined && { actual_hours: toDatabase(changes.actualHours) }),
      ...(changes.internalCost !== undefined && { internal_cost: toDatabase(changes.internalCost) }),
      ...(changes.revenue !== undefined && { revenue: toDatabase(changes.revenue) }),
      ...(stamp[changes.state] && { [stamp[changes.state]!]: now }),
    })
    .returning('*');
  return toOrder(row);
}

export type OrderFilter = {
  accountId?: string | null;
  state?: OrderState | null;
  visibleToCsmPersonId?: string | null;
};

function filteredOrders(db: Queryable, filter: OrderFilter) {
  const query = db('paid_orders as o');
  if (filter.accountId) query.where('o.account_id', filter.accountId);
  if (filter.state) query.where('o.state', filter.state);
  if (filter.visibleToCsmPersonId)
    query.whereIn('o.account_id', accountIdsOfCsmQuery(db, filter.visibleToCsmPersonId));
  return query;
}

/** Newest first (then by id, so the order is total); the key is [created_at ISO, id]. */
export async function listOrders(
  db: Queryable,
  filter: OrderFilter,
  page: PageRequest<[string, string]>,
): Promise<PaidOrder[]> {
  const query = filteredOrders(db, filter).select('o.*');
  return (await keysetPage(query, ['o.created_at', 'o.id'], page, { descending: true })).map(toOrder);
}

export async function countOrders(db: Queryable, filter: OrderFilter): Promise<number> {
  return countRows(filteredOrders(db, filter));
}
