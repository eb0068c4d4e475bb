// Use cases for opportunities and the pre-sales investment made to win them (DOMAIN.md section
// 5, kind a): recorded against the opportunity, never charged to the operating budget.
import { inTransaction, type Transaction } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { InvalidTransitionError, NotFoundError, ValidationError } from '../../shared/errors';
import { idempotentTransaction } from '../../shared/idempotency';
import { requireId } from '../../shared/ids';
import { type Decimal, validateMoney } from '../../shared/money';
import { recordAudit } from '../audit/repository';
import { loadManagedAccount, type OwnedObject } from '../customers/access';
import { findServicesByIds } from '../catalog/repository';
import { today } from '../../shared/fiscal';
import { validateName } from '../../shared/text';
import * as repository from './repository';
import { findBookingById } from '../budgets/repository';
import type { Assessment, Investment, Opportunity, OpportunityStage } from './repository';

const STAGE_ORDER: Record<OpportunityStage, OpportunityStage[]> = {
  HATCHED: ['REGISTERED', 'WON', 'LOST'],
  REGISTERED: ['WON', 'LOST'],
  WON: [],
  LOST: [],
};

const requireOwner = (
  context: UseCaseContext,
  trx: Transaction,
  accountId: string,
  field: string,
  owned?: OwnedObject,
) =>
  loadManagedAccount(context, trx, accountId, field, {
    what: 'opportunities',
    roles: ['SALES_LEADER', 'ADMIN'],
    owned,
  });

export async function createOpportunity(
  context: UseCaseContext,
  input: {
    accountId: string;
    name: string;
    amount: Decimal;
    currency: string;
    registered?: boolean | null;
    hatchedOn?: string | null;
  },
): Promise<Opportunity> {
  const name = validateName(input.name, 'input.name');
  const amount = validateMoney(input.amount, 'input.amount');
  return inTransaction(context.db, async (trx) => {
    const customer = await requireOwner(context, trx, input.accountId, 'input.accountId');
    const day = input.hatchedOn ?? today(context);
    const opportunity = await repository.insertOpportunity(trx, {
      accountId: customer.id,
      name,
      amount,
      currency: input.currency,
      stage: input.registered ? 'REGISTERED' : 'HATCHED',
      ownerUserId: context.actor?.userId ?? null,
      hatchedOn: day,
      registeredOn: input.registered ? today(context) : null,
    });
    await recordAudit(trx, context, {
      action: 'opportunity.create',
      entityType: 'Opportunity',
      entityId: opportunity.id,
      accountId: customer.id,
      after: opportunity,
    });
    return opportunity;
  });
}

export async function setOpportunityStage(
  context: UseCaseContext,
  input: { opportunityId: string; stage: OpportunityStage },
): Promise<Opportunity> {
  const opportunityId = requireId(input.opportunityId, 'input.opportunityId');
  return inTransaction(context.db, async (trx) => {
    const before = await repository.findOpportunityById(trx, opportunityId, { forUpdate: true });
    if (!before) throw new NotFoundError('Opportunity', opportunityId, 'input.opportunityId');
    await requireOwner(context, trx, before.accountId, 'input.opportunityId', {
      type: 'Opportunity',
      id: opportunityId,
    });
    if (!STAGE_ORDER[before.stage].includes(input.stage))
      throw new InvalidTransitionError('Opportunity', before.stage, input.stage);
    const after = await repository.updateOpportunityStage(trx, opportunityId, input.stage, today(context));
    await recordAudit(trx, context, {
      action: 'opportunity.setStage',
      entityType: 'Opportunity',
      entityId: opportunityId,
      accountId: before.accountId,
      before,
      after,
    });
    return after;
  });
}

const loadInvestment = (context: UseCaseContext) => (id: string) =>
  repository.findInvestmentById(context.db, id);

