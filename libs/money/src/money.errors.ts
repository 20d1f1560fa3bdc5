/**
 * Why a money operation was refused. Every code is a caller mistake (bad input), so a transport
 * can map any `MoneyError` to INVALID_ARGUMENT and report `field` when it is set.
 */
export const MoneyErrorCode = {
  /** The amount is not a plain decimal string (or a bigint / finite Decimal where one is expected). */
  INVALID_AMOUNT: 'INVALID_AMOUNT',
  /** The amount has more fraction digits than the currency's minor units allow. */
  TOO_MANY_FRACTION_DIGITS: 'TOO_MANY_FRACTION_DIGITS',
  /** The currency code is not an active ISO 4217 currency with defined minor units. */
  UNKNOWN_CURRENCY: 'UNKNOWN_CURRENCY',
  /** Two amounts in different currencies were combined or compared. */
  CURRENCY_MISMATCH: 'CURRENCY_MISMATCH',
  /** The amount (or a result) is above the supported magnitude. */
  OUT_OF_RANGE: 'OUT_OF_RANGE',
  /** A ratio, ratio list or part count is unusable (malformed, negative, empty, all zero). */
  INVALID_RATIOS: 'INVALID_RATIOS',
} as const;

export type MoneyErrorCode = (typeof MoneyErrorCode)[keyof typeof MoneyErrorCode];

export class MoneyError extends Error {
  override readonly name = 'MoneyError';

  constructor(
    readonly code: MoneyErrorCode,
    message: string,
    /** The input the error is about, e.g. `amount`, `currency`, `ratios[2]`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Quotes a caller-supplied value for an error message, shortening very long input. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}

/** Describes a value's runtime type for "expected a string, got number" messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
