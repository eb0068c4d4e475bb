// Paid expert services are sold to avoid fee disputes in a fixed order: requirement → estimated
// hours and price (QUOTED) → customer confirms (CONFIRMED) → work done (DELIVERED) → customer
// accepts (ACCEPTED, revenue recognised). Margin = revenue − internal cost.
import { InvalidTransitionError } from '../../shared/errors';
import type { Decimal } from '../../shared/money';

export const ORDER_STATES = ['QUOTED', 'CONFIRMED', 'DELIVERED', 'ACCEPTED', 'CANCELLED'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

const TRANSITIONS: Record<OrderState, readonly OrderState[]> = {
  QUOTED: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['DELIVERED', 'CANCELLED'],
  DELIVERED: ['ACCEPTED'],
  ACCEPTED: [],
  CANCELLED: [],
};

export function assertOrderTransition(from: OrderState, to: OrderState): void {
  if (!TRANSITIONS[from].includes(to)) throw new InvalidTransitionError('PaidOrder', from, to);
}

export function margin(revenue: Decimal | null, internalCost: Decimal | null): Decimal | null {
  return revenue && internalCost ? revenue.minus(internalCost) : null;
}
