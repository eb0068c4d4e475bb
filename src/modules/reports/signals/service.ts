// Use cases of the signals for finance and sales leaders: fairness of free spend, burn-rate
// forecasts, tier review proposals (which change nothing) and the paid-services P&L.
import { DateTime } from 'luxon';
import { inTransaction } from '../../../db/transaction';
import type { UseCaseContext } from '../../../shared/context';
import { requireAnyRole } from '../../../shared/auth';
import { ValidationError } from '../../../shared/errors';
import { fiscalLabel, fiscalRange, fiscalYearRange, type FiscalPeriod } from '../../../shared/fiscal';
import { formatMoney, type Decimal } from '../../../shared/money';
import { recordAudit } from '../../audit/repository';
import { findBudgetFor } from '../../budgets/repository';
import { csmScope } from '../../customers/access';
import { findFinancials, findPolicy, type CustomerFinancials } from '../../customers/repository';
import type { TieringPolicy } from '../../customers/rules';
import { validateFiscalYear } from '../../../shared/fiscal';
import type { Tier } from '../../customers/rules';
import { roi, type RoiRow } from '../roi/repository';
import { basisScope } from '../period/basis';
import {
  burnForecast,
  fairnessFlag,
  proposeTier,
  type BurnForecast,
  type FairnessFlag,
  type ReportSettings,
  type TierProposal,
} from './rules';
import * as signals from './repository';
import { REPORT_READERS } from '../access';
import { resolvePeriod, type PeriodInput } from '../period/resolve';

export async function setReportSettings(
  context: UseCaseContext,
  input: ReportSettings,
): Promise<ReportSettings> {
  requireAnyRole(context.actor, ['FINANCE'], 'only FINANCE may set report thresholds');
  const checks: [keyof ReportSettings, boolean, string][] = [
    ['overShareFactor', input.overShareFactor.greaterThanOrEqualTo(1), 'at least 1'],
    [
      'underPotentialShareMin',
      input.underPotentialShareMin.greaterThan(0) && input.underPotentialShareMin.lessThanOrEqualTo(1),
      'above 0 and at most 1',
    ],
    [
      'underSpendFactor',
      input.underSpendFactor.greaterThan(0) && input.underSpendFactor.lessThan(1),
      'between 0 and 1',
    ],
    [
      'underuseRatio',
      input.underuseRatio.greaterThan(0) && input.underuseRatio.lessThan(1),
      'between 0 and 1',
    ],
    [
      'promotionUpliftMin',
      Number.isInteger(input.promotionUpliftMin) &&
        input.promotionUpliftMin >= 1 &&
        input.promotionUpliftMin <= 12,
      'a whole number from 1 to 12',
    ],
    [
      'heavyUtilisation',
      input.heavyUtilisation.greaterThan(0) && input.heavyUtilisation.lessThanOrEqualTo(1),
      'above 0 and at most 1',
    ],
  ];
  for (const [field, ok, rule] of checks)
    if (!ok) throw new ValidationError(`input.${field}`, `${field} must be ${rule}`);
  // The columns keep 4 decimal places (6 for the share); more would be rounded away silently.
  const places: [keyof ReportSettings, Decimal, number][] = [
    ['overShareFactor', input.overShareFactor, 4],
    ['underPotentialShareMin', input.underPotentialShareMin, 6],
    ['underSpendFactor', input.underSpendFactor, 4],
    ['underuseRatio', input.underuseRatio, 4],
    ['heavyUtilisation', input.heavyUtilisation, 4],
  ];
  for (const [field, value, most] of places)
    if (value.decimalPlaces() > most)
      throw new ValidationError(`input.${field}`, `${field} has more than ${most} decimal places`);
  return inTransaction(context.db, async (trx) => {
    const before = await signals.findSettings(trx);
    const after = await signals.updateSettings(trx, input, context.actor?.userId ?? null);
    await recordAudit(trx, context, {
      action: 'reportSettings.set',
      entityType: 'ReportSettings',
      entityId: '1',
      before,
      after,
    });
    return after;
  });
}

