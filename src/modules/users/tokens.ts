// API tokens: 32 random bytes shown once at creation; only a keyed hash (HMAC-SHA256 with the
// server's TOKEN_HASH_KEY) is stored, so a database leak does not leak usable tokens. Tokens
// are high-entropy, so a fast keyed hash is enough; lookup is by hash, compared in constant time.
import crypto from 'node:crypto';

export const TOKEN_PREFIX = 'slt_';
const TOKEN_BYTES = 32;
const TOKEN_LENGTH_MAX = 200;

export function generateToken(): string {
  return TOKEN_PREFIX + crypto.randomBytes(TOKEN_BYTES).toString('base64url');
}

export function hashToken(key: string, token: string): string {
  return crypto.createHmac('sha256', key).update(token, 'utf8').digest('hex');
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/** The token in an Authorization header, or null when the header is absent; throws when malformed. */
export function bearerToken(header: string | null | undefined): string | null {
  if (header === null || header === undefined || header === '') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match || match[1]!.length > TOKEN_LENGTH_MAX) {
    throw new Error('Authorization header must be "Bearer <API token>"');
  }
  return match[1]!;
}
