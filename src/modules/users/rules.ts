// Pure rules for users: what a valid name, email and role set are.
import { validateName } from '../../shared/text';
import { ValidationError } from '../../shared/errors';
import { ROLES, type Role } from '../../shared/auth';

export const USER_NAME_LENGTH_MAX = 200;
export const EMAIL_LENGTH_MAX = 320;
export const TOKEN_LABEL_LENGTH_MAX = 100;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export type NewUser = { name: string; email: string; roles: Role[] };

export function validateNewUser(
  input: { name: string; email: string; roles: readonly string[] },
  path = 'input',
): NewUser {
  const name = validateName(input.name, `${path}.name`, USER_NAME_LENGTH_MAX);
  const email = input.email.trim().toLowerCase();
  if (email.length > EMAIL_LENGTH_MAX || !EMAIL_PATTERN.test(email)) {
    throw new ValidationError(`${path}.email`, 'email must be an address such as name@example.com');
  }
  const roles = [...new Set(input.roles)];
  if (roles.length === 0) throw new ValidationError(`${path}.roles`, 'a user needs at least one role');
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new ValidationError(`${path}.roles`, `unknown role ${role}; roles are ${ROLES.join(', ')}`);
    }
  }
  return { name, email, roles: roles as Role[] };
}

export function validateTokenLabel(label: string, field: string): string {
  const trimmed = label.trim();
  if (trimmed.length === 0 || trimmed.length > TOKEN_LABEL_LENGTH_MAX) {
    throw new ValidationError(field, `label must be 1–${TOKEN_LABEL_LENGTH_MAX} characters`);
  }
  return trimmed;
}
