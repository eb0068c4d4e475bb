// Use cases for customers: create and edit accounts, change tiers (with reason and history,
// never leaving a B/D/E account holding key-account resources), tiering figures and policy,
// suggestions, and channel partners. Each runs in one transaction with its audit record.
import { DateTime } from 'luxon';
import { inTransaction, type Transaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { hasRole, requireAnyRole } from '../../shared/auth';
import {
  ConflictError,
  ForbiddenActionError,
  NotFoundError,
  ValidationError,
  requireSomeChange,
} from '../../shared/errors';
import { validateFiscalYear } from '../../shared/fiscal';
import { requireId } from '../../shared/ids';
import { optionalText } from '../../shared/text';
import {
  isStringPairKey,
  keysetConnection,
  type Connection,
  type ConnectionArgs,
} from '../../shared/pagination';
import { type Decimal, validateMoney } from '../../shared/money';
import { fiscalYearOf } from '../../shared/fiscal';
import { recordAudit } from '../audit/repository';
import { findPersonById } from '../teams/repository';
import { validateName } from '../../shared/text';
import { isCsmOf, loadReadableAccount, csmScope } from './access';
import * as repository from './repository';
import type { ChannelPartner, Customer, CustomerFinancials, TierChange } from './repository';
import { countOpenKeyAccountCommitments } from './holdings';
import {
  isKeyAccount,
  suggestTier,
  tierChangeBlockers,
  validateReason,
  type Tier,
  type TierChangeBlocker,
  type TieringPolicy,
} from './rules';

const TEXT_FIELD_MAX = 100;

async function checkSalesRep(
  trx: Transaction,
  personId: string | null | undefined,
  field: string,
): Promise<string | null | undefined> {
  if (personId === undefined || personId === null) return personId;
  const id = requireId(personId, field);
  const person = await findPersonById(trx, id);
  if (!person) throw new NotFoundError('Person', id, field);
  if (person.department !== 'SALES')
    throw new ValidationError(field, `${person.name} is not in the SALES department`);
  return id;
}

async function checkPartner(
  trx: Transaction,
  partnerId: string | null | undefined,
  field: string,
): Promise<string | null | undefined> {
  if (partnerId === undefined || partnerId === null) return partnerId;
  const id = requireId(partnerId, field);
  const [partner] = await repository.findChannelPartnersByIds(trx, [id]);
  if (!partner) throw new NotFoundError('ChannelPartner', id, field);
  return id;
}

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
  const externalId = optionalText(input.externalId, `${path}.externalId`, TEXT_FIELD_MAX) ?? null;
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
    industry: optionalText(input.industry, `${path}.industry`, TEXT_FIELD_MAX) ?? null,
    region: optionalText(input.region, `${path}.region`, TEXT_FIELD_MAX) ?? null,
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

export async function updateCustomer(
  context: UseCaseContext,
  input: {
    accountId: string;
    name?: string | null;
    industry?: string | null;
    region?: string | null;
    salesRepPersonId?: string | null;
    channelPartnerId?: string | null;
  },
): Promise<Customer> {
  const { accountId: _accountId, ...changes } = input;
  requireSomeChange(changes);
  return inTransaction(context.db, async (trx) => {
    const before = await loadReadableAccount(context, trx, input.accountId, 'input.accountId', {
      forUpdate: true,
    });
    if (!hasRole(context.actor, 'ADMIN') && !isCsmOf(context.actor, before)) {
      throw new ForbiddenActionError('only an ADMIN or the account’s CSM may edit it');
    }
    const after = await repository.updateCustomer(trx, before.id, {
      name: input.name != null ? validateName(input.name, 'input.name') : undefined,
      industry: optionalText(input.industry, 'input.industry', TEXT_FIELD_MAX),
      region: optionalText(input.region, 'input.region', TEXT_FIELD_MAX),
      salesRepPersonId: await checkSalesRep(trx, input.salesRepPersonId, 'input.salesRepPersonId'),
      channelPartnerId: await checkPartner(trx, input.channelPartnerId, 'input.channelPartnerId'),
    });
    if (after.tier === 'E' && !after.channelPartnerId) {
      throw new ValidationError('input.channelPartnerId', 'a tier E customer must keep a channel partner');
    }
    await recordAudit(trx, context, {
      action: 'customer.update',
      entityType: 'Customer',
      entityId: after.id,
      accountId: after.id,
      before,
      after,
    });
    return after;
  });
}

export class TierChangeBlockedError extends ConflictError {
  constructor(readonly blockers: TierChangeBlocker[]) {
    super(`resolve first: ${blockers.map((blocker) => blocker.message).join('; ')}`, 'input.tier');
  }
}

export async function changeTier(
  context: UseCaseContext,
  input: {
    accountId: string;
    tier: Tier;
    reason: string;
    releaseCsm?: boolean | null;
    channelPartnerId?: string | null;
  },
): Promise<Customer> {
  requireAnyRole(
    context.actor,
    ['ADMIN', 'SALES_LEADER'],
    'only an ADMIN or a SALES_LEADER may change tiers',
  );
  const reason = validateReason(input.reason, 'input.reason');
  return inTransaction(context.db, async (trx) => {
    const before = await loadReadableAccount(context, trx, input.accountId, 'input.accountId', {
      forUpdate: true,
    });
    if (before.tier === input.tier)
      throw new ValidationError('input.tier', `the account is already tier ${input.tier}`);
    const commitments = await countOpenKeyAccountCommitments(trx, before.id);
    const blockers = tierChangeBlockers(
      before.tier,
      input.tier,
      { csmPersonId: before.csmPersonId, ...commitments },
      { releaseCsm: input.releaseCsm ?? false },
    );
    if (blockers.length > 0) throw new TierChangeBlockedError(blockers);
    const channelPartnerId =
      (await checkPartner(trx, input.channelPartnerId, 'input.channelPartnerId')) ?? before.channelPartnerId;
    if (input.tier === 'E' && !channelPartnerId) {
      throw new ValidationError(
        'input.channelPartnerId',
        'moving to tier E needs the channel partner who will serve the account',
      );
    }
    const leavesKeyAccounts = isKeyAccount(before.tier) && !isKeyAccount(input.tier);
    const after = await repository.updateCustomer(trx, before.id, {
      tier: input.tier,
      channelPartnerId,
      ...(leavesKeyAccounts && { csmPersonId: null }),
    });
    const change = await repository.insertTierChange(trx, {
      accountId: before.id,
      fromTier: before.tier,
      toTier: input.tier,
      changedBy: context.actor?.userId ?? null,
      reason,
    });
    await recordAudit(trx, context, {
      action: 'customer.changeTier',
      entityType: 'Customer',
      entityId: before.id,
      accountId: before.id,
      before,
      after: { ...after, tierChange: change },
    });
    return after;
  });
}

export async function tierHistory(context: UseCaseContext, accountId: string): Promise<TierChange[]> {
  const customer = await loadReadableAccount(context, context.db, accountId, 'accountId');
  return repository.findTierHistories(context.db, [customer.id]);
}

export async function setCustomerFinancials(
  context: UseCaseContext,
  input: {
    accountId: string;
    fiscalYear: number;
    contribution: Decimal;
    potential: Decimal;
    currency: string;
  },
): Promise<CustomerFinancials> {
  requireAnyRole(context.actor, ['ADMIN', 'FINANCE'], 'only ADMIN or FINANCE may set tiering figures');
  const fiscalYear = validateFiscalYear(input.fiscalYear, 'input.fiscalYear');
  const contribution = validateMoney(input.contribution, 'input.contribution', { amountMax: null });
  const potential = validateMoney(input.potential, 'input.potential', { amountMax: null });
  return inTransaction(context.db, async (trx) => {
    const customer = await loadReadableAccount(context, trx, input.accountId, 'input.accountId');
    const [before] = await repository.findFinancials(trx, [customer.id], fiscalYear);
    const after = await repository.upsertFinancials(trx, {
      accountId: customer.id,
      fiscalYear,
      contribution,
      potential,
      currency: input.currency,
    });
    await recordAudit(trx, context, {
      action: 'customer.setFinancials',
      entityType: 'Customer',
      entityId: customer.id,
      accountId: customer.id,
      before: before ?? null,
      after,
    });
    return after;
  });
}

export async function setTieringPolicy(
  context: UseCaseContext,
  input: {
    fiscalYear: number;
    contributionThreshold: Decimal;
    potentialThreshold: Decimal;
    currency: string;
  },
): Promise<TieringPolicy> {
  requireAnyRole(context.actor, ['ADMIN', 'FINANCE'], 'only ADMIN or FINANCE may set the tiering policy');
  const fiscalYear = validateFiscalYear(input.fiscalYear, 'input.fiscalYear');
  for (const [field, value] of [
    ['input.contributionThreshold', input.contributionThreshold],
    ['input.potentialThreshold', input.potentialThreshold],
  ] as const) {
    validateMoney(value, field, { amountMax: null });
    if (value.isZero()) throw new ValidationError(field, 'a threshold must be greater than zero');
  }
  return inTransaction(context.db, async (trx) => {
    const before = await repository.findPolicy(trx, fiscalYear);
    const after = await repository.upsertPolicy(trx, { ...input, fiscalYear }, context.actor?.userId ?? null);
    await recordAudit(trx, context, {
      action: 'tieringPolicy.set',
      entityType: 'TieringPolicy',
      entityId: String(fiscalYear),
      before,
      after,
    });
    return after;
  });
}

export type TierSuggestionView = {
  customer: Customer;
  suggestedTier: Tier;
  reasons: string[];
  policy: TieringPolicy;
};

export const SUGGESTIONS_SCANNED_MAX = 20_000;

/** Accounts whose suggested tier differs from their current one. Changes nothing. */
export async function tierSuggestions(
  context: UseCaseContext,
  fiscalYearInput: number | null,
): Promise<{ policy: TieringPolicy | null; suggestions: TierSuggestionView[] }> {
  const fiscalYear = validateFiscalYear(
    fiscalYearInput ?? fiscalYearOf(context.fiscalCalendar, DateTime.now()),
    'fiscalYear',
  );
  const scope = csmScope(context.actor);
  const policy = await repository.findPolicy(context.db, fiscalYear);
  if (!policy) return { policy: null, suggestions: [] };
  const inputs = await repository.findSuggestionInputs(context.db, fiscalYear, {
    visibleToCsmPersonId: scope,
    limit: SUGGESTIONS_SCANNED_MAX,
  });
  const suggestions: TierSuggestionView[] = [];
  for (const { customer, figures } of inputs) {
    const suggestion = suggestTier({ channelManaged: customer.channelPartnerId !== null, policy, figures });
    if (suggestion && suggestion.tier !== customer.tier) {
      suggestions.push({ customer, suggestedTier: suggestion.tier, reasons: suggestion.reasons, policy });
    }
  }
  return { policy, suggestions };
}

export async function createChannelPartner(
  context: UseCaseContext,
  input: { name: string; implementerName?: string | null; implementerContact?: string | null },
): Promise<ChannelPartner> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage channel partners');
  const name = validateName(input.name, 'input.name');
  return inTransaction(context.db, async (trx) => {
    if (await repository.findChannelPartnerByName(trx, name))
      throw new ConflictError(`a channel partner named ${name} exists`, 'input.name');
    const partner = await repository.insertChannelPartner(trx, {
      name,
      implementerName: input.implementerName
        ? validateName(input.implementerName, 'input.implementerName')
        : null,
      implementerContact:
        optionalText(input.implementerContact, 'input.implementerContact', TEXT_FIELD_MAX) ?? null,
    });
    await recordAudit(trx, context, {
      action: 'channelPartner.create',
      entityType: 'ChannelPartner',
      entityId: partner.id,
      after: partner,
    });
    return partner;
  });
}