export type FairnessView = signals.FairnessRow & FairnessFlag;

export async function fairnessSignals(
  context: UseCaseContext,
  fiscalYearInput: number,
): Promise<FairnessView[]> {
  requireAnyRole(context.actor, REPORT_READERS, 'these reports are for FINANCE and SALES_LEADER');
  const fiscalYear = validateFiscalYear(fiscalYearInput, 'fiscalYear');
  const range = fiscalYearRange(context.fiscalCalendar, fiscalYear);
  const settings = await signals.findSettings(context.db);
  const rows = await signals.fairnessInputs(
    context.db,
    fiscalYear,
    range.start.toJSDate(),
    range.end.toJSDate(),
    null,
  );
  return rows.flatMap((row) => {
    const flag = fairnessFlag(row.tier, row, settings);
    return flag ? [{ ...row, ...flag }] : [];
  });
}

export type BurnView = signals.BurnRow & BurnForecast & { runOutDate: string | null };

export async function burnRate(
  context: UseCaseContext,
  fiscalYearInput: number,
  at: DateTime | null,
  accountId: string | null = null,
): Promise<BurnView[]> {
  // A CSM sees the forecasts of their own accounts (their board flags them); the others see all.
  const scope = csmScope(context.actor);
  const fiscalYear = validateFiscalYear(fiscalYearInput, 'fiscalYear');
  return burnForecasts(context, fiscalYear, at ?? DateTime.now(), scope, accountId);
}

/** The forecast of each open budget of a year at `now`: the report above, and the daily alert. */
export async function burnForecasts(
  context: Pick<UseCaseContext, 'db' | 'fiscalCalendar'>,
  fiscalYear: number,
  now: DateTime,
  scope: string | null,
  accountId: string | null,
): Promise<BurnView[]> {
  const range = fiscalYearRange(context.fiscalCalendar, fiscalYear);
  const yearMs = range.end.toMillis() - range.start.toMillis();
  const elapsed = (now.toMillis() - range.start.toMillis()) / yearMs;
  const settings = await signals.findSettings(context.db);
  const rows = await signals.burnInputs(context.db, fiscalYear, now.toJSDate(), scope, accountId);
  return rows.map((row) => {
    const forecast = burnForecast({ ...row, elapsedFraction: elapsed }, settings.underuseRatio);
    const runOutDate =
      forecast.runOutFraction === null
        ? null
        : range.start
            .plus({ milliseconds: Math.round(forecast.runOutFraction * yearMs) })
            .setZone(context.fiscalCalendar.timeZone)
            .toISODate();
    return { ...row, ...forecast, runOutDate };
  });
}

export type ProposalView = TierProposal & {
  accountId: string;
  from: Tier;
  budgetImpact: string[];
  periodLabel: string;
};

/** Candidates for a tier change from the year's outcomes. Nothing changes until someone applies one with changeTier. */
export async function tierReviewProposals(
  context: UseCaseContext,
  fiscalYearInput: number,
): Promise<ProposalView[]> {
  requireAnyRole(context.actor, REPORT_READERS, 'these reports are for FINANCE and SALES_LEADER');
  const fiscalYear = validateFiscalYear(fiscalYearInput, 'fiscalYear');
  const period: FiscalPeriod = { kind: 'YEAR', fiscalYear, quarter: null, month: null };
  const range = fiscalRange(context.fiscalCalendar, period);
  const settings = await signals.findSettings(context.db);
  const policy = await findPolicy(context.db, fiscalYear);
  const rows = await roi(context.db, {
    fiscalYear,
    from: range.start.toJSDate(),
    to: range.end.toJSDate(),
    scope: basisScope('BUDGET_YEAR', period), // the fiscal year's budgets
    firstDay: range.firstDay,
    lastDay: range.lastDay,
    tiers: ['A', 'C'],
    csmPersonId: null,
    accountIds: null,
    sort: 'NAME',
    limit: 20_000,
    offset: 0,
  });
  const financials = new Map(
    (
      await findFinancials(
        context.db,
        rows.map((r) => r.accountId),
        fiscalYear,
      )
    ).map((f) => [f.accountId, f]),
  );
  const proposals: ProposalView[] = [];
  for (const row of rows) {
    const proposal = proposeTier(tierOutcomes(row, financials.get(row.accountId), policy), settings);
    if (!proposal) continue;
    proposals.push({
      ...proposal,
      accountId: row.accountId,
      from: row.tier as Tier,
      budgetImpact: await budgetImpact(context, proposal.to, row.accountId, fiscalYear),
      periodLabel: fiscalLabel(period),
    });
  }
  return proposals;
}

