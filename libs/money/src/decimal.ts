import { Decimal } from 'decimal.js';
import { MoneyError, MoneyErrorCode, describeType, quote } from './money.errors';

/**
 * The library's own decimal.js constructor. A private clone, so nobody's `Decimal.set(...)` can
 * change our results, with settings that keep every operation we do exact:
 * - precision 2000 significant digits: amounts have at most 32 (28 integer + 4 fraction) and
 *   ratios at most MAX_RATIO_DIGITS, so a product is never rounded by decimal.js itself — the
 *   only rounding is the explicit `toDecimalPlaces(…, mode)` we ask for;
 * - exponent notation switched off in `toString()` (toExpNeg/toExpPos at their limits).
 */
export const D = Decimal.clone({
  precision: 2000,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

/**
 * The only accepted textual form of a decimal (amounts and ratios): an optional leading "-",
 * an integer part without superfluous leading zeros, and an optional "." followed by at least
 * one digit. Rejected by design: "+5", ".5", "5.", "01", "1e3", "1,5", " 1", "0x10", "NaN".
 */
const PLAIN_DECIMAL = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/** Longest accepted decimal string: far above any legitimate amount, bounds parsing work. */
const MAX_TEXT_LENGTH = 100;

/** Most digits (integer + fraction, in plain notation) a ratio may have. */
export const MAX_RATIO_DIGITS = 1000;

export interface PlainDecimal {
  readonly negative: boolean;
  /** Integer digits, no leading zeros ("0" for zero). */
  readonly integer: string;
  /** Fraction digits exactly as written ("" when there is no point). */
  readonly fraction: string;
}

/** Splits a plain decimal string, or returns undefined when it is not one. */
export function splitPlainDecimal(text: string): PlainDecimal | undefined {
  if (text.length > MAX_TEXT_LENGTH) return undefined;
  const match = PLAIN_DECIMAL.exec(text);
  if (match === null) return undefined;
  return { negative: match[1] === '-', integer: match[2] ?? '0', fraction: match[3] ?? '' };
}

export function invalidDecimalMessage(what: string, text: string): string {
  return (
    `${what} ${quote(text)} is not a plain decimal string ` +
    `(digits, an optional leading "-" and an optional "." with digits after it, e.g. "12.30")`
  );
}

/**
 * A ratio (a multiplier or an allocation weight) as an exact private Decimal.
 * Accepts a plain decimal string, a bigint or a finite Decimal; never a JS number.
 */
export function toRatio(value: unknown, field: string): Decimal {
  let ratio: Decimal;
  if (typeof value === 'string') {
    if (splitPlainDecimal(value) === undefined) {
      throw new MoneyError(
        MoneyErrorCode.INVALID_RATIOS,
        invalidDecimalMessage(field, value),
        field,
      );
    }
    ratio = new D(value);
  } else if (typeof value === 'bigint') {
    ratio = new D(value.toString());
  } else if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) {
      throw new MoneyError(
        MoneyErrorCode.INVALID_RATIOS,
        `${field} must be finite, got ${value.toString()}`,
        field,
      );
    }
    ratio = new D(value);
  } else {
    throw new MoneyError(
      MoneyErrorCode.INVALID_RATIOS,
      `${field} must be a decimal string, bigint or Decimal, got ${describeType(value)}`,
      field,
    );
  }
  const digits = Math.max(ratio.e + 1, 1) + ratio.decimalPlaces();
  if (digits > MAX_RATIO_DIGITS) {
    throw new MoneyError(
      MoneyErrorCode.INVALID_RATIOS,
      `${field} needs ${digits} digits in plain notation; at most ${MAX_RATIO_DIGITS} are supported`,
      field,
    );
  }
  return ratio;
}