export async function updateChannelPartner(
  context: UseCaseContext,
  input: {
    partnerId: string;
    name?: string | null;
    implementerName?: string | null;
    implementerContact?: string | null;
  },
): Promise<ChannelPartner> {
  requireAnyRole(context.actor, ['ADMIN'], 'only an ADMIN may manage channel partners');
  const { partnerId: _partnerId, ...changes } = input;
  requireSomeChange(changes);
  const partnerId = requireId(input.partnerId, 'input.partnerId');
  return inTransaction(context.db, async (trx) => {
    const [before] = await repository.findChannelPartnersByIds(trx, [partnerId]);
    if (!before) throw new NotFoundError('ChannelPartner', partnerId, 'input.partnerId');
    const name = input.name != null ? validateName(input.name, 'input.name') : undefined;
    const namesake = name === undefined ? null : await repository.findChannelPartnerByName(trx, name);
    if (namesake && namesake.id !== partnerId)
      throw new ConflictError(`a channel partner named ${name} exists`, 'input.name');
    const after = await repository.updateChannelPartner(trx, partnerId, {
      name,
      implementerName:
        input.implementerName === undefined
          ? undefined
          : input.implementerName === null || input.implementerName.trim() === ''
            ? null
            : validateName(input.implementerName, 'input.implementerName'),
      implementerContact: optionalText(input.implementerContact, 'input.implementerContact', TEXT_FIELD_MAX),
    });
    await recordAudit(trx, context, {
      action: 'channelPartner.update',
      entityType: 'ChannelPartner',
      entityId: partnerId,
      before,
      after,
    });
    return after;
  });
}