/** What proposeTier weighs for one account: its outcomes, and whether its contribution is high. */
function tierOutcomes(
  row: RoiRow,
  figures: CustomerFinancials | undefined,
  policy: TieringPolicy | null,
): Parameters<typeof proposeTier>[0] {
  const contributionHigh =
    policy && figures && figures.currency === policy.currency
      ? figures.contribution.greaterThanOrEqualTo(policy.contributionThreshold)
      : null;
  const totalUplift = row.uplift
    ? row.uplift.relationshipCloseness + row.uplift.solutionAcceptance + row.uplift.priceAcceptance
    : null;
  return {
    tier: row.tier as Tier,
    totalUplift,
    won: row.won,
    pipeline: row.pipeline,
    utilisation: row.utilisation,
    contributionHigh,
  };
}

/** What the change would do to the account's budget of the year, in words. */
async function budgetImpact(
  context: UseCaseContext,
  to: Tier,
  accountId: string,
  fiscalYear: number,
): Promise<string[]> {
  if (to === 'A')
    return ['stays a key account with its CSM and budget; the overrun policy of tier A applies'];
  const budget = await findBudgetFor(context.db, accountId, fiscalYear);
  return [
    'leaves the key accounts: the CSM is released with the change',
    budget
      ? `FY${fiscalYear} budget: ${formatMoney(budget.totals.reserved)} reserved by open bookings to deliver or cancel, ${formatMoney(budget.totals.remaining)} remaining to transfer or close`
      : `no FY${fiscalYear} budget to settle`,
  ];
}

export async function paidServicePnl(
  context: UseCaseContext,
  input: { period: PeriodInput; groupBy: readonly signals.PnlDimension[] },
): Promise<signals.PnlGroup[]> {
  requireAnyRole(context.actor, REPORT_READERS, 'these reports are for FINANCE and SALES_LEADER');
  const period = resolvePeriod(context, input.period);
  const range = fiscalRange(context.fiscalCalendar, period);
  return signals.paidPnl(context.db, {
    from: range.start.toJSDate(),
    to: range.end.toJSDate(),
    timeZone: context.fiscalCalendar.timeZone,
    startMonth: context.fiscalCalendar.startMonth,
    groupBy: [...new Set(input.groupBy)],
  });
}

export async function accountNetMargins(
  context: UseCaseContext,
  periodInput: PeriodInput,
): Promise<signals.AccountNet[]> {
  requireAnyRole(context.actor, REPORT_READERS, 'these reports are for FINANCE and SALES_LEADER');
  const period = resolvePeriod(context, periodInput);
  const range = fiscalRange(context.fiscalCalendar, period);
  return signals.accountNetMargin(context.db, {
    from: range.start.toJSDate(),
    to: range.end.toJSDate(),
    firstDay: range.firstDay,
    lastDay: range.lastDay,
    visibleToCsmPersonId: null,
  });
}

/** The report thresholds: for the roles that read the reports. */
export function reportSettings(context: UseCaseContext): Promise<ReportSettings> {
  requireAnyRole(
    context.actor,
    REPORT_READERS,
    'the report settings are for FINANCE, SALES_LEADER and ADMIN',
  );
  return signals.findSettings(context.db);
}

export { PNL_DIMENSIONS, type AccountNet, type PnlDimension, type PnlGroup } from './repository';
