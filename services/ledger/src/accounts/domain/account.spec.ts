import { AccountError } from './account.errors';
import { isValidAccountCode, validateNewAccount } from './account';
import { DEFAULT_CHART } from './default-chart';

describe(validateNewAccount.name, () => {
  it('accepts letters, digits, dots and dashes up to 20 characters', () => {
    expect(validateNewAccount({ code: ' 4000.EU-1 ', name: ' Sales ', type: 'revenue' })).toEqual({
      code: '4000.EU-1',
      name: 'Sales',
      type: 'revenue',
      role: undefined,
      balanceLimit: undefined,
    });
    expect(isValidAccountCode('a'.repeat(20))).toBe(true);
  });

  it.each(['', 'a'.repeat(21), '40 00', '4000/1', 'Kasse€'])('rejects the code %j', (code) => {
    expect(() => validateNewAccount({ code, name: 'n', type: 'asset' })).toThrow(/code: must be/);
  });

  it('names every bad field and does not echo a 10 KB code', () => {
    let caught: unknown;
    try {
      validateNewAccount({ code: 'x'.repeat(10_240), name: '', type: undefined });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AccountError);
    const error = caught as AccountError;
    expect(error.fieldViolations.map((v) => v.field)).toEqual(['code', 'name', 'type']);
    expect(error.message.length).toBeLessThan(400);
  });
});

describe('DEFAULT_CHART', () => {
  it('has valid, unique codes', () => {
    const codes = DEFAULT_CHART.map((account) => account.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const account of DEFAULT_CHART) expect(validateNewAccount(account)).toMatchObject(account);
  });

  it('has one account of each role', () => {
    expect(DEFAULT_CHART.map((account) => account.role).filter(Boolean)).toEqual([
      'receivable',
      'clearing',
      'payable',
      'tax',
    ]);
  });
});