/** One account the caller may read (NOT_FOUND otherwise, as for an unknown id). */
export async function readCustomer(context: UseCaseContext, accountId: string): Promise<Customer> {
  return loadReadableAccount(context, context.db, accountId, 'id');
}

/** A page of accounts by name; a CSM sees only their own. `keyTiers` narrows to key or other accounts. */
export async function listCustomers(
  context: UseCaseContext,
  page: ConnectionArgs,
  filter: Omit<repository.CustomerFilter, 'visibleToCsmPersonId' | 'tiers'> & {
    tiers?: readonly Tier[] | null;
    keyTiers: readonly Tier[] | null;
  },
): Promise<Connection<Customer>> {
  const visibleToCsmPersonId = csmScope(context.actor);
  const { keyTiers, ...rest } = filter;
  const tiers =
    filter.tiers && keyTiers
      ? filter.tiers.filter((tier) => keyTiers.includes(tier))
      : (filter.tiers ?? keyTiers);
  return keysetConnection(
    page,
    { of: (c: Customer) => [c.name, c.id] as [string, string], is: isStringPairKey },
    async (request) =>
      // keyAccount and tiers that exclude each other match nothing.
      tiers && tiers.length === 0
        ? []
        : repository.listCustomers(context.db, { ...rest, tiers, visibleToCsmPersonId }, request),
    async () =>
      tiers && tiers.length === 0
        ? 0
        : repository.countCustomers(context.db, { ...rest, tiers, visibleToCsmPersonId }),
  );
}
