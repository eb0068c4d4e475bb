// ADMIN asks for a delivery to be sent again: a new delivery of the same event to the same
// endpoint (same webhook-id, so a receiver that saw it can tell), queued in the same transaction.
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import { inTransaction } from '../../db/transaction';
import { recordAudit } from '../audit/repository';
import { ADMIN_ONLY } from './register-endpoint';
import * as repository from './repository';

/** Delivery ids as clients see them (whd_ and the sequence number). */
export const deliveryId = (delivery: Pick<repository.WebhookDelivery, 'id'>) => `whd_${delivery.id}`;

export function parseDeliveryId(text: string, field: string): string {
  const sequence = /^whd_([1-9]\d{0,17})$/.exec(text)?.[1];
  if (!sequence)
    throw new ValidationError(
      field,
      `${field} must be a delivery id (whd_…), got ${JSON.stringify(text.slice(0, 60))}`,
    );
  return sequence;
}

export async function redeliverWebhook(
  context: UseCaseContext,
  deliveryIdText: string,
): Promise<repository.WebhookDelivery> {
  const actor = requireAnyRole(context.actor, ['ADMIN'], ADMIN_ONLY);
  const id = parseDeliveryId(deliveryIdText, 'deliveryId');
  return inTransaction(context.db, async (trx) => {
    const original = await repository.findDelivery(trx, id);
    if (!original) throw new NotFoundError('WebhookDelivery', deliveryIdText, 'deliveryId');
    if (original.state === 'PENDING')
      throw new ConflictError('the delivery is still being attempted', 'deliveryId');
    const endpoint = (await repository.findEndpoint(trx, original.endpointId, true))!;
    if (!endpoint.enabled) throw new ConflictError('the endpoint is disabled: enable it first', 'deliveryId');
    const delivery = await repository.insertRedelivery(trx, original, actor.userId);
    await recordAudit(trx, context, {
      action: 'webhookDelivery.redeliver',
      entityType: 'WebhookDelivery',
      entityId: delivery.id,
      after: delivery,
    });
    return delivery;
  });
}
