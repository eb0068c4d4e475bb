// Use cases of the catalog: add services (ADMIN), set effective-dated prices (ADMIN or FINANCE),
// retire services (history kept). Each runs in one transaction with its audit record.
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import { requireId } from '../../shared/ids';
import type { Decimal } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { type Department } from '../teams/rules';
import * as repository from './repository';
import type { ExpertService, ServicePrice } from './repository';
import { validateNewService, validatePriceForKind, type Effect, type ServiceKind } from './rules';

export async function createExpertService(
  context: UseCaseContext,
  input: {
    code: string;
    name: string;
    kind: ServiceKind;
    providingDepartment: Department;
    description?: string | null;
    effects?: readonly Effect[] | null;
    effectiveFrom: string;
    settlementPrice?: Decimal | null;
    listPrice?: Decimal | null;
    internalCost?: Decimal | null;
    currency: string;
  },
): Promise<ExpertService> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may add expert services');
  const { code, name, description, effects } = validateNewService(input);
  const price = validatePriceForKind(input.kind, input, 'input');
  return inTransaction(context.db, async (trx) => {
    if (await repository.findServiceByCode(trx, code))
      throw new ConflictError(`a service with code ${code} exists`, 'input.code');
    const service = await repository.insertService(trx, {
      code,
      name,
      kind: input.kind,
      providingDepartment: input.providingDepartment,
      description,
      effects,
    });
    const firstPrice = await repository.upsertPrice(
      trx,
      {
        serviceId: service.id,
        effectiveFrom: input.effectiveFrom,
        settlementPrice: price.settlementPrice ?? null,
        listPrice: price.listPrice ?? null,
        internalCost: price.internalCost ?? null,
        currency: input.currency,
      },
      context.actor?.userId ?? null,
    );
    await recordAudit(trx, context, {
      action: 'expertService.create',
      entityType: 'ExpertService',
      entityId: service.id,
      after: { ...service, price: firstPrice },
    });
    return service;
  });
}

export async function setServicePrice(
  context: UseCaseContext,
  input: {
    serviceId: string;
    effectiveFrom: string;
    settlementPrice?: Decimal | null;
    listPrice?: Decimal | null;
    internalCost?: Decimal | null;
    currency: string;
  },
): Promise<ServicePrice> {
  requireAnyRole(context.actor, ['ADMIN', 'FINANCE'], 'only ADMIN or FINANCE may set prices');
  const serviceId = requireId(input.serviceId, 'input.serviceId');
  return inTransaction(context.db, async (trx) => {
    const [service] = await repository.findServicesByIds(trx, [serviceId]);
    if (!service) throw new NotFoundError('ExpertService', serviceId, 'input.serviceId');
    if (!service.active) throw new ValidationError('input.serviceId', `${service.name} is retired`);
    const price = validatePriceForKind(service.kind, input, 'input');
    const before =
      (await repository.findPrices(trx, [serviceId])).find((p) => p.effectiveFrom === input.effectiveFrom) ??
      null;
    const after = await repository.upsertPrice(
      trx,
      {
        serviceId,
        effectiveFrom: input.effectiveFrom,
        settlementPrice: price.settlementPrice ?? null,
        listPrice: price.listPrice ?? null,
        internalCost: price.internalCost ?? null,
        currency: input.currency,
      },
      context.actor?.userId ?? null,
    );
    await recordAudit(trx, context, {
      action: 'expertService.setPrice',
      entityType: 'ExpertService',
      entityId: serviceId,
      before,
      after,
    });
    return after;
  });
}

export async function retireExpertService(
  context: UseCaseContext,
  serviceIdInput: string,
): Promise<ExpertService> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may retire expert services');
  const serviceId = requireId(serviceIdInput, 'serviceId');
  return inTransaction(context.db, async (trx) => {
    const [before] = await repository.findServicesByIds(trx, [serviceId]);
    if (!before) throw new NotFoundError('ExpertService', serviceId, 'serviceId');
    if (!before.active) throw new ConflictError(`${before.name} is already retired`, 'serviceId');
    await repository.retireService(trx, serviceId);
    const [after] = await repository.findServicesByIds(trx, [serviceId]);
    await recordAudit(trx, context, {
      action: 'expertService.retire',
      entityType: 'ExpertService',
      entityId: serviceId,
      before,
      after,
    });
    return after!;
  });
}
