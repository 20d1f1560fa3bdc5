import {
  addMonths,
  consecutiveMonths,
  describeMonthProblem,
  formatMonth,
  monthStartDate,
  parseMonth,
} from './month';

describe(parseMonth.name, () => {
  it('parses "YYYY-MM"', () => {
    expect(parseMonth('2026-01')).toEqual({ year: 2026, month: 1 });
    expect(parseMonth('2026-12')).toEqual({ year: 2026, month: 12 });
  });

  it.each([
    '2026-13',
    '2026-00',
    '26-01',
    '2026-1',
    '',
    '2026-01-01',
    ' 2026-01',
    '0000-01',
    '２０２６-01',
    'x'.repeat(10_240),
  ])('rejects %j', (text) => {
    expect(parseMonth(text)).toBeUndefined();
  });

  it('says why a month is bad, without echoing a 10 KB value', () => {
    expect(describeMonthProblem('')).toMatch(/required/);
    expect(describeMonthProblem('2026-13')).toBe('month must be 01-12, got "2026-13"');
    expect(describeMonthProblem('26-01')).toBe('must be "YYYY-MM", got "26-01"');
    expect(describeMonthProblem('x'.repeat(10_240)).length).toBeLessThan(120);
  });
});

describe(addMonths.name, () => {
  it('carries over year ends both ways', () => {
    expect(addMonths({ year: 2026, month: 11 }, 3)).toEqual({ year: 2027, month: 2 });
    expect(addMonths({ year: 2026, month: 1 }, -1)).toEqual({ year: 2025, month: 12 });
    expect(addMonths({ year: 2026, month: 12 }, 24)).toEqual({ year: 2028, month: 12 });
    expect(addMonths({ year: 2026, month: 5 }, 0)).toEqual({ year: 2026, month: 5 });
  });

  it('lists consecutive months across a year end', () => {
    expect(consecutiveMonths({ year: 2026, month: 7 }, 12).map(formatMonth)).toEqual([
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
      '2027-05',
      '2027-06',
    ]);
  });

  it('stores a month as its first day', () => {
    expect(monthStartDate({ year: 2026, month: 3 })).toBe('2026-03-01');
  });
});
