// ADMIN's reads: the endpoints, each one's deliveries newest first, each delivery's attempts.
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { isNumberKey, keysetConnection, type Connection, type ConnectionArgs } from '../../shared/pagination';
import { ADMIN_ONLY } from './register-endpoint';
import * as repository from './repository';

export async function listWebhookEndpoints(context: UseCaseContext): Promise<repository.WebhookEndpoint[]> {
  requireAnyRole(context.actor, ['ADMIN'], ADMIN_ONLY);
  return (await repository.listEndpoints(context.db)).map(repository.withoutSecrets);
}

export async function listWebhookDeliveries(
  context: UseCaseContext,
  endpointId: string,
  page: ConnectionArgs,
): Promise<Connection<repository.WebhookDelivery>> {
  requireAnyRole(context.actor, ['ADMIN'], ADMIN_ONLY);
  return keysetConnection(
    page,
    { of: (delivery: repository.WebhookDelivery) => Number(delivery.id), is: isNumberKey },
    (request) => repository.listDeliveries(context.db, endpointId, request),
    () => repository.countDeliveries(context.db, endpointId),
  );
}

export async function listWebhookAttempts(
  context: UseCaseContext,
  deliveryId: string,
): Promise<repository.WebhookAttempt[]> {
  requireAnyRole(context.actor, ['ADMIN'], ADMIN_ONLY);
  return repository.listAttempts(context.db, deliveryId);
}
