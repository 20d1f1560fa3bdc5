import { Decimal } from 'decimal.js';

/**
 * How a computed amount is rounded to the currency's minor units. There is no default: every
 * rounding call site states its rule.
 *
 * | mode      | rule                                             | 10.005 → | -10.005 → |
 * |-----------|--------------------------------------------------|----------|-----------|
 * | HALF_EVEN | nearest; ties to the even digit (banker's)       | 10.00    | -10.00    |
 * | HALF_UP   | nearest; ties away from zero (commercial)        | 10.01    | -10.01    |
 * | DOWN      | towards zero (truncate)                          | 10.00    | -10.00    |
 * | UP        | away from zero                                   | 10.01    | -10.01    |
 * | FLOOR     | towards negative infinity                        | 10.00    | -10.01    |
 * | CEILING   | towards positive infinity                        | 10.01    | -10.00    |
 */
export const RoundingMode = {
  HALF_EVEN: 'HALF_EVEN',
  HALF_UP: 'HALF_UP',
  DOWN: 'DOWN',
  UP: 'UP',
  FLOOR: 'FLOOR',
  CEILING: 'CEILING',
} as const;

export type RoundingMode = (typeof RoundingMode)[keyof typeof RoundingMode];

const DECIMAL_JS_MODE: Readonly<Record<RoundingMode, Decimal.Rounding>> = {
  HALF_EVEN: Decimal.ROUND_HALF_EVEN,
  HALF_UP: Decimal.ROUND_HALF_UP,
  DOWN: Decimal.ROUND_DOWN,
  UP: Decimal.ROUND_UP,
  FLOOR: Decimal.ROUND_FLOOR,
  CEILING: Decimal.ROUND_CEIL,
};

/**
 * The decimal.js constant for a rounding mode. An unknown or missing mode is a programming
 * error, not bad input, so it throws a TypeError rather than a MoneyError.
 */
export function decimalJsRounding(mode: RoundingMode): Decimal.Rounding {
  const rounding = Object.hasOwn(DECIMAL_JS_MODE, mode) ? DECIMAL_JS_MODE[mode] : undefined;
  if (rounding === undefined) {
    throw new TypeError(
      `rounding mode must be one of ${Object.keys(DECIMAL_JS_MODE).join(', ')}; got ${String(mode)}`,
    );
  }
  return rounding;
}
