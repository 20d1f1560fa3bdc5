import { quoteInput } from '@kontor/errors';
import { invalidQuery } from './report.errors';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const CURRENCY = /^[A-Z]{3}$/;

/** A calendar date "YYYY-MM-DD" (validated), or null when empty and optional. */
export function optionalDate(field: string, value: string): string | null {
  if (value === '') return null;

  return requiredDate(field, value);
}

export function requiredDate(field: string, value: string): string {
  const match = DATE.exec(value);
  const valid =
    match !== null &&
    (() => {
      const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
      const date = new Date(Date.UTC(year, month - 1, day));

      return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1;
    })();
  if (!valid) {
    throw invalidQuery(
      field,
      value === ''
        ? 'is required ("YYYY-MM-DD")'
        : `must be a date "YYYY-MM-DD", got ${quoteInput(value)}`,
    );
  }

  return value;
}

/** A date range whose end is not before its start (either may be open). */
export function dateRange(
  from: { field: string; value: string },
  to: { field: string; value: string },
  required = false,
): { from: string | null; to: string | null } {
  const start = required
    ? requiredDate(from.field, from.value)
    : optionalDate(from.field, from.value);
  const end = required ? requiredDate(to.field, to.value) : optionalDate(to.field, to.value);
  if (start !== null && end !== null && end < start) {
    throw invalidQuery(to.field, `must not be before ${from.field} (${start}), got ${end}`);
  }

  return { from: start, to: end };
}

/** A month "YYYY-MM" as its first day. */
export function monthStart(field: string, value: string): string {
  const match = MONTH.exec(value);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) {
    throw invalidQuery(
      field,
      value === ''
        ? 'is required ("YYYY-MM")'
        : `must be a month "YYYY-MM", got ${quoteInput(value)}`,
    );
  }

  return `${value}-01`;
}

/** The first day of the month after the month starting at `first`. */
export function nextMonth(first: string): string {
  const [year, month] = [Number(first.slice(0, 4)), Number(first.slice(5, 7))];

  return month === 12
    ? `${String(year + 1).padStart(4, '0')}-01-01`
    : `${first.slice(0, 4)}-${String(month + 1).padStart(2, '0')}-01`;
}

/** The months from `from` to `to` (both first days, inclusive). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = nextMonth(month)) months.push(month);

  return months;
}

/** Months a turnovers report may span (a longer range is almost certainly a mistake). */
export const MONTHS_MAX = 240;

export function optionalCurrency(field: string, value: string): string | null {
  if (value === '') return null;
  if (!CURRENCY.test(value)) {
    throw invalidQuery(field, `must be an ISO 4217 code like "EUR", got ${quoteInput(value)}`);
  }

  return value;
}

/** Where a listing page continues: after this (date, ledger sequence, line). */
export interface ListingPosition {
  date: string;
  sequence: string;
  line: number;
}

/** An opaque page token: base64url of the last row's position. */
export function encodeListingToken(position: ListingPosition): string {
  return Buffer.from(JSON.stringify([position.date, position.sequence, position.line])).toString(
    'base64url',
  );
}

export function decodeListingToken(token: string): ListingPosition | null {
  if (token === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 3 &&
      typeof parsed[0] === 'string' &&
      DATE.test(parsed[0]) &&
      typeof parsed[1] === 'string' &&
      /^\d{1,18}$/.test(parsed[1]) &&
      Number.isInteger(parsed[2])
    ) {
      return { date: parsed[0], sequence: parsed[1], line: parsed[2] as number };
    }
  } catch {
    // falls through to the error below
  }
  throw invalidQuery('page_token', 'is not a token from a previous response of this report');
}
