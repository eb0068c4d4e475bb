// Cost allocation for finance: the period resolved, the caller authorised, the SQL report run.
import type { UseCaseContext } from '../../../shared/context';
import { requireAnyRole } from '../../../shared/auth';
import { ValidationError } from '../../../shared/errors';
import { fiscalRange, type FiscalPeriod } from '../../../shared/fiscal';
import { basisScope, DEFAULT_REPORT_BASIS, type ReportBasis } from '../period/basis';

import { allocation, type Allocation, type AllocationFilter, type Dimension } from './repository';
import { REPORT_READERS } from '../access';
import { pageBounds, resolvePeriod, type PeriodInput } from '../period/resolve';

export const ALLOCATION_GROUPS_MAX = 1000;

export type AllocationView = Allocation & {
  period: FiscalPeriod;
  groupBy: readonly Dimension[];
  basis: ReportBasis;
};

export async function costAllocation(
  context: UseCaseContext,
  input: {
    period: PeriodInput;
    groupBy: readonly Dimension[];
    filter: AllocationFilter;
    basis?: ReportBasis | null;
    first?: number | null;
    offset?: number | null;
  },
): Promise<AllocationView> {
  requireAnyRole(context.actor, REPORT_READERS, 'cost allocation is for FINANCE and SALES_LEADER');
  const groupBy = [...new Set(input.groupBy)];
  if (groupBy.length > 6) throw new ValidationError('groupBy', 'group by at most 6 dimensions');
  const period = resolvePeriod(context, input.period);
  const range = fiscalRange(context.fiscalCalendar, period);
  const page = pageBounds(input.first, input.offset, ALLOCATION_GROUPS_MAX);
  const basis = input.basis ?? DEFAULT_REPORT_BASIS;
  const result = await allocation(context.db, {
    calendar: context.fiscalCalendar,
    from: range.start.toJSDate(),
    to: range.end.toJSDate(),
    scope: basisScope(basis, period),
    groupBy,
    filter: input.filter,
    ...page,
  });
  return { ...result, period, groupBy, basis };
}

export { DIMENSIONS, type AllocationGroup, type Dimension, type Measures } from './repository';
