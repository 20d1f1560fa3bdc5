import { OrganizationError } from './organization.errors';
import { validateNewOrganization } from './organization';

describe(validateNewOrganization.name, () => {
  it('trims the external id and the name', () => {
    expect(
      validateNewOrganization({ externalId: ' c-1 ', kind: 'customer', name: ' Acme ' }),
    ).toEqual({ externalId: 'c-1', kind: 'customer', name: 'Acme' });
  });

  it('names every missing field in one error', () => {
    let caught: unknown;
    try {
      validateNewOrganization({ externalId: '', kind: undefined, name: '  ' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OrganizationError);
    expect((caught as OrganizationError).fieldViolations.map((v) => v.field)).toEqual([
      'external_id',
      'kind',
      'name',
    ]);
  });

  it('counts a name in code points: 200 emoji pass, 201 fail', () => {
    const emoji = '\u{1F600}';
    expect(
      validateNewOrganization({ externalId: 'x', kind: 'vendor', name: emoji.repeat(200) }).name,
    ).toHaveLength(400);
    expect(() =>
      validateNewOrganization({ externalId: 'x', kind: 'vendor', name: emoji.repeat(201) }),
    ).toThrow(/name: must be 1-200 characters, got 201/);
  });

  it('rejects a 10 KB external id without echoing it', () => {
    expect(() =>
      validateNewOrganization({ externalId: 'e'.repeat(10_240), kind: 'vendor', name: 'n' }),
    ).toThrow(/external_id: must be 1-200 characters, got 10240$/);
  });
});
