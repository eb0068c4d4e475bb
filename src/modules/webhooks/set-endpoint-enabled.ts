// ADMIN disables an endpoint (no more deliveries; those waiting fail) or enables it again, which
// clears its failure streak. Events while it was disabled are not sent: redeliver them if wanted.
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { NotFoundError } from '../../shared/errors';
import { requireId } from '../../shared/ids';
import { inTransaction } from '../../db/transaction';
import { recordAudit } from '../audit/repository';
import { ADMIN_ONLY } from './register-endpoint';
import * as repository from './repository';

export async function setWebhookEndpointEnabled(
  context: UseCaseContext,
  endpointIdText: string,
  enabled: boolean,
): Promise<repository.WebhookEndpoint> {
  requireAnyRole(context.actor, ['ADMIN'], ADMIN_ONLY);
  const endpointId = requireId(endpointIdText, 'endpointId');
  return inTransaction(context.db, async (trx) => {
    const current = await repository.findEndpoint(trx, endpointId, true);
    if (!current) throw new NotFoundError('WebhookEndpoint', endpointIdText, 'endpointId');
    if (current.enabled === enabled) return repository.withoutSecrets(current);
    const endpoint = repository.withoutSecrets(
      await repository.updateEndpoint(
        trx,
        endpointId,
        enabled
          ? {
              enabled,
              disabled_at: null,
              disabled_reason: null,
              consecutive_failures: 0,
              failing_since: null,
            }
          : { enabled, disabled_at: trx.fn.now(), disabled_reason: 'disabled by an ADMIN' },
      ),
    );
    await recordAudit(trx, context, {
      action: enabled ? 'webhookEndpoint.enable' : 'webhookEndpoint.disable',
      entityType: 'WebhookEndpoint',
      entityId: endpointId,
      before: repository.withoutSecrets(current),
      after: endpoint,
    });
    return endpoint;
  });
}
