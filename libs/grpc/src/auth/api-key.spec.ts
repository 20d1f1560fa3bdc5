import {
  API_KEY_FORMAT,
  generateApiKey,
  hashSecret,
  parseApiKey,
  secretDigestsEqual,
} from './api-key';

describe(generateApiKey.name, () => {
  it('issues kontor_<16 hex>_<43 base64url> tokens whose secret hash is what gets stored', () => {
    const sut = generateApiKey();
    expect(sut.token).toMatch(/^kontor_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseApiKey(sut.token);
    expect(parsed?.keyId).toBe(sut.keyId);
    expect(hashSecret(parsed?.secret ?? '')).toEqual(sut.secretSha256);
    expect(sut.secretSha256).toHaveLength(32);
  });

  it('never issues the same key id or secret twice in a row', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.keyId).not.toBe(b.keyId);
    expect(a.secretSha256.equals(b.secretSha256)).toBe(false);
  });

  it('documents the format it produces', () => {
    expect(API_KEY_FORMAT).toContain('kontor_<16 hex key id>_');
  });
});

describe(parseApiKey.name, () => {
  const valid = generateApiKey().token;

  it('parses a secret that itself contains underscores', () => {
    const token = `kontor_0123456789abcdef_${'_'.repeat(42)}A`;
    expect(parseApiKey(token)).toEqual({ keyId: '0123456789abcdef', secret: `${'_'.repeat(42)}A` });
  });

  it.each([
    ['empty', ''],
    ['wrong prefix', valid.replace('kontor_', 'kontur_')],
    [
      'upper-case key id',
      valid.replace(/^kontor_([0-9a-f]{16})/, (_, id: string) => `kontor_${id.toUpperCase()}`),
    ],
    ['short key id', valid.replace(/^kontor_[0-9a-f]{16}/, 'kontor_0123')],
    ['short secret', valid.slice(0, -1)],
    ['long secret', `${valid}A`],
    ['padding', `${valid.slice(0, -1)}=`],
    ['non-canonical last character', `kontor_0123456789abcdef_${'A'.repeat(42)}B`],
    ['surrounding space', ` ${valid}`],
  ])('rejects a token with %s', (_, token) => {
    expect(parseApiKey(token)).toBeNull();
  });
});

describe(secretDigestsEqual.name, () => {
  it('compares equal digests as equal and different or shorter ones as not', () => {
    const digest = hashSecret('s');
    expect(secretDigestsEqual(digest, Buffer.from(digest))).toBe(true);
    expect(secretDigestsEqual(digest, hashSecret('t'))).toBe(false);
    expect(secretDigestsEqual(digest, digest.subarray(0, 31))).toBe(false);
  });
});
