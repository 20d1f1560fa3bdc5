import { BalanceError } from './balance.errors';
import { decodeListingToken, encodeListingToken, queryFingerprint } from './listing-page-token';

const position = { entryDate: '2026-03-01', sequence: '12' };

describe('listing page tokens', () => {
  const fingerprint = queryFingerprint(['ledger', null, true]);

  it('round-trips a position', () => {
    expect(decodeListingToken(encodeListingToken(position, fingerprint), fingerprint)).toEqual(
      position,
    );
  });

  it('reads an empty token as the first page', () => {
    expect(decodeListingToken('', fingerprint)).toBeNull();
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['not base64url', 'a b'],
    ['not JSON', Buffer.from('{d:').toString('base64url')],
    ['a 10 KB string', 'A'.repeat(10_000)],
    [
      'an injected sequence',
      encodeListingToken({ ...position, sequence: "1' OR 1=1 --" }, fingerprint),
    ],
    ['a bad date', encodeListingToken({ ...position, entryDate: '2026-13-45' }, fingerprint)],
    ['a bad sequence', encodeListingToken({ ...position, sequence: '-1' }, fingerprint)],
    [
      'an int64 overflow',
      encodeListingToken({ ...position, sequence: '9'.repeat(19) }, fingerprint),
    ],
  ])('rejects %s as INVALID_QUERY on page_token', (_, token) => {
    let caught: unknown;
    try {
      decodeListingToken(token, fingerprint);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BalanceError);
    expect((caught as BalanceError).fieldViolations[0]?.field).toBe('page_token');
  });

  it('refuses a token issued for other filters', () => {
    const token = encodeListingToken(position, queryFingerprint(['ledger', null, false]));
    expect(() => decodeListingToken(token, fingerprint)).toThrow(/other filters/);
  });
});
