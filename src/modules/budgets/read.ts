// Reading budgets, bookings and transfers: each checks who may read the account it belongs to
// (a CSM their own accounts) before it answers.
import { DateTime } from 'luxon';
import type { UseCaseContext } from '../../shared/context';
import { ForbiddenActionError, NotFoundError } from '../../shared/errors';
import { fiscalYearOf } from '../../shared/fiscal';
import { requireId } from '../../shared/ids';
import {
  isNumberKey,
  keysetConnection,
  newestFirstKey,
  type Connection,
  type ConnectionArgs,
} from '../../shared/pagination';
import { csmScope, loadReadableAccount, readsAllAccounts } from '../customers/access';
import * as repository from './repository';
import type { Budget, LedgerEntry, Transfer } from './repository';
import type { Totals } from './rules';

export async function readBudget(context: UseCaseContext, budgetId: string): Promise<Budget> {
  const id = requireId(budgetId, 'id');
  const budget = await repository.findBudgetById(context.db, id);
  if (!budget) throw new NotFoundError('Budget', id, 'id');
  await loadReadableAccount(context, context.db, budget.accountId, 'id', { owned: { type: 'Budget', id } });
  return budget;
}

export async function budgetFor(
  context: UseCaseContext,
  accountId: string,
  fiscalYear: number | null,
): Promise<Budget | null> {
  const customer = await loadReadableAccount(context, context.db, accountId, 'accountId');
  const year = fiscalYear ?? fiscalYearOf(context.fiscalCalendar, DateTime.now());
  return repository.findBudgetFor(context.db, customer.id, year);
}

/** Budgets by account name, then newest fiscal year first; a CSM gets those of their own accounts. */
export async function listBudgets(
  context: UseCaseContext,
  page: ConnectionArgs,
  fiscalYear: number | null | undefined,
): Promise<Connection<Budget>> {
  const filter = { fiscalYear, csmPersonId: csmScope(context.actor) };
  return keysetConnection(
    page,
    { of: repository.budgetListKey, is: repository.isBudgetListKey },
    (request) => repository.listBudgets(context.db, filter, request),
    () => repository.countBudgets(context.db, filter),
  );
}

/** A page of bookings, newest first; a CSM sees only their own accounts' bookings. */
export async function listBookings(
  context: UseCaseContext,
  page: ConnectionArgs,
  filter: Omit<repository.BookingFilter, 'visibleToCsmPersonId'>,
): Promise<Connection<repository.Booking>> {
  const visibleToCsmPersonId = csmScope(context.actor);
  return keysetConnection(
    page,
    newestFirstKey,
    (request) => repository.listBookings(context.db, { ...filter, visibleToCsmPersonId }, request),
    () => repository.countBookings(context.db, { ...filter, visibleToCsmPersonId }),
  );
}

/** Budget transfers, newest first, a page at a time: for the roles that read every account (the field says which). */
export async function listTransfers(
  context: UseCaseContext,
  page: ConnectionArgs,
  options: { pendingOnly: boolean },
): Promise<Connection<Transfer>> {
  if (!readsAllAccounts(context.actor))
    throw new ForbiddenActionError('your roles do not allow listing transfers');
  const filter = { state: options.pendingOnly ? ('REQUESTED' as const) : null };
  return keysetConnection(
    page,
    newestFirstKey,
    (request) => repository.listTransfers(context.db, filter, request),
    () => repository.countTransfers(context.db, filter),
  );
}

/** A budget's totals as they stood at an instant, summed from the ledger (the budget was read first). */
export async function budgetTotalsAt(
  context: UseCaseContext,
  budget: Budget,
  at: DateTime,
): Promise<Totals & { currency: string; accountId: string }> {
  const totals = await repository.ledgerTotals(context.db, budget.id, at);
  return { ...totals, currency: budget.currency, accountId: budget.accountId };
}

/** A page of a budget's ledger, oldest first (the budget was read first). */
export function ledgerOf(
  context: UseCaseContext,
  budgetId: string,
  page: ConnectionArgs,
): Promise<Connection<LedgerEntry>> {
  return keysetConnection(
    page,
    { of: (entry: LedgerEntry) => Number(entry.id), is: isNumberKey },
    (request) => repository.listEntries(context.db, budgetId, request),
    () => repository.countEntries(context.db, budgetId),
  );
}
