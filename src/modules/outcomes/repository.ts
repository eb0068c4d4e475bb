// SQL for opportunities and the free resources invested to win them.
import type { Queryable } from '../../db/transaction';
import { fromDatabase, toDatabase, type Decimal } from '../../shared/money';

import type { OpportunityStage } from './rules';

export type { OpportunityStage };

export type Opportunity = {
  id: string;
  accountId: string;
  name: string;
  amount: Decimal;
  currency: string;
  stage: OpportunityStage;
  ownerUserId: string | null;
  hatchedOn: string;
  registeredOn: string | null;
  closedOn: string | null;
};

export type Investment = {
  id: string;
  opportunityId: string;
  accountId: string;
  serviceId: string | null;
  cost: Decimal;
  currency: string;
  spentOn: string;
  description: string;
  recordedBy: string;
};

/* eslint-disable @typescript-eslint/no-explicit-any -- mapped field by field */
const toOpportunity = (row: any): Opportunity => ({
  id: row.id,
  accountId: row.account_id,
  name: row.name,
  amount: fromDatabase(row.amount),
  currency: row.currency.trim(),
  stage: row.stage,
  ownerUserId: row.owner_user_id,
  hatchedOn: row.hatched_on,
  registeredOn: row.registered_on,
  closedOn: row.closed_on,
});

const toInvestment = (row: any): Investment => ({
  id: row.id,
  opportunityId: row.opportunity_id,
  accountId: row.account_id,
  serviceId: row.service_id,
  cost: fromDatabase(row.cost),
  currency: row.currency.trim(),
  spentOn: row.spent_on,
  description: row.description,
  recordedBy: row.recorded_by,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function insertOpportunity(
  db: Queryable,
  opportunity: Omit<Opportunity, 'id' | 'closedOn'>,
): Promise<Opportunity> {
  const [row] = await db('opportunities')
    .insert({
      account_id: opportunity.accountId,
      name: opportunity.name,
      amount: toDatabase(opportunity.amount),
      currency: opportunity.currency,
      stage: opportunity.stage,
      owner_user_id: opportunity.ownerUserId,
      hatched_on: opportunity.hatchedOn,
      registered_on: opportunity.registeredOn,
    })
    .returning('*');
  return toOpportunity(row);
}

export async function findOpportunityById(
  db: Queryable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<Opportunity | null> {
  const query = db('opportunities').where({ id });
  if (options.forUpdate) query.forUpdate();
  const row = await query.first();
  return row ? toOpportunity(row) : null;
}

export async function updateOpportunityStage(
  db: Queryable,
  id: string,
  stage: OpportunityStage,
  day: string,
): Promise<Opportunity> {
  const [row] = await db('opportunities')
    .where({ id })
    .update({
      stage,
      ...(stage === 'REGISTERED' && { registered_on: db.raw('coalesce(registered_on, ?::date)', [day]) }),
      ...((stage === 'WON' || stage === 'LOST') && { closed_on: day }),
    })
    .returning('*');
  return toOpportunity(row);
}

export async function findOpportunitiesByAccounts(
  db: Queryable,
  accountIds: readonly string[],
): Promise<Opportunity[]> {
  return (
    await db('opportunities')
      .whereIn('account_id', [...accountIds])
      .orderBy('hatched_on', 'desc')
  ).map(toOpportunity);
}

export async function insertInvestment(
  db: Queryable,
  investment: Omit<Investment, 'id'>,
): Promise<Investment> {
  const [row] = await db('opportunity_investments')
    .insert({
      opportunity_id: investment.opportunityId,
      account_id: investment.accountId,
      service_id: investment.serviceId,
      cost: toDatabase(investment.cost),
      currency: investment.currency,
      spent_on: investment.spentOn,
      description: investment.description,
      recorded_by: investment.recordedBy,
    })
    .returning('*');
  return toInvestment(row);
}

export async function findInvestmentById(db: Queryable, id: string): Promise<Investment | null> {
  const row = await db('opportunity_investments').where({ id }).first();
  return row ? toInvestment(row) : null;
}

export async function findInvestments(
  db: Queryable,
  opportunityIds: readonly string[],
): Promise<Investment[]> {
  return (
    await db('opportunity_investments')
      .whereIn('opportunity_id', [...opportunityIds])
      .orderBy('spent_on')
  ).map(toInvestment);
}

export const SCORE_MIN = 1;
export const SCORE_MAX = 5;

/** Scores 1–5: 1 poor, 2 weak, 3 neutral, 4 good, 5 excellent. */
export type Assessment = {
  id: string;
  accountId: string;
  assessedOn: string;
  relationshipCloseness: number;
  solutionAcceptance: number;
  priceAcceptance: number;
  assessorUserId: string;
  note: string;
};

/* eslint-disable @typescript-eslint/no-explicit-any -- mapped field by field */
const toAssessment = (row: any): Assessment => ({
  id: row.id,
  accountId: row.account_id,
  assessedOn: row.assessed_on,
  relationshipCloseness: row.relationship_closeness,
  solutionAcceptance: row.solution_acceptance,
  priceAcceptance: row.price_acceptance,
  assessorUserId: row.assessor_user_id,
  note: row.note,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function insertAssessment(
  db: Queryable,
  assessment: Omit<Assessment, 'id'>,
): Promise<Assessment> {
  const [row] = await db('relationship_assessments')
    .insert({
      account_id: assessment.accountId,
      assessed_on: assessment.assessedOn,
      relationship_closeness: assessment.relationshipCloseness,
      solution_acceptance: assessment.solutionAcceptance,
      price_acceptance: assessment.priceAcceptance,
      assessor_user_id: assessment.assessorUserId,
      note: assessment.note,
    })
    .returning('*');
  return toAssessment(row);
}

export async function findAssessments(db: Queryable, accountIds: readonly string[]): Promise<Assessment[]> {
  return (
    await db('relationship_assessments')
      .whereIn('account_id', [...accountIds])
      .orderBy('assessed_on', 'desc')
      .orderBy('created_at', 'desc')
  ).map(toAssessment);
}

export async function linkBooking(
  db: Queryable,
  opportunityId: string,
  bookingId: string,
  accountId: string,
): Promise<boolean> {
  const inserted = await db('opportunity_bookings')
    .insert({ opportunity_id: opportunityId, booking_id: bookingId, account_id: accountId })
    .onConflict(['opportunity_id', 'booking_id'])
    .ignore()
    .returning('booking_id');
  return inserted.length > 0;
}

export async function findLinkedBookingIds(
  db: Queryable,
  opportunityIds: readonly string[],
): Promise<{ opportunityId: string; bookingId: string }[]> {
  const rows = await db('opportunity_bookings')
    .whereIn('opportunity_id', [...opportunityIds])
    .select('opportunity_id', 'booking_id');
  return rows.map((row: { opportunity_id: string; booking_id: string }) => ({
    opportunityId: row.opportunity_id,
    bookingId: row.booking_id,
  }));
}
