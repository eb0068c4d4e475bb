// Editing an account's own fields: ADMIN, or the account's CSM.
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { hasRole } from '../../shared/auth';
import { ForbiddenActionError, ValidationError, requireSomeChange } from '../../shared/errors';
import { optionalText } from '../../shared/text';
import { recordAudit } from '../audit/repository';
import { validateName } from '../../shared/text';
import { isCsmOf, loadReadableAccount } from './access';
import * as repository from './repository';
import type { Customer } from './repository';
import { checkPartner, checkSalesRep, TEXT_LENGTH_MAX } from './validate';

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
      industry: optionalText(input.industry, 'input.industry', TEXT_LENGTH_MAX),
      region: optionalText(input.region, 'input.region', TEXT_LENGTH_MAX),
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
