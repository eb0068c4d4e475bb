// Who may see and change which account: ADMIN, FINANCE and SALES_LEADER read every account; a
// CSM reads and changes only the accounts they are the CSM of (through their linked person).
// This is the one place that decides it: the services call it for what they load, and every
// GraphQL object type that carries account data calls mayReadAccount for itself, wherever it is
// reached (root field, nested field, mutation payload, replay). An account the caller may not
// read is NOT_FOUND, never a hint that it exists.
import type { Queryable } from '../../db/transaction';
import type { UseCaseContext } from '../../shared/context';
import { hasAnyRole, hasRole, type Actor, type Role } from '../../shared/auth';
import { ForbiddenActionError, NotFoundError } from '../../shared/errors';
import { requireId } from '../../shared/ids';
import { findAccountIdsOfCsm, findCustomerById, type Customer } from './repository';

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

// One set of readable account ids per request (the request context is the key), loaded on first use.
const readableByRequest = new WeakMap<object, Promise<Set<string>>>();

/**
 * May the caller read this account's data? `accountIds` lists the accounts an object belongs to
 * (a transfer has two: reading either side is enough); null means an object of no account, which
 * only the roles that read every account see. Synchronous for those roles; a CSM's accounts are
 * loaded once per request.
 */
export function mayReadAccount(
  context: Pick<UseCaseContext, 'db' | 'actor'>,
  accountIds: string | readonly (string | null)[] | null,
): boolean | Promise<boolean> {
  const actor = context.actor;
  if (readsAllAccounts(actor)) return true;
  if (!hasRole(actor, 'CSM') || actor!.personId === null) return false;
  const wanted = (typeof accountIds === 'string' ? [accountIds] : (accountIds ?? [])).filter(
    (id): id is string => id !== null,
  );
  if (wanted.length === 0) return false;
  let readable = readableByRequest.get(context);
  if (!readable) {
    readable = findAccountIdsOfCsm(context.db, actor!.personId);
    readableByRequest.set(context, readable);
  }
  return readable.then((ids) => wanted.some((id) => ids.has(id)));
}

/** An object found by its own id, whose account must be readable: refusals then name the object. */
export type OwnedObject = { type: string; id: string };

/**
 * Loads an account the caller may read (optionally locked for update), or throws NOT_FOUND. When
 * the account was reached through an object the caller named (`owned`), the refusal names that
 * object, exactly as if its id were unknown, so it tells nothing about the account behind it.
 */
export async function loadReadableAccount(
  context: UseCaseContext,
  db: Queryable,
  accountId: string,
  field: string,
  options: { forUpdate?: boolean; owned?: OwnedObject } = {},
): Promise<Customer> {
  const id = requireId(accountId, field);
  const customer = await findCustomerById(db, id, options);
  const readable = customer !== null && (readsAllAccounts(context.actor) || isCsmOf(context.actor, customer));
  if (!readable) {
    if (options.owned) throw new NotFoundError(options.owned.type, options.owned.id, field);
    throw new NotFoundError('Account', id, field);
  }
  return customer;
}

/**
 * Loads an account that the caller may manage `what` on: its CSM, or a holder of one of
 * `roles`. Unreadable is NOT_FOUND (as loadReadableAccount); readable but not theirs to manage
 * is FORBIDDEN, naming who may.
 */
export async function loadManagedAccount(
  context: UseCaseContext,
  db: Queryable,
  accountId: string,
  field: string,
  rule: { what: string; roles: readonly Role[]; owned?: OwnedObject },
): Promise<Customer> {
  const customer = await loadReadableAccount(context, db, accountId, field, { owned: rule.owned });
  if (!hasAnyRole(context.actor, rule.roles) && !isCsmOf(context.actor, customer))
    throw new ForbiddenActionError(
      `${rule.what} are managed by the account’s CSM or ${rule.roles.map((role) => `an ${role}`).join(' or ')}`,
    );
  return customer;
}
