import { createHash } from 'node:crypto';
import { invalidQuery } from './balance.errors';

// Keyset paging of ledger listings over (entry_date, ledger_sequence): by date, then in the order
// the entries were posted (the sale before its payment, whatever their journals), stable while
// entries are posted (a new entry after the position shows up on a later page, never shifts one). The token is opaque (base64url JSON) and names the query it belongs to, so a token
// replayed against other filters is refused instead of silently skipping rows.

export interface ListingPosition {
  entryDate: string;
  /** The entry's ledger_sequence (posting order within the ledger). */
  sequence: string;
}

const TOKEN_LENGTH_MAX = 512;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SEQUENCE = /^[1-9]\d{0,18}$/;

/** A short digest of the filters a listing was asked with. */
export function queryFingerprint(parts: readonly (string | boolean | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeListingToken(position: ListingPosition, fingerprint: string): string {
  const { entryDate: d, sequence: s } = position;

  return Buffer.from(JSON.stringify({ d, s, q: fingerprint })).toString('base64url');
}

/** Null for the first page; INVALID_ARGUMENT on page_token for anything this API did not issue. */
export function decodeListingToken(token: string, fingerprint: string): ListingPosition | null {
  if (token === '') return null;
  const position = token.length <= TOKEN_LENGTH_MAX ? parse(token) : null;
  if (!position) {
    throw invalidQuery(
      'page_token',
      'not a token this API issued; pass next_page_token from the previous response unchanged',
    );
  }
  if (position.q !== fingerprint) {
    throw invalidQuery(
      'page_token',
      'was issued for a listing with other filters; repeat the same request to page on',
    );
  }

  return { entryDate: position.d, sequence: position.s };
}

interface TokenBody {
  d: string;
  s: string;
  q: string;
}

function parse(token: string): TokenBody | null {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const { d, s, q } = body as Record<string, unknown>;
  const valid =
    typeof d === 'string' &&
    DATE.test(d) &&
    !Number.isNaN(Date.parse(d)) &&
    typeof s === 'string' &&
    SEQUENCE.test(s) &&
    BigInt(s) <= 9223372036854775807n &&
    typeof q === 'string';

  return valid ? { d, s, q } : null;
}
