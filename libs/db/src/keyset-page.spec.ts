import { randomUUID } from 'node:crypto';
import { afterPosition, decodePageToken, encodePageToken, pageSize, toPage } from './keyset-page';

describe('keyset pages', () => {
  const row = (n: number) => ({ createdAt: new Date(Date.UTC(2026, 0, n)), id: `id-${n}` });

  it('round-trips a position through an opaque token', () => {
    const position = { createdAt: new Date(Date.UTC(2026, 0, 3)), id: randomUUID() };
    expect(decodePageToken(encodePageToken(position))).toEqual(position);
  });

  it('refuses a position whose id is not shaped like the listed ids (UUIDs unless told)', () => {
    const position = { createdAt: new Date(Date.UTC(2026, 0, 3)), id: '0123456789abcdef' };
    const token = encodePageToken(position);

    expect(() => decodePageToken(token)).toThrow(/page_token: not a token this API issued/);
    expect(decodePageToken(token, /^[0-9a-f]{16}$/)).toEqual(position);
  });

  it('treats an empty token as the first page', () => {
    expect(decodePageToken('')).toBeNull();
  });

  it.each(['garbage', Buffer.from('not-a-date|x').toString('base64url')])(
    'rejects the forged token %j naming page_token',
    (token) => {
      expect(() => decodePageToken(token)).toThrow(/page_token: not a token this API issued/);
    },
  );

  it('returns a next token only when more rows exist', () => {
    const rows = [row(1), row(2), row(3)];
    expect(toPage(rows, 2)).toEqual({
      rows: [row(1), row(2)],
      nextPageToken: encodePageToken(row(2)),
    });
    expect(toPage(rows, 3).nextPageToken).toBe('');
  });

  it('filters on other entity properties when the position is stored under other names', () => {
    const position = row(2);
    expect(afterPosition(position, { createdAt: 'issuedAt', id: 'keyId' })).toEqual({
      $or: [
        { issuedAt: { $gt: position.createdAt } },
        { issuedAt: position.createdAt, keyId: { $gt: position.id } },
      ],
    });
    expect(afterPosition(null, { createdAt: 'issuedAt', id: 'keyId' })).toEqual({});
  });

  it.each([-1, 1001, 1.5])('rejects page_size %p', (size) => {
    expect(() => pageSize(size)).toThrow(/page_size: must be 1-1000/);
  });

  it('defaults a zero page_size to 100', () => {
    expect(pageSize(0)).toBe(100);
  });
});
