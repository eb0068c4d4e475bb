// What booking a free service would do to the budget, changing nothing: the same decision
// (rules.fundsDecision) the booking takes, with every problem listed instead of thrown.
import type { UseCaseContext } from '../../shared/context';
import { NotFoundError } from '../../shared/errors';
import { fiscalYearOf, instantOfDate, today } from '../../shared/fiscal';
import { requireId } from '../../shared/ids';
import { type Decimal } from '../../shared/money';
import { loadReadableAccount } from '../customers/access';
import { isKeyAccount } from '../customers/rules';
import { findPriceOn, findServicesByIds } from '../catalog/repository';
import * as repository from './repository';
import type { Budget } from './repository';
import { fundsDecision, type FundsDecision, type OverrunPolicy } from './rules';

export type BookingPreview = {
  accountId: string;
  budget: Budget | null;
  fiscalYear: number;
  settlementPrice: Decimal | null;
  remainingBefore: Decimal | null;
  remainingAfter: Decimal | null;
  policy: OverrunPolicy;
  decision: FundsDecision | null;
  problems: string[];
};

/** What booking a free service would do to the budget, changing nothing. */
export async function previewBooking(
  context: UseCaseContext,
  input: { accountId: string; serviceId: string; plannedDate: string },
): Promise<BookingPreview> {
  const customer = await loadReadableAccount(context, context.db, input.accountId, 'accountId');
  const serviceId = requireId(input.serviceId, 'serviceId');
  const fiscalYear = fiscalYearOf(
    context.fiscalCalendar,
    instantOfDate(context.fiscalCalendar, input.plannedDate),
  );
  const problems: string[] = [];
  if (!isKeyAccount(customer.tier))
    problems.push(
      `free expert services are for key accounts (A, C); ${customer.name} is tier ${customer.tier}`,
    );
  const [service] = await findServicesByIds(context.db, [serviceId]);
  if (!service) throw new NotFoundError('ExpertService', serviceId, 'serviceId');
  if (service.kind !== 'FREE') problems.push(`${service.name} is a paid service`);
  if (!service.active) problems.push(`${service.name} is retired`);
  const price = await findPriceOn(context.db, serviceId, today(context));
  if (!price?.settlementPrice) problems.push(`${service.name} has no settlement price in force`);
  const budget = await repository.findBudgetFor(context.db, customer.id, fiscalYear);
  if (!budget) problems.push(`${customer.name} has no operating budget for FY${fiscalYear}`);
  const policy = await repository.findOverrunPolicy(context.db, customer.tier);
  const settlementPrice = price?.settlementPrice ?? null;
  return {
    accountId: customer.id,
    budget,
    fiscalYear,
    settlementPrice,
    remainingBefore: budget?.totals.remaining ?? null,
    remainingAfter: budget && settlementPrice ? budget.totals.remaining.minus(settlementPrice) : null,
    policy,
    decision:
      budget && settlementPrice ? fundsDecision(budget.totals.remaining, settlementPrice, policy) : null,
    problems,
  };
}
