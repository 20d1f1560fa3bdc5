import { validateApiKeyLabel, validateNewTenant } from './tenant';

describe(validateNewTenant.name, () => {
  it('accepts a lowercase slug and trims the name', () => {
    expect(validateNewTenant({ slug: 'acme-market', name: ' Acme ' })).toEqual({
      slug: 'acme-market',
      name: 'Acme',
    });
  });

  it.each(['ab', 'Acme', '-acme', 'acme-', 'ac me', 'x'.repeat(64)])(
    'rejects the slug %j',
    (slug) => {
      expect(() => validateNewTenant({ slug, name: 'Acme' })).toThrow(/slug: 3-63 lowercase/);
    },
  );
});

describe(validateApiKeyLabel.name, () => {
  it('rejects an empty label', () => {
    expect(() => validateApiKeyLabel('  ')).toThrow(/label must be 1-100 characters/);
  });
});
