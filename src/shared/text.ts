// Optional free-text arguments: trimmed, null when blank, refused (naming the field) when longer
// than the column allows, so a database CHECK never has to be the one to say no.
import { ValidationError } from './errors';

export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed.length > max) throw new ValidationError(field, `${field} is longer than ${max} characters`);
  return trimmed.length > 0 ? trimmed : null;
}
