import { InvalidArgumentError } from '@kontor/errors';

// Keyset pagination over (created_at, id): stable under concurrent inserts, unlike OFFSET, and
// the token is opaque so the ordering can change without breaking clients.

export const PAGE_SIZE_DEFAULT = 100;
export const PAGE_SIZE_MAX = 1000;

export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export function pageSize(requested: number): number {
  if (requested === 0) return PAGE_SIZE_DEFAULT;
  if (!Number.isInteger(requested) || requested < 1 || requested > PAGE_SIZE_MAX) {
    throw new InvalidArgumentError(
      'page_size',
      `must be 1-${PAGE_SIZE_MAX} (0 means ${PAGE_SIZE_DEFAULT}), got ${requested}`,
    );
  }

  return requested;
}

export function encodePageToken(position: KeysetPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`).toString('base64url');
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The position in a token. `idShape` is what the listed ids look like (UUIDs unless told): a
 * token holding anything else was not issued by this API, and must not reach the database as an
 * id it cannot compare (a UUID column refuses it with an error, not an answer).
 */
export function decodePageToken(token: string, idShape = UUID_SHAPE): KeysetPosition | null {
  if (token === '') return null;
  const [time, id, extra] = Buffer.from(token, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  if (!id || !idShape.test(id) || extra !== undefined || Number.isNaN(createdAt.getTime())) {
    throw new InvalidArgumentError(
      'page_token',
      'not a token this API issued; pass next_page_token from the previous response unchanged',
    );
  }

  return { createdAt, id };
}

/** The entity properties that hold a keyset position, when they are not `createdAt` and `id`. */
export interface KeysetProperties {
  createdAt: string;
  id: string;
}

/** MikroORM filter for rows strictly after a position in (created_at, id) order. */
export function afterPosition(
  position: KeysetPosition | null,
  properties: KeysetProperties = { createdAt: 'createdAt', id: 'id' },
): object {
  if (!position) return {};

  return {
    $or: [
      { [properties.createdAt]: { $gt: position.createdAt } },
      { [properties.createdAt]: position.createdAt, [properties.id]: { $gt: position.id } },
    ],
  };
}

/** Splits a fetch of pageSize + 1 rows into the page and the next token. */
export function toPage<Row extends KeysetPosition>(
  rows: Row[],
  size: number,
): { rows: Row[]; nextPageToken: string } {
  const page = rows.slice(0, size);
  const last = page[page.length - 1];

  return { rows: page, nextPageToken: rows.length > size && last ? encodePageToken(last) : '' };
}