export async function recordOpportunityInvestment(
  context: UseCaseContext,
  input: {
    opportunityId: string;
    serviceId?: string | null;
    cost: Decimal;
    spentOn: string;
    description: string;
    idempotencyKey: string;
  },
): Promise<Investment> {
  const opportunityId = requireId(input.opportunityId, 'input.opportunityId');
  const cost = validateMoney(input.cost, 'input.cost', { sign: 'POSITIVE' });
  const description = input.description.trim();
  if (description.length === 0 || description.length > 2000)
    throw new ValidationError('input.description', 'a description of 1–2000 characters is required');
  return idempotentTransaction(
    context,
    { operation: 'recordOpportunityInvestment', input },
    {
      type: 'OpportunityInvestment',
      idOf: (investment) => investment.id,
      load: loadInvestment(context),
      authorize: async (investment, trx) => {
        await requireOwner(context, trx, investment.accountId, 'input.opportunityId', {
          type: 'Opportunity',
          id: investment.opportunityId,
        });
      },
    },
    async (trx) => {
      const opportunity = await repository.findOpportunityById(trx, opportunityId, { forUpdate: true });
      if (!opportunity) throw new NotFoundError('Opportunity', opportunityId, 'input.opportunityId');
      await requireOwner(context, trx, opportunity.accountId, 'input.opportunityId', {
        type: 'Opportunity',
        id: opportunityId,
      });
      if (opportunity.stage !== 'REGISTERED') {
        throw new ValidationError(
          'input.opportunityId',
          `investment to win a deal is recorded on a REGISTERED opportunity; this one is ${opportunity.stage}`,
        );
      }
      const serviceId = input.serviceId ? requireId(input.serviceId, 'input.serviceId') : null;
      if (serviceId && (await findServicesByIds(trx, [serviceId])).length === 0)
        throw new NotFoundError('ExpertService', serviceId, 'input.serviceId');
      const investment = await repository.insertInvestment(trx, {
        opportunityId,
        accountId: opportunity.accountId,
        serviceId,
        cost,
        currency: opportunity.currency,
        spentOn: input.spentOn,
        description,
        recordedBy: context.actor!.userId,
      });
      await recordAudit(trx, context, {
        action: 'opportunity.recordInvestment',
        entityType: 'OpportunityInvestment',
        entityId: investment.id,
        accountId: opportunity.accountId,
        after: investment,
      });
      return investment;
    },
  );
}

export async function recordAssessment(
  context: UseCaseContext,
  input: {
    accountId: string;
    assessedOn: string;
    relationshipCloseness: number;
    solutionAcceptance: number;
    priceAcceptance: number;
    note?: string | null;
  },
): Promise<Assessment> {
  for (const field of ['relationshipCloseness', 'solutionAcceptance', 'priceAcceptance'] as const) {
    const score = input[field];
    if (!Number.isInteger(score) || score < repository.SCORE_MIN || score > repository.SCORE_MAX) {
      throw new ValidationError(
        `input.${field}`,
        `scores are whole numbers from ${repository.SCORE_MIN} (poor) to ${repository.SCORE_MAX} (excellent)`,
      );
    }
  }
  if (input.assessedOn > today(context))
    throw new ValidationError('input.assessedOn', 'an assessment cannot be dated in the future');
  const note = (input.note ?? '').trim();
  if (note.length > 2000) throw new ValidationError('input.note', 'the note is longer than 2000 characters');
  return inTransaction(context.db, async (trx) => {
    const customer = await requireOwner(context, trx, input.accountId, 'input.accountId');
    const assessment = await repository.insertAssessment(trx, {
      accountId: customer.id,
      assessedOn: input.assessedOn,
      relationshipCloseness: input.relationshipCloseness,
      solutionAcceptance: input.solutionAcceptance,
      priceAcceptance: input.priceAcceptance,
      assessorUserId: context.actor!.userId,
      note,
    });
    await recordAudit(trx, context, {
      action: 'assessment.record',
      entityType: 'RelationshipAssessment',
      entityId: assessment.id,
      accountId: customer.id,
      after: assessment,
    });
    return assessment;
  });
}

/** Records that a free-service booking contributed to an opportunity of the same account. */
export async function linkBookingToOpportunity(
  context: UseCaseContext,
  input: { opportunityId: string; bookingId: string },
): Promise<Opportunity> {
  const opportunityId = requireId(input.opportunityId, 'input.opportunityId');
  const bookingId = requireId(input.bookingId, 'input.bookingId');
  return inTransaction(context.db, async (trx) => {
    const opportunity = await repository.findOpportunityById(trx, opportunityId);
    if (!opportunity) throw new NotFoundError('Opportunity', opportunityId, 'input.opportunityId');
    await requireOwner(context, trx, opportunity.accountId, 'input.opportunityId', {
      type: 'Opportunity',
      id: opportunityId,
    });
    const booking = await findBookingById(trx, bookingId);
    if (!booking) throw new NotFoundError('Booking', bookingId, 'input.bookingId');
    if (booking.accountId !== opportunity.accountId)
      throw new ValidationError('input.bookingId', 'the booking belongs to another account');
    if (await repository.linkBooking(trx, opportunityId, bookingId, opportunity.accountId)) {
      await recordAudit(trx, context, {
        action: 'opportunity.linkBooking',
        entityType: 'Opportunity',
        entityId: opportunityId,
        accountId: opportunity.accountId,
        after: { bookingId },
      });
    }
    return opportunity;
  });
}
