// An account's tiering figures of a fiscal year (contribution, potential): ADMIN or FINANCE.
import { inTransaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { requireAnyRole } from '../../shared/auth';
import { validateFiscalYear } from '../../shared/fiscal';
import { type Decimal, validateMoney } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { loadReadableAccount } from './access';
import * as repository from './repository';
import type { CustomerFinancials } from './repository';

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
