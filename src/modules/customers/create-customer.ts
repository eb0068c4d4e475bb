// Creating a customer account with its first tier-history row (the CSV import shares insertNewCustomer).
import { inTransaction, type Transaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError, ValidationError } from '../../shared/errors';
import { optionalText } from '../../shared/text';
import { recordAudit } from '../audit/repository';
import { validateName } from '../../shared/text';
import * as repository from './repository';
import type { Customer } from './repository';
import { validateReason, type Tier } from './rules';
import { checkPartner, checkSalesRep, TEXT_LENGTH_MAX } from './validate';

export type NewCustomerInput = {
  name: string;
  externalId?: string | null;
  industry?: string | null;
  region?: string | null;
  salesRepPersonId?: string | null;
  channelPartnerId?: string | null;
  tier: Tier;
  reason?: string | null;
};

/** Validation and insert shared by the mutation and the CSV import (which has its own transaction). */
export async function insertNewCustomer(
  context: UseCaseContext,
  trx: Transaction,
  input: NewCustomerInput,
  path = 'input',
): Promise<Customer> {
  const name = validateName(input.name, `${path}.name`);
  const externalId = optionalText(input.externalId, `${path}.externalId`, TEXT_LENGTH_MAX) ?? null;
  if (input.tier === 'E' && !input.channelPartnerId) {
    throw new ValidationError(
      `${path}.channelPartnerId`,
      'a tier E customer is served through a channel partner: name the partner',
    );
  }
  const reason = validateReason(input.reason ?? 'initial tier', `${path}.reason`);
  if (externalId && (await repository.findCustomersByExternalIds(trx, [externalId])).length > 0) {
    throw new ConflictError(`a customer with external id ${externalId} already exists`, `${path}.externalId`);
  }
  const customer = await repository.insertCustomer(trx, {
    externalId,
    name,
    industry: optionalText(input.industry, `${path}.industry`, TEXT_LENGTH_MAX) ?? null,
    region: optionalText(input.region, `${path}.region`, TEXT_LENGTH_MAX) ?? null,
    salesRepPersonId: (await checkSalesRep(trx, input.salesRepPersonId, `${path}.salesRepPersonId`)) ?? null,
    channelPartnerId: (await checkPartner(trx, input.channelPartnerId, `${path}.channelPartnerId`)) ?? null,
    tier: input.tier,
    csmPersonId: null,
    supportTeamId: null,
    expertTeamId: null,
  });
  await repository.insertTierChange(trx, {
    accountId: customer.id,
    fromTier: null,
    toTier: input.tier,
    changedBy: context.actor?.userId ?? null,
    reason,
  });
  await recordAudit(trx, context, {
    action: 'customer.create',
    entityType: 'Customer',
    entityId: customer.id,
    accountId: customer.id,
    after: customer,
  });
  return customer;
}

export async function createCustomer(context: UseCaseContext, input: NewCustomerInput): Promise<Customer> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may create customers');
  return inTransaction(context.db, (trx) => insertNewCustomer(context, trx, input));
}
