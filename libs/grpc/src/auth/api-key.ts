import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Tenant API keys are bearer tokens `kontor_<keyId>_<secret>`:
// - keyId: 16 lowercase hex characters (8 random bytes), public, safe to log and to index by;
// - secret: 32 random bytes as unpadded base64url (43 characters, may itself contain '_').
// Only SHA-256 of the secret is stored; the token is shown once, when issued.
const TOKEN_PREFIX = 'kontor_';
const KEY_ID_BYTES = 8;
const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^kontor_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** What a key id looks like (e.g. in a page token of a key listing). */
export const API_KEY_ID_SHAPE = /^[0-9a-f]{16}$/;

export const API_KEY_FORMAT = 'kontor_<16 hex key id>_<43 base64url characters of secret>';

export interface GeneratedApiKey {
  readonly keyId: string;
  // The full bearer token; hand it to the caller once and never store it.
  readonly token: string;
  // What to store and later compare: SHA-256 of the secret part.
  readonly secretSha256: Buffer;
}

export interface ParsedApiKey {
  readonly keyId: string;
  readonly secret: string;
}

// SHA-256 over the UTF-8 text of the secret part of a token.
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function generateApiKey(): GeneratedApiKey {
  const keyId = randomBytes(KEY_ID_BYTES).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { keyId, token: `${TOKEN_PREFIX}${keyId}_${secret}`, secretSha256: hashSecret(secret) };
}

// Returns null for anything that is not exactly a well-formed token, including a secret whose
// base64url text is not the canonical encoding of 32 bytes.
export function parseApiKey(token: string): ParsedApiKey | null {
  const match = TOKEN_PATTERN.exec(token);
  if (match === null) return null;
  const [, keyId, secret] = match as unknown as [string, string, string];
  const bytes = Buffer.from(secret, 'base64url');
  if (bytes.length !== SECRET_BYTES || bytes.toString('base64url') !== secret) return null;
  return { keyId, secret };
}

// Constant-time equality of two secret digests; false (not an exception) on length mismatch.
export function secretDigestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
