import { DealError, DealErrorCode } from './deal.errors';

export type SettlementFrequency = 'monthly' | 'quarterly';

/** A settlement period: calendar dates "YYYY-MM-DD", both inclusive. */
export interface Period {
  start: string;
  end: string;
  /** "2026-03" for a month, "2026-Q1" for a quarter. */
  label: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date "YYYY-MM-DD" (no 2026-02-30), else undefined. */
export function parseDate(text: string): { year: number; month: number; day: number } | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;

  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function monthsOf(frequency: SettlementFrequency): number {
  return frequency === 'monthly' ? 1 : 3;
}

function periodFrom(frequency: SettlementFrequency, year: number, month: number): Period {
  const lastMonth = month + monthsOf(frequency) - 1;
  const label =
    frequency === 'monthly' ? `${year}-${pad(month)}` : `${year}-Q${(month - 1) / 3 + 1}`;

  return {
    start: `${pad(year, 4)}-${pad(month)}-01`,
    end: `${pad(year, 4)}-${pad(lastMonth)}-${pad(daysInMonth(year, lastMonth))}`,
    label,
  };
}

/** The period starting on `start`; it must be the first day of a month (of a quarter). */
export function periodStartingOn(
  frequency: SettlementFrequency,
  start: string,
  field = 'period_start',
): Period {
  const date = parseDate(start);
  const aligned = date && date.day === 1 && (date.month - 1) % monthsOf(frequency) === 0;
  if (!date || !aligned) {
    const expected =
      frequency === 'monthly'
        ? 'the first day of a month'
        : 'the first day of a quarter (Jan, Apr, Jul or Oct 1)';
    throw new DealError(
      DealErrorCode.INVALID_PERIOD,
      `${field}: must be ${expected}, "YYYY-MM-DD", got "${start}"`,
      { fieldViolations: [{ field, description: `must be ${expected}` }] },
    );
  }

  return periodFrom(frequency, date.year, date.month);
}

/** The period containing a date (which must be valid). */
export function periodContaining(frequency: SettlementFrequency, date: string): Period {
  const parsed = parseDate(date);
  if (!parsed) throw new TypeError(`not a date: ${date}`);
  const month = parsed.month - ((parsed.month - 1) % monthsOf(frequency));

  return periodFrom(frequency, parsed.year, month);
}

export function nextPeriod(frequency: SettlementFrequency, period: Period): Period {
  const start = parseDate(period.start)!;
  const month = start.month + monthsOf(frequency);

  return month > 12
    ? periodFrom(frequency, start.year + 1, month - 12)
    : periodFrom(frequency, start.year, month);
}

/** True when `date` is the last day of a period of this frequency. */
export function isPeriodEnd(frequency: SettlementFrequency, date: string): boolean {
  return parseDate(date) !== undefined && periodContaining(frequency, date).end === date;
}
