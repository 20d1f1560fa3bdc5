import { quoteInput } from '@kontor/errors';
import { Currency, MoneyError } from '@kontor/money';
import { isIsoDate } from '../../entries/domain/entry';
import { invalidQuery } from './balance.errors';

// Validation of the read requests' scalar inputs. Everything is checked before it reaches SQL,
// so a bad value is an INVALID_ARGUMENT naming its field, never a database error.

const MONTH = /^(\d{4})-(\d{2})$/;
const ACCOUNT_CODE = /^[A-Za-z0-9.-]{1,20}$/;
const JOURNAL_SYMBOL = /^[A-Za-z0-9]{1,50}$/;

/** Longest month range of a trial balance. */
export const TRIAL_BALANCE_MONTHS_MAX = 24;

/** A calendar date "YYYY-MM-DD" (2026-02-30 is rejected); empty → null when optional. */
export function parseDate(field: string, value: string): string | null {
  if (value === '') return null;
  // Entries can only carry dates the posting engine accepts; queries use the same rule.
  if (isIsoDate(value)) return value;
  throw invalidQuery(field, `must be a calendar date "YYYY-MM-DD", got ${quoteInput(value)}`);
}

/** A month "YYYY-MM"; returns its first day "YYYY-MM-01". */
export function parseMonth(field: string, value: string): string {
  const match = MONTH.exec(value);
  const month = match ? Number(match[2]) : 0;
  if (!match || Number(match[1]) < 1 || month < 1 || month > 12) {
    throw invalidQuery(field, `must be a month "YYYY-MM", got ${quoteInput(value)}`);
  }

  return `${value}-01`;
}

export interface MonthRange {
  /** First day of the first month. */
  from: string;
  /** First day of the month after the last one (exclusive end). */
  toExclusive: string;
}

/** from_month..to_month inclusive, from ≤ to, at most TRIAL_BALANCE_MONTHS_MAX months. */
export function parseMonthRange(fromMonth: string, toMonth: string): MonthRange {
  const from = parseMonth('from_month', fromMonth);
  const to = parseMonth('to_month', toMonth);
  const index = (first: string) => Number(first.slice(0, 4)) * 12 + Number(first.slice(5, 7)) - 1;
  const months = index(to) - index(from) + 1;
  if (months < 1) {
    throw invalidQuery('to_month', `must not be before from_month ${fromMonth}, got ${toMonth}`);
  }
  if (months > TRIAL_BALANCE_MONTHS_MAX) {
    throw invalidQuery(
      'to_month',
      `a trial balance spans at most ${TRIAL_BALANCE_MONTHS_MAX} months, ${fromMonth}..${toMonth} is ${months}`,
    );
  }
  const next = index(to) + 1;
  const year = Math.floor(next / 12);
  const month = (next % 12) + 1;

  return {
    from,
    toExclusive: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`,
  };
}

export function requireAccountCode(field: string, value: string): string {
  if (!ACCOUNT_CODE.test(value)) {
    throw invalidQuery(
      field,
      `must be an account code of 1-20 letters, digits, "." or "-", got ${quoteInput(value)}`,
    );
  }

  return value;
}

export function requireJournalSymbol(field: string, value: string): string {
  if (!JOURNAL_SYMBOL.test(value)) {
    throw invalidQuery(
      field,
      `must be a journal symbol of 1-50 letters or digits, got ${quoteInput(value)}`,
    );
  }

  return value;
}

/** An ISO 4217 code (case-insensitive on input), returned upper-case; empty → null. */
export function parseCurrency(field: string, value: string): string | null {
  if (value === '') return null;
  if (value.length <= 3) {
    try {
      return Currency.of(value.toUpperCase()).code;
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
    }
  }
  throw invalidQuery(field, `must be an ISO 4217 currency code, got ${quoteInput(value)}`);
}

/** Date range of a listing: from ≤ to when both are given. */
export function parseDateRange(
  fromDate: string,
  toDate: string,
): { from: string | null; to: string | null } {
  const from = parseDate('from_date', fromDate);
  const to = parseDate('to_date', toDate);
  if (from !== null && to !== null && to < from) {
    throw invalidQuery('to_date', `must not be before from_date ${from}, got ${to}`);
  }

  return { from, to };
}
