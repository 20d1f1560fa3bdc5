import { DealError } from './deal.errors';
import { isPeriodEnd, nextPeriod, periodContaining, periodStartingOn } from './period';

describe('periods', () => {
  it('makes months and quarters with inclusive ends', () => {
    expect(periodStartingOn('monthly', '2024-02-01')).toEqual({
      start: '2024-02-01',
      end: '2024-02-29',
      label: '2024-02',
    });
    expect(periodStartingOn('quarterly', '2026-10-01')).toEqual({
      start: '2026-10-01',
      end: '2026-12-31',
      label: '2026-Q4',
    });
  });

  it('refuses a start that is not the first day of a period', () => {
    expect(() => periodStartingOn('monthly', '2026-02-02')).toThrow(DealError);
    expect(() => periodStartingOn('quarterly', '2026-02-01')).toThrow(/first day of a quarter/);
    expect(() => periodStartingOn('monthly', '2026-13-01')).toThrow(DealError);
  });

  it('rolls over the year and finds the period of a date', () => {
    expect(nextPeriod('monthly', periodStartingOn('monthly', '2026-12-01')).start).toBe(
      '2027-01-01',
    );
    expect(nextPeriod('quarterly', periodStartingOn('quarterly', '2026-10-01')).label).toBe(
      '2027-Q1',
    );
    expect(periodContaining('quarterly', '2026-05-17').label).toBe('2026-Q2');
    expect(isPeriodEnd('quarterly', '2026-06-30')).toBe(true);
    expect(isPeriodEnd('quarterly', '2026-05-31')).toBe(false);
  });
});
