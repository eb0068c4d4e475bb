// Who is asking: the actor resolved from the bearer token, the role vocabulary, and the one
// role check every use case calls.
import { ForbiddenActionError } from './errors';

export const ROLES = ['ADMIN', 'FINANCE', 'SALES_LEADER', 'CSM'] as const;
export type Role = (typeof ROLES)[number];

export type Actor = {
  userId: string;
  name: string;
  roles: readonly Role[];
  /** The person (in teams) this user is, if linked: how a CSM user is a CSM person. */
  personId: string | null;
};

export function hasRole(actor: Actor | null, role: Role): boolean {
  return actor !== null && actor.roles.includes(role);
}

export function hasAnyRole(actor: Actor | null, roles: readonly Role[]): boolean {
  return roles.some((role) => hasRole(actor, role));
}

/** The actor if they hold one of `roles`, else null: a use case that needs the role gets its actor typed. */
export function actorWithAnyRole(actor: Actor | null, roles: readonly Role[]): Actor | null {
  return hasAnyRole(actor, roles) ? actor : null;
}

/**
 * The actor if they hold one of `roles`, else ForbiddenActionError with `refusal`, the sentence
 * the client reads ("only FINANCE may adjust budgets"). Every use case's role check is this call.
 */
export function requireAnyRole(actor: Actor | null, roles: readonly Role[], refusal: string): Actor {
  const allowed = actorWithAnyRole(actor, roles);
  if (allowed === null) throw new ForbiddenActionError(refusal);
  return allowed;
}
