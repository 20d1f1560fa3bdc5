import { LedgerError, LedgerErrorCode } from './ledger.errors';
import { isSameLedgerRequest, validateNewLedger } from './ledger';

describe(validateNewLedger.name, () => {
  it('normalizes the name and the currency code', () => {
    expect(
      validateNewLedger({ requestId: ' r1 ', name: '  Main book ', baseCurrency: 'eur' }),
    ).toEqual({
      requestId: 'r1',
      name: 'Main book',
      baseCurrency: 'EUR',
      ownerOrganizationId: null,
      createDefaultChart: false,
    });
  });

  it('normalizes the owner organization id and rejects one that is not a UUID', () => {
    const owner = 'A0000000-0000-4000-8000-00000000000B';
    expect(
      validateNewLedger({
        requestId: 'r',
        name: 'n',
        baseCurrency: 'EUR',
        ownerOrganizationId: owner,
      }).ownerOrganizationId,
    ).toBe(owner.toLowerCase());
    expect(() =>
      validateNewLedger({
        requestId: 'r',
        name: 'n',
        baseCurrency: 'EUR',
        ownerOrganizationId: 'x',
      }),
    ).toThrow(/owner_organization_id: must be a UUID or empty/);
  });

  it('names every bad field in one error', () => {
    let caught: unknown;
    try {
      validateNewLedger({ requestId: '', name: ' ', baseCurrency: 'EURO' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LedgerError);
    const error = caught as LedgerError;
    expect(error.code).toBe(LedgerErrorCode.INVALID_LEDGER);
    expect(error.fieldViolations.map((v) => v.field)).toEqual([
      'request_id',
      'name',
      'base_currency',
    ]);
    expect(error.message).toMatch(/"EURO" is not an ISO 4217 currency code/);
  });

  it('rejects a name longer than 200 characters', () => {
    expect(() =>
      validateNewLedger({ requestId: 'r', name: 'x'.repeat(201), baseCurrency: 'EUR' }),
    ).toThrow(/name: must be 1-200 characters, got 201/);
  });
});

describe(isSameLedgerRequest.name, () => {
  const original = {
    requestId: 'r',
    name: 'Book',
    baseCurrency: 'EUR',
    ownerOrganizationId: null,
    createDefaultChart: false,
  };

  it('treats an identical retry as the same request', () => {
    expect(isSameLedgerRequest(original, { ...original })).toBe(true);
  });

  it('treats a changed currency as a different request', () => {
    expect(isSameLedgerRequest(original, { ...original, baseCurrency: 'USD' })).toBe(false);
  });

  it('treats a changed owner or default-chart flag as a different request', () => {
    expect(
      isSameLedgerRequest(original, {
        ...original,
        ownerOrganizationId: 'a0000000-0000-4000-8000-00000000000b',
      }),
    ).toBe(false);
    expect(isSameLedgerRequest(original, { ...original, createDefaultChart: true })).toBe(false);
  });
});
