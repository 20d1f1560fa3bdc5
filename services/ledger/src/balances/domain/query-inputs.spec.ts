import {
  parseCurrency,
  parseDate,
  parseDateRange,
  parseMonthRange,
  requireAccountCode,
  requireJournalSymbol,
} from './query-inputs';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { fieldViolations: { field: string }[] }).fieldViolations[0]?.field;
  }
  return undefined;
}

describe('query inputs', () => {
  it('accepts calendar dates and an empty optional date', () => {
    expect(parseDate('as_of_date', '2024-02-29')).toBe('2024-02-29');
    expect(parseDate('as_of_date', '')).toBeNull();
  });

  it.each(['2026-02-30', '2026-13-01', '26-01-01', '2026-1-1', 'x'.repeat(10_240), '0000-01-01'])(
    'rejects the date %s naming the field',
    (value) => {
      expect(fieldOf(() => parseDate('as_of_date', value))).toBe('as_of_date');
    },
  );

  it('shortens a huge rejected value in the message', () => {
    expect(() => parseDate('as_of_date', 'x'.repeat(10_240))).toThrow(/10240 characters/);
  });

  it('turns a month range into [first day, first day after)', () => {
    expect(parseMonthRange('2026-01', '2026-12')).toEqual({
      from: '2026-01-01',
      toExclusive: '2027-01-01',
    });
    expect(parseMonthRange('2025-11', '2025-11')).toEqual({
      from: '2025-11-01',
      toExclusive: '2025-12-01',
    });
  });

  it('rejects an inverted, too long or malformed month range', () => {
    expect(fieldOf(() => parseMonthRange('2026-05', '2026-04'))).toBe('to_month');
    expect(fieldOf(() => parseMonthRange('2024-01', '2026-01'))).toBe('to_month');
    expect(parseMonthRange('2024-01', '2025-12').toExclusive).toBe('2026-01-01');
    expect(fieldOf(() => parseMonthRange('2026-13', '2026-12'))).toBe('from_month');
    expect(fieldOf(() => parseMonthRange('2026-01', ''))).toBe('to_month');
  });

  it('rejects an inverted date range', () => {
    expect(fieldOf(() => parseDateRange('2026-02-01', '2026-01-31'))).toBe('to_date');
    expect(parseDateRange('', '2026-01-31')).toEqual({ from: null, to: '2026-01-31' });
  });

  it('validates codes, symbols and currencies', () => {
    expect(requireAccountCode('account_code', '1200')).toBe('1200');
    expect(fieldOf(() => requireAccountCode('account_code', "1200'; --"))).toBe('account_code');
    expect(fieldOf(() => requireJournalSymbol('journal_symbol', 'a'.repeat(51)))).toBe(
      'journal_symbol',
    );
    expect(parseCurrency('currency', 'eur')).toBe('EUR');
    expect(parseCurrency('currency', '')).toBeNull();
    expect(fieldOf(() => parseCurrency('currency', 'EURO'))).toBe('currency');
    expect(fieldOf(() => parseCurrency('currency', 'XYZ'))).toBe('currency');
  });
});
