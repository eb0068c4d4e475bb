// ADMIN rotates an endpoint's secret: the new one is shown once; the old one keeps signing beside
// it (two signatures per message) for 24 hours, so the receiver can switch without a gap.
import { DateTime } from 'luxon';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { NotFoundError } from '../../shared/errors';
import { requireId } from '../../shared/ids';
import { inTransaction } from '../../db/transaction';
import { recordAudit } from '../audit/repository';
import { ADMIN_ONLY } from './register-endpoint';
import * as repository from './repository';
import { newSecret, ROTATION_OVERLAP_MS } from './rules';

export async function rotateWebhookSecret(
  context: UseCaseContext,
  endpointIdText: string,
): Promise<{ endpoint: repository.WebhookEndpoint; secret: string }> {
  requireAnyRole(context.actor, ['ADMIN'], ADMIN_ONLY);
  const endpointId = requireId(endpointIdText, 'endpointId');
  const secret = newSecret();
  return inTransaction(context.db, async (trx) => {
    const current = await repository.findEndpoint(trx, endpointId, true);
    if (!current) throw new NotFoundError('WebhookEndpoint', endpointIdText, 'endpointId');
    const endpoint = repository.withoutSecrets(
      await repository.updateEndpoint(trx, endpointId, {
        secret,
        previous_secret: current.secret,
        previous_secret_expires_at: DateTime.now().plus({ milliseconds: ROTATION_OVERLAP_MS }).toJSDate(),
      }),
    );
    await recordAudit(trx, context, {
      action: 'webhookEndpoint.rotateSecret',
      entityType: 'WebhookEndpoint',
      entityId: endpointId,
      before: repository.withoutSecrets(current),
      after: endpoint,
    });
    return { endpoint, secret };
  });
}
