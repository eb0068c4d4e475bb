// Pass 2 of the CSV import: writing one checked row, idempotent on external_id (a re-import
// updates what changed and leaves the rest untouched), with tier history and audit.
import { type Transaction } from '../../../db/transaction';
import type { UseCaseContext } from '../../../shared/context';
import { DomainError } from '../../../shared/errors';
import { recordAudit } from '../../audit/repository';
import * as repository from '../repository';
import type { Customer } from '../repository';
import { countOpenKeyAccountCommitments } from '../../budgets/commitments';
import { tierChangeBlockers } from '../rules';
import { insertNewCustomer } from '../service';

import type { ParsedRow, RowError } from './parse';

function sameFields(customer: Customer, row: ParsedRow, partnerId: string | null): boolean {
  return (
    customer.name === row.name &&
    customer.tier === row.tier &&
    customer.industry === row.industry &&
    customer.region === row.region &&
    customer.channelPartnerId === partnerId
  );
}

/** A row refused while writing (a tier change blocked, a name taken): its line and column. */
export class RowWriteError extends Error {
  constructor(readonly rowError: RowError) {
    super(rowError.message);
  }
}

/** One row written in its own savepoint: created, updated (fields, tier or figures) or unchanged. */
export async function writeRow(
  context: UseCaseContext,
  trx: Transaction,
  row: ParsedRow,
  before: Customer | null,
  partnerId: string | null,
  source: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  try {
    let outcome: 'created' | 'updated' | 'unchanged' = 'unchanged';
    let accountId: string;
    if (!before) {
      const created = await insertNewCustomer(
        context,
        trx,
        { ...row, channelPartnerId: partnerId, reason: `CSV import (${source})` },
        `line ${row.line}`,
      );
      accountId = created.id;
      outcome = 'created';
    } else {
      accountId = before.id;
      if (!sameFields(before, row, partnerId)) {
        await updateFromRow(context, trx, before, row, partnerId, source);
        outcome = 'updated';
      }
    }
    if (row.figures) {
      const [current] = await repository.findFinancials(trx, [accountId], row.figures.fiscalYear);
      if (
        !current ||
        !current.contribution.equals(row.figures.contribution) ||
        !current.potential.equals(row.figures.potential)
      ) {
        await repository.upsertFinancials(trx, {
          accountId,
          ...row.figures,
          currency: context.config.defaultCurrency,
        });
        if (outcome === 'unchanged') outcome = 'updated';
      }
    }
    return outcome;
  } catch (error) {
    if (error instanceof DomainError) {
      throw new RowWriteError({
        line: row.line,
        column: error.field?.split('.').pop() ?? null,
        message: error.message,
      });
    }
    throw error;
  }
}

async function updateFromRow(
  context: UseCaseContext,
  trx: Transaction,
  before: Customer,
  row: ParsedRow,
  partnerId: string | null,
  source: string,
): Promise<void> {
  if (before.tier !== row.tier) {
    const commitments = await countOpenKeyAccountCommitments(trx, before.id);
    const blockers = tierChangeBlockers(
      before.tier,
      row.tier,
      { csmPersonId: before.csmPersonId, ...commitments },
      { releaseCsm: false },
    );
    if (blockers.length > 0) {
      throw new RowWriteError({
        line: row.line,
        column: 'tier',
        message: `cannot move ${row.externalId} to tier ${row.tier}: ${blockers.map((b) => b.message).join('; ')}`,
      });
    }
  }
  const after = await repository.updateCustomer(trx, before.id, {
    name: row.name,
    tier: row.tier,
    industry: row.industry,
    region: row.region,
    channelPartnerId: partnerId,
  });
  if (before.tier !== row.tier) {
    await repository.insertTierChange(trx, {
      accountId: before.id,
      fromTier: before.tier,
      toTier: row.tier,
      changedBy: context.actor?.userId ?? null,
      reason: `CSV import (${source})`,
    });
  }
  await recordAudit(trx, context, {
    action: 'customer.update',
    entityType: 'Customer',
    entityId: before.id,
    accountId: before.id,
    before,
    after,
  });
}
