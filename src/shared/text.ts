// Optional free-text arguments: trimmed, null when blank, refused (naming the field) when longer
// than the column allows, so a database CHECK never has to be the one to say no. Undefined (not
// given: leave as is) stays apart from null (clear it).
import { ValidationError } from './errors';

export function optionalText(value: string, field: string, max: number): string | null;
export function optionalText(
  value: string | null | undefined,
  field: string,
  max: number,
): string | null | undefined;
export function optionalText(
  value: string | null | undefined,
  field: string,
  max: number,
): string | null | undefined {
  if (value === undefined || value === null) return value;
  const trimmed = value.trim();
  if (trimmed.length > max)
    throw new ValidationError(field, `${field.split('.').pop()} is longer than ${max} characters`);
  return trimmed.length > 0 ? trimmed : null;
}
