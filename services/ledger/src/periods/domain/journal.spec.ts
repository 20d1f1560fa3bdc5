import { PeriodError } from './period.errors';
import { journalClash, nameProblem, symbolProblem } from './journal';
import { requireReason, validateNewFiscalYear, validateNewJournal } from './fiscal-year';

describe(symbolProblem.name, () => {
  it('accepts 1-50 ASCII letters and digits', () => {
    expect(symbolProblem('CASH')).toBeUndefined();
    expect(symbolProblem('bank2')).toBeUndefined();
    expect(symbolProblem('A'.repeat(50))).toBeUndefined();
  });

  it.each(['', 'A'.repeat(51), 'CASH 1', 'CASH-1', 'KASSÉ', 'ＣＡＳＨ', '٣', 'x'.repeat(10_240)])(
    'rejects %j',
    (symbol) => {
      expect(symbolProblem(symbol)).toBeDefined();
    },
  );

  it('does not echo a 10 KB symbol', () => {
    expect(symbolProblem('x'.repeat(10_240))!.length).toBeLessThan(150);
  });
});

describe(nameProblem.name, () => {
  it('accepts unicode names up to 50 code points', () => {
    expect(nameProblem('Kasse – Barverkäufe')).toBeUndefined();
    expect(nameProblem('現金出納帳')).toBeUndefined();
    expect(nameProblem('\u{1F4B0}'.repeat(50))).toBeUndefined();
  });

  it('rejects empty, 51 code points, a 10 KB name and control characters', () => {
    expect(nameProblem('')).toMatch(/required/);
    expect(nameProblem('\u{1F4B0}'.repeat(51))).toBe('must be 1-50 characters, got 51');
    expect(nameProblem('n'.repeat(10_240))).toBe('must be 1-50 characters, got 10240');
    expect(nameProblem('Cash\nbook')).toMatch(/control/);
  });
});

describe(journalClash.name, () => {
  const cash = { symbol: 'CASH', name: 'Cash operations', fiscalYearName: '2026' };

  it('names the clashing symbol case-insensitively', () => {
    expect(journalClash({ symbol: 'cash', name: 'Other' }, cash)).toEqual({
      field: 'symbol',
      message:
        'journal symbol "cash" is already used by journal "CASH" (Cash operations) in fiscal year 2026',
    });
  });

  it('names the clashing name case-insensitively', () => {
    expect(journalClash({ symbol: 'KASSE', name: 'CASH OPERATIONS' }, cash)).toMatchObject({
      field: 'name',
    });
    expect(journalClash({ symbol: 'BANK', name: 'Bank' }, cash)).toBeUndefined();
  });
});

describe(validateNewFiscalYear.name, () => {
  it('makes 12 months of 0 and names the journal after its symbol', () => {
    const year = validateNewFiscalYear({
      name: '2026',
      startMonth: '2026-01',
      monthCount: 0,
      journals: [{ symbol: ' CASH ', name: '' }],
    });
    expect(year.months).toHaveLength(12);
    expect(year.journals).toEqual([{ symbol: 'CASH', name: 'CASH' }]);
  });

  it('names every bad field, including journals that clash with each other', () => {
    let caught: unknown;
    try {
      validateNewFiscalYear({
        name: '',
        startMonth: '2026-13',
        monthCount: 25,
        journals: [
          { symbol: 'CASH', name: '' },
          { symbol: 'cash', name: 'x' },
          { symbol: 'BAD SYMBOL', name: 'y' },
        ],
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PeriodError);
    expect((caught as PeriodError).fieldViolations.map((v) => v.field)).toEqual([
      'name',
      'start_month',
      'month_count',
      'journals[2].symbol',
      'journals[1].symbol',
    ]);
  });
});

describe('reasons and single journals', () => {
  it('requires a reason of 1-500 characters', () => {
    expect(requireReason('  wrong invoice date  ')).toBe('wrong invoice date');
    expect(() => requireReason(' ')).toThrow(/reason: must be 1-500 characters, got 0/);
    expect(() => requireReason('r'.repeat(501))).toThrow(/got 501/);
  });

  it('does not default a single journal name to its symbol', () => {
    expect(() => validateNewJournal({ symbol: 'CASH', name: '' })).toThrow(/name: is required/);
  });
});
