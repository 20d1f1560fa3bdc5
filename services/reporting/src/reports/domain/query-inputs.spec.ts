import {
  dateRange,
  decodeListingToken,
  encodeListingToken,
  monthsBetween,
  monthStart,
  nextMonth,
  optionalCurrency,
  requiredDate,
} from './query-inputs';
import { ReportError } from './report.errors';

const fieldOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof ReportError) return error.fieldViolations[0].field;
    throw error;
  }
  throw new Error('did not throw');
};

describe('report query inputs', () => {
  it('accepts calendar dates and rejects impossible ones naming the field', () => {
    expect(requiredDate('as_of_date', '2024-02-29')).toBe('2024-02-29');
    expect(fieldOf(() => requiredDate('as_of_date', '2026-02-30'))).toBe('as_of_date');
    expect(fieldOf(() => requiredDate('as_of_date', ''))).toBe('as_of_date');
    expect(fieldOf(() => requiredDate('as_of_date', '26-01-01'))).toBe('as_of_date');
  });

  it('rejects an inverted range on its end field and allows open ends', () => {
    expect(
      fieldOf(() =>
        dateRange(
          { field: 'from_date', value: '2026-05-02' },
          { field: 'to_date', value: '2026-05-01' },
        ),
      ),
    ).toBe('to_date');
    expect(
      dateRange({ field: 'from_date', value: '' }, { field: 'to_date', value: '2026-05-01' }),
    ).toEqual({ from: null, to: '2026-05-01' });
    expect(
      fieldOf(() =>
        dateRange(
          { field: 'from_date', value: '' },
          { field: 'to_date', value: '2026-05-01' },
          true,
        ),
      ),
    ).toBe('from_date');
  });

  it('walks months across a year end', () => {
    expect(nextMonth('2026-12-01')).toBe('2027-01-01');
    expect(
      monthsBetween(monthStart('from_month', '2026-11'), monthStart('to_month', '2027-02')),
    ).toEqual(['2026-11-01', '2026-12-01', '2027-01-01', '2027-02-01']);
    expect(fieldOf(() => monthStart('from_month', '2026-13'))).toBe('from_month');
  });

  it('round-trips page tokens and rejects foreign ones', () => {
    const position = { date: '2026-03-01', sequence: '12345678901', line: 2 };
    expect(decodeListingToken(encodeListingToken(position))).toEqual(position);
    expect(decodeListingToken('')).toBeNull();
    expect(fieldOf(() => decodeListingToken('abc'))).toBe('page_token');
    expect(
      fieldOf(() => decodeListingToken(Buffer.from('["x","1",0]').toString('base64url'))),
    ).toBe('page_token');
  });

  it('takes ISO currency codes only', () => {
    expect(optionalCurrency('currency', '')).toBeNull();
    expect(optionalCurrency('currency', 'USD')).toBe('USD');
    expect(fieldOf(() => optionalCurrency('currency', 'usd'))).toBe('currency');
  });
});
