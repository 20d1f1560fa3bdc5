import { quoteInput } from '@kontor/errors';
/** A calendar month; month is 1-12. */
export interface Month {
  readonly year: number;
  readonly month: number;
}

const MONTH_TEXT = /^(\d{4})-(\d{2})$/;

/**
 * Parses "YYYY-MM" (year 0001-9999, month 01-12); anything else, e.g. "2026-13", "26-01",
 * "2026-1" or "", is undefined. Use describeMonthProblem for the reason.
 */
export function parseMonth(text: string): Month | undefined {
  const match = MONTH_TEXT.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < 1 || month < 1 || month > 12) return undefined;

  return { year, month };
}

/** Why text is not a month, for a field violation. */
export function describeMonthProblem(text: string): string {
  if (text === '') return 'is required, as "YYYY-MM"';
  const match = MONTH_TEXT.exec(text);
  if (match && Number(match[1]) < 1) return `year must be 0001-9999, got ${quoteInput(text)}`;
  if (match) return `month must be 01-12, got ${quoteInput(text)}`;

  return `must be "YYYY-MM", got ${quoteInput(text)}`;
}

export function formatMonth({ year, month }: Month): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The first day as an ISO date, "YYYY-MM-01": how a month is stored. */
export function monthStartDate(month: Month): string {
  return `${formatMonth(month)}-01`;
}

/** The month `count` months later (earlier when negative). */
export function addMonths({ year, month }: Month, count: number): Month {
  const index = year * 12 + (month - 1) + count;

  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** `count` consecutive months starting with `first`. */
export function consecutiveMonths(first: Month, count: number): Month[] {
  return Array.from({ length: count }, (_, offset) => addMonths(first, offset));
}
