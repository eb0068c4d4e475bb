// Ids are UUIDs. A malformed id is a validation error naming the field, not a database error.
import { ValidationError } from './errors';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

export function requireId(value: string, field: string): string {
  if (!isUuid(value))
    throw new ValidationError(
      field,
      `${field} must be an id (UUID), got ${JSON.stringify(value.slice(0, 60))}`,
    );
  return value.toLowerCase();
}

/**
 * An optional GraphQL ID argument, checked like a required one when given (an empty string is a
 * bad id, not "no id"), keeping null (clear the field) apart from undefined (leave it).
 */
export function optionalId(
  value: string | number | null | undefined,
  field: string,
): string | null | undefined {
  return value === null || value === undefined ? value : requireId(String(value), field);
}

/** An optional list of ids, each checked and named by its index (`field.0`); null when not given. */
export function optionalIds(
  values: readonly (string | number)[] | null | undefined,
  field: string,
): string[] | null {
  return values ? values.map((value, index) => requireId(String(value), `${field}.${index}`)) : null;
}

/**
 * An id given under its field's new name or under the deprecated old one: exactly one of the two.
 * Missing names the new field; both given names the old one (drop it).
 */
export function renamedId(
  current: string | number | null | undefined,
  deprecated: string | number | null | undefined,
  field: string,
  deprecatedField: string,
): string {
  const given = [current, deprecated].filter((value) => value !== null && value !== undefined);
  if (given.length === 0) throw new ValidationError(field, `${field} is required`);
  if (given.length > 1)
    throw new ValidationError(deprecatedField, `give ${field} or its old name ${deprecatedField}, not both`);
  return String(given[0]);
}
