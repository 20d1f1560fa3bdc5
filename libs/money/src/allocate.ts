import { type Decimal } from 'decimal.js';
import { toRatio } from './decimal';
import { MoneyError, MoneyErrorCode } from './money.errors';

/** A share weight: a plain decimal string (`'0.25'`), a bigint or a Decimal. Never a JS number. */
export type Ratio = string | bigint | Decimal;

/**
 * Turns ratios into integer weights with the same proportions (every ratio scaled by
 * 10^(most fraction digits among them)), after checking the list is usable.
 * @throws MoneyError INVALID_RATIOS for an empty list, a malformed or negative ratio, or all zeros
 */
export function ratiosToWeights(ratios: readonly Ratio[]): bigint[] {
  if (!Array.isArray(ratios) || ratios.length === 0) {
    throw new MoneyError(
      MoneyErrorCode.INVALID_RATIOS,
      'ratios must be a non-empty list',
      'ratios',
    );
  }
  const decimals = ratios.map((ratio, index) => {
    const field = `ratios[${index}]`;
    const value = toRatio(ratio, field);
    if (value.isNegative() && !value.isZero()) {
      throw new MoneyError(
        MoneyErrorCode.INVALID_RATIOS,
        `${field} is negative (${value.toFixed()}); ratios must be zero or positive`,
        field,
      );
    }
    return value.abs();
  });
  if (decimals.every((value) => value.isZero())) {
    throw new MoneyError(
      MoneyErrorCode.INVALID_RATIOS,
      'ratios are all zero; at least one must be positive',
      'ratios',
    );
  }
  const scale = Math.max(...decimals.map((value) => value.decimalPlaces()));
  return decimals.map((value) => {
    const [integer = '0', fraction = ''] = value.toFixed().split('.');
    return BigInt(integer + fraction.padEnd(scale, '0'));
  });
}

/**
 * Splits `total` minor units in proportion to non-negative integer `weights` (not all zero) by
 * the largest-remainder method, so the parts always add up to `total` exactly:
 *
 * 1. each part gets floor(|total| × weight / Σweights);
 * 2. the minor units left over (fewer than the number of parts) go one each to the parts with
 *    the largest remainders, ties to the earliest index — deterministic for equal inputs;
 * 3. a negative total is split as its absolute value and every part negated (mirrored), so the
 *    parts are all ≤ 0, still sum to the total, and -100.00 splits like 100.00 with signs flipped.
 *
 * Each part differs from its exact proportional value by less than one minor unit, and a zero
 * weight always gets exactly zero (its remainder is 0, and a positive remainder exists for every
 * unit left over).
 */
export function allocateMinor(total: bigint, weights: readonly bigint[]): bigint[] {
  const negative = total < 0n;
  const magnitude = negative ? -total : total;
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);

  const parts = weights.map((weight) => (magnitude * weight) / weightSum);
  const remainders = weights.map((weight) => (magnitude * weight) % weightSum);
  let leftover = magnitude - parts.reduce((sum, part) => sum + part, 0n);

  const byLargestRemainder = weights
    .map((_, index) => index)
    .sort((a, b) => {
      const ra = remainders[a];
      const rb = remainders[b];
      if (ra !== rb) return ra > rb ? -1 : 1;
      return a - b;
    });
  for (const index of byLargestRemainder) {
    if (leftover === 0n) break;
    parts[index] += 1n;
    leftover -= 1n;
  }
  return negative ? parts.map((part) => -part) : parts;
}
