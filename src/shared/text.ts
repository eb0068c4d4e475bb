// Text arguments. Lengths are counted in characters (code points), as PostgreSQL's char_length
// counts them, so a database CHECK never has to be the one to say no. Names are NFC-normalised and
// refuse control, format (bidi, zero-width) characters: a name must look like what it is.
// Optional free text is trimmed, null when blank; undefined (not given: leave as is) stays apart
// from null (clear it).
import { ValidationError } from './errors';

export const NAME_LENGTH_MAX = 200;

/** Characters as PostgreSQL counts them: code points, not UTF-16 units ("😀" is one). */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count += 1;
  return count;
}

// Cc: control characters; Cf: format characters (bidi controls such as U+202E, zero-width
// spaces and joiners, the byte-order mark, soft hyphens).
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}]/u;

/** Refuses control and format characters, naming the field and the character's code point. */
export function refuseInvisibleCharacters(value: string, field: string): void {
  const found = INVISIBLE_OR_CONTROL.exec(value);
  if (found) {
    const codePoint = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new ValidationError(
      field,
      `${field.split('.').pop()} contains U+${codePoint}, a control or invisible character that names must not hold`,
    );
  }
}

/** A name: NFC-normalised, trimmed, 1–NAME_LENGTH_MAX characters, no control or invisible characters. */
export function validateName(value: string, field: string, lengthMax = NAME_LENGTH_MAX): string {
  // Checked before trimming: trim() would silently drop a byte-order mark at either end.
  refuseInvisibleCharacters(value, field);
  const name = value.normalize('NFC').trim();
  const length = characterCount(name);
  if (length === 0 || length > lengthMax) {
    throw new ValidationError(field, `${field.split('.').pop()} must be 1–${lengthMax} characters`);
  }
  return name;
}

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
  if (characterCount(trimmed) > max)
    throw new ValidationError(field, `${field.split('.').pop()} is longer than ${max} characters`);
  return trimmed.length > 0 ? trimmed : null;
}
