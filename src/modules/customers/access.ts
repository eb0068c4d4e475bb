// Who may see and change which account: ADMIN, FINANCE and SALES_LEADER read every account; a
// CSM reads and changes only the accounts they are the CSM of (through their linked person).
import type { Queryable } from '../../db/transaction';
import type { UseCaseContext } from '../../graphql/context';
import { hasAnyRole, hasRole, type Actor } from '../../shared/auth';
import { ForbiddenActionError, NotFoundError } from '../../shared/errors';
import { requireId } from '../../shared/ids';
import { findCustomerById, type Customer } from './repository';

export function readsAllAccounts(actor: Actor | null): boolean {
  return hasAnyRole(actor, ['ADMIN', 'FINANCE', 'SALES_LEADER']);
}

/** For list queries: null means "all accounts"; a person id restricts to that CSM's accounts. */
export function csmScope(actor: Actor | null): string | null {
  if (readsAllAccounts(actor)) return null;
  if (hasRole(actor, 'CSM')) return actor!.personId ?? '00000000-0000-0000-0000-000000000000';
  throw new ForbiddenActionError('your roles do not allow reading accounts');
}

export function isCsmOf(actor: Actor | null, customer: Customer): boolean {
  return hasRole(actor, 'CSM') && actor!.personId !== null && customer.csmPersonId === actor!.personId;
}

export function assertCanRead(actor: Actor | null, customer: Customer): void {
  if (readsAllAccounts(actor) || isCsmOf(actor, customer)) return;
  throw new ForbiddenActionError(`you are not the CSM of account ${customer.name}`);
}

/** Loads an account the caller may read (optionally locked for update), or throws a typed error. */
export async function loadReadableAccount(
  context: UseCaseContext,
  db: Queryable,
  accountId: string,
  field: string,
  options: { forUpdate?: boolean } = {},
): Promise<Customer> {
  const id = requireId(accountId, field);
  const customer = await findCustomerById(db, id, options);
  if (!customer) throw new NotFoundError('Account', id, field);
  assertCanRead(context.actor, customer);
  return customer;
}
