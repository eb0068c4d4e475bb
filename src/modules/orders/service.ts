// Use cases for paid service orders: quote, confirm, deliver (actual hours and internal cost),
// accept (revenue), cancel. Open to any tier. Each step is idempotent, audited and atomic.
import type { Transaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { idempotentTransaction } from '../../shared/idempotency';
import { requireId } from '../../shared/ids';
import {
  keysetConnection,
  newestFirstKey,
  type Connection,
  type ConnectionArgs,
} from '../../shared/pagination';
import { type Decimal, validateMoney } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { csmScope, loadManagedAccount, type OwnedObject } from '../customers/access';
import { findPriceOn, findServicesByIds } from '../catalog/repository';
import { today } from '../../shared/fiscal';
import * as repository from './repository';
import type { PaidOrder } from './repository';
import { assertOrderTransition, type OrderState } from './rules';

export type { PaidOrder };

export const HOURS_MAX = '10000';
const REQUIREMENT_MAX = 2000;

function validateHours(hours: Decimal, field: string, positive: boolean): Decimal {
  if (hours.isNegative() || (positive && hours.isZero()))
    throw new ValidationError(field, `hours must be ${positive ? 'greater than zero' : 'zero or more'}`);
  if (hours.decimalPlaces() > 2) throw new ValidationError(field, 'hours have at most 2 decimal places');
  if (hours.greaterThan(HOURS_MAX))
    throw new ValidationError(field, `more than ${HOURS_MAX} hours is not plausible`);
  return hours;
}

const loadOrder = (context: UseCaseContext) => (id: string) => repository.findOrderById(context.db, id);

const requireSeller = (
  context: UseCaseContext,
  trx: Transaction,
  accountId: string,
  field: string,
  owned?: OwnedObject,
) =>
  loadManagedAccount(context, trx, accountId, field, {
    what: 'paid orders',
    roles: ['SALES_LEADER', 'ADMIN'],
    owned,
  });

export async function quotePaidService(
  context: UseCaseContext,
  input: {
    accountId: string;
    serviceId: string;
    requirement: string;
    estimatedHours: Decimal;
    price?: Decimal | null;
    idempotencyKey: string;
  },
): Promise<PaidOrder> {
  const serviceId = requireId(input.serviceId, 'input.serviceId');
  const requirement = input.requirement.trim();
  if (requirement.length === 0 || requirement.length > REQUIREMENT_MAX) {
    throw new ValidationError('input.requirement', `the requirement is 1–${REQUIREMENT_MAX} characters`);
  }
  const estimatedHours = validateHours(input.estimatedHours, 'input.estimatedHours', true);
  const quoted = input.price ? validateMoney(input.price, 'input.price') : null;
  return idempotentTransaction(
    context,
    { operation: 'quotePaidService', input },
    {
      type: 'PaidOrder',
      idOf: (order) => order.id,
      load: loadOrder(context),
      authorize: async (order, trx) => {
        await requireSeller(context, trx, order.accountId, 'input.accountId', {
          type: 'PaidOrder',
          id: order.id,
        });
      },
    },
    async (trx) => {
      const customer = await requireSeller(context, trx, input.accountId, 'input.accountId');
      const [service] = await findServicesByIds(trx, [serviceId]);
      if (!service) throw new NotFoundError('ExpertService', serviceId, 'input.serviceId');
      if (service.kind !== 'PAID')
        throw new ValidationError('input.serviceId', `${service.name} is a free service: book it instead`);
      if (!service.active) throw new ValidationError('input.serviceId', `${service.name} is retired`);
      const price = await findPriceOn(trx, serviceId, today(context));
      if (!price?.listPrice || !price.internalCost)
        throw new ValidationError('input.serviceId', `${service.name} has no price in force`);
      // The list price and internal cost are per engagement; the quote may set its own price.
      const order = await repository.insertOrder(trx, {
        accountId: customer.id,
        serviceId,
        requirement,
        estimatedHours,
        price: quoted ?? price.listPrice,
        estimatedInternalCost: price.internalCost,
        currency: price.currency,
        createdBy: context.actor!.userId,
      });
      await recordAudit(trx, context, {
        action: 'paidOrder.quote',
        entityType: 'PaidOrder',
        entityId: order.id,
        accountId: customer.id,
        after: order,
      });
      return order;
    },
  );
}

export async function advancePaidOrder(
  context: UseCaseContext,
  input: {
    orderId: string;
    to: Exclude<OrderState, 'QUOTED'>;
    actualHours?: Decimal | null;
    internalCost?: Decimal | null;
    idempotencyKey: string;
  },
): Promise<PaidOrder> {
  const orderId = requireId(input.orderId, 'input.orderId');
  if (input.to === 'DELIVERED') {
    if (!input.actualHours)
      throw new ValidationError('input.actualHours', 'delivery records the actual hours');
    if (!input.internalCost)
      throw new ValidationError('input.internalCost', 'delivery records the internal cost');
    validateHours(input.actualHours, 'input.actualHours', false);
    validateMoney(input.internalCost, 'input.internalCost');
  } else if (input.actualHours || input.internalCost) {
    throw new ValidationError(
      input.actualHours ? 'input.actualHours' : 'input.internalCost',
      'hours and cost are recorded on delivery only',
    );
  }
  return idempotentTransaction(
    context,
    { operation: 'advancePaidOrder', input },
    {
      type: 'PaidOrder',
      idOf: (order) => order.id,
      load: loadOrder(context),
      authorize: async (order, trx) => {
        await requireSeller(context, trx, order.accountId, 'input.orderId', {
          type: 'PaidOrder',
          id: order.id,
        });
      },
    },
    async (trx) => {
      const before = await repository.findOrderById(trx, orderId, { forUpdate: true });
      if (!before) throw new NotFoundError('PaidOrder', orderId, 'input.orderId');
      await requireSeller(context, trx, before.accountId, 'input.orderId', {
        type: 'PaidOrder',
        id: orderId,
      });
      assertOrderTransition(before.state, input.to);
      const after = await repository.updateOrder(trx, orderId, {
        state: input.to,
        ...(input.to === 'DELIVERED' && {
          actualHours: input.actualHours!,
          internalCost: input.internalCost!,
        }),
        ...(input.to === 'ACCEPTED' && { revenue: before.price }),
      });
      await recordAudit(trx, context, {
        action: `paidOrder.${input.to.toLowerCase()}`,
        entityType: 'PaidOrder',
        entityId: orderId,
        accountId: before.accountId,
        before,
        after,
      });
      return after;
    },
  );
}

/** Paid orders, newest first, a page at a time; a CSM sees only their own accounts' orders. */
export async function listOrders(
  context: UseCaseContext,
  page: ConnectionArgs,
  filter: { accountId: string | null; state?: OrderState | null },
): Promise<Connection<PaidOrder>> {
  const scoped = { ...filter, visibleToCsmPersonId: csmScope(context.actor) };
  return keysetConnection(
    page,
    newestFirstKey,
    (request) => repository.listOrders(context.db, scoped, request),
    () => repository.countOrders(context.db, scoped),
  );
}
