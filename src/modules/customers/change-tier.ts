// Changing an account's tier, with a reason and history, never leaving a B/D/E account holding
// key-account resources (the blockers are decided in rules.ts tierChangeBlockers).
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { ConflictError, ValidationError } from '../../shared/errors';
import { recordAudit } from '../audit/repository';
import { loadReadableAccount } from './access';
import * as repository from './repository';
import type { Customer } from './repository';
import { countOpenKeyAccountCommitments } from '../budgets/commitments';
import { isKeyAccount, tierChangeBlockers, validateReason, type Tier, type TierChangeBlocker } from './rules';
import { checkPartner } from './validate';

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
