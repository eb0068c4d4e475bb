// ADMIN registers a webhook endpoint: its URL (http or https; loopback and private addresses only
// where the configuration allows), the event types it wants (none listed: all), and gets its
// signing secret once, in this answer only.
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { inTransaction } from '../../db/transaction';
import { recordAudit } from '../audit/repository';
import * as repository from './repository';
import { newSecret } from './rules';
import { validateEndpointInput } from './validate';

export const ADMIN_ONLY = 'only an ADMIN may manage webhook endpoints';

export async function registerWebhookEndpoint(
  context: UseCaseContext,
  input: { url: string; description?: string | null; eventTypes?: readonly string[] | null },
): Promise<{ endpoint: repository.WebhookEndpoint; secret: string }> {
  const actor = requireAnyRole(context.actor, ['ADMIN'], ADMIN_ONLY);
  const valid = validateEndpointInput(input, context.config.webhooks.allowPrivateTargets);
  const secret = newSecret();
  return inTransaction(context.db, async (trx) => {
    const endpoint = repository.withoutSecrets(
      await repository.insertEndpoint(trx, { ...valid, secret, createdBy: actor.userId }),
    );
    await recordAudit(trx, context, {
      action: 'webhookEndpoint.register',
      entityType: 'WebhookEndpoint',
      entityId: endpoint.id,
      after: endpoint,
    });
    return { endpoint, secret };
  });
}
