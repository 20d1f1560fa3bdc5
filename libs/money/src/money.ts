import { Decimal } from 'decimal.js';
import { allocateMinor, ratiosToWeights, type Ratio } from './allocate';
import { Currency } from './currency';
import { D, invalidDecimalMessage, splitPlainDecimal, toRatio, type PlainDecimal } from './decimal';
import { MoneyError, MoneyErrorCode, describeType, quote } from './money.errors';
import { decimalJsRounding, type RoundingMode } from './rounding';

/**
 * Largest supported magnitude: an amount has at most 28 integer digits (|amount| < 10^28).
 * That is what a NUMERIC(38,10) column holds, and every currency's minor units (≤ 4) fit in its
 * 10 fraction digits. Parsing, construction and every arithmetic result are checked against it.
 */
export const MAX_INTEGER_DIGITS = 28;

/** The JSON form of a Money, matching the `kontor.type.v1.Money` wire message. */
export interface MoneyJson {
  readonly amount: string;
  readonly currency: string;
}

type Operation = 'added to' | 'subtracted from' | 'compared with';

/**
 * An exact amount of money in one ISO 4217 currency: immutable, always a whole number of the
 * currency's minor units (held as a bigint, never a JS number).
 *
 * Deliberately not convertible to a number: `+money`, `money * 2`, `a < b` and `money + ''`
 * throw a TypeError (use `times`, `compare`, `toString`); `${money}` and `String(money)` work.
 */
export class Money {
  private constructor(
    private readonly minor: bigint,
    readonly currency: Currency,
  ) {
    Object.freeze(this);
  }

  /**
   * Parses a wire/user amount. Only plain decimal strings are accepted: an optional leading
   * "-", an integer part without superfluous leading zeros, and optionally "." plus digits —
   * `"12"`, `"12.3"`, `"0.5"`, `"-0.01"`. Rejected: `"+5"`, `".5"`, `"5."`, `"01"`, `"1e3"`,
   * `"1,5"`, `" 1"`, `"0x10"`, `"NaN"`, `"Infinity"`, `""`. `"-0"` (and `"-0.00"`) mean 0.
   *
   * At most the currency's minor-unit digits may follow the point, counted as written: `"1.230"`
   * is rejected for EUR (the wire contract; for NUMERIC read-back use `fromDecimal`).
   * @throws MoneyError UNKNOWN_CURRENCY, INVALID_AMOUNT, TOO_MANY_FRACTION_DIGITS, OUT_OF_RANGE
   */
  static parse(amount: string, currency: string | Currency): Money {
    const target = Currency.of(currency);
    if (typeof amount !== 'string') {
      throw new MoneyError(
        MoneyErrorCode.INVALID_AMOUNT,
        `amount must be a decimal string, got ${describeType(amount)}`,
        'amount',
      );
    }
    const parts = splitPlainDecimal(amount);
    if (parts === undefined) {
      throw new MoneyError(
        MoneyErrorCode.INVALID_AMOUNT,
        invalidDecimalMessage('amount', amount),
        'amount',
      );
    }
    if (parts.fraction.length > target.minorUnits) {
      throw tooManyFractionDigits(amount, parts.fraction.length, false, target);
    }
    return Money.fromParts(parts, amount, target);
  }

  /**
   * An amount from an exact decimal value — a Decimal, or a plain decimal string such as a
   * NUMERIC(38,10) column reads back (`"12.3000000000"`). Unlike `parse`, trailing zeros in the
   * fraction do not count; the value itself must still fit the currency's minor units exactly.
   * Nothing is rounded: use `times(…, mode)` for computed values that need rounding.
   * @throws MoneyError UNKNOWN_CURRENCY, INVALID_AMOUNT, TOO_MANY_FRACTION_DIGITS, OUT_OF_RANGE
   */
  static fromDecimal(value: Decimal | string, currency: string | Currency): Money {
    const target = Currency.of(currency);
    if (typeof value === 'string') {
      const parts = splitPlainDecimal(value);
      if (parts === undefined) {
        throw new MoneyError(
          MoneyErrorCode.INVALID_AMOUNT,
          invalidDecimalMessage('amount', value),
          'amount',
        );
      }
      const significant = parts.fraction.replace(/0+$/, '');
      if (significant.length > target.minorUnits) {
        const trimmed = significant.length !== parts.fraction.length;
        throw tooManyFractionDigits(value, significant.length, trimmed, target);
      }
      return Money.fromParts({ ...parts, fraction: significant }, value, target);
    }
    if (!Decimal.isDecimal(value) || !value.isFinite()) {
      throw new MoneyError(
        MoneyErrorCode.INVALID_AMOUNT,
        Decimal.isDecimal(value)
          ? `amount must be finite, got ${value.toString()}`
          : `amount must be a Decimal or a decimal string, got ${describeType(value)}`,
        'amount',
      );
    }
    return Money.fromExactDecimal(new D(value), target);
  }

  /** Zero in a currency. */
  static zero(currency: string | Currency): Money {
    return new Money(0n, Currency.of(currency));
  }

  /**
   * An amount from a whole number of minor units: `fromMinor(1234n, 'EUR')` is 12.34 EUR,
   * `fromMinor(1234n, 'JPY')` is 1234 JPY.
   * @throws MoneyError INVALID_AMOUNT (not a bigint), OUT_OF_RANGE, UNKNOWN_CURRENCY
   */
  static fromMinor(minor: bigint, currency: string | Currency): Money {
    const target = Currency.of(currency);
    if (typeof minor !== 'bigint') {
      throw new MoneyError(
        MoneyErrorCode.INVALID_AMOUNT,
        `minor units must be a bigint, got ${describeType(minor)}`,
        'amount',
      );
    }
    return Money.checked(minor, target, () => `${minor.toString()} minor units of ${target.code}`);
  }

  /** The amount as a whole number of minor units (12.34 EUR → 1234n). */
  toMinor(): bigint {
    return this.minor;
  }

  /** The amount as an exact Decimal (from the library's private decimal.js configuration). */
  toDecimal(): Decimal {
    return new D(this.toString());
  }

  /** this + other. @throws MoneyError CURRENCY_MISMATCH, OUT_OF_RANGE */
  plus(other: Money): Money {
    this.assertSameCurrency(other, 'added to');
    return Money.checked(this.minor + other.minor, this.currency, () =>
      this.describeResult('+', other),
    );
  }

  /** this − other. @throws MoneyError CURRENCY_MISMATCH, OUT_OF_RANGE */
  minus(other: Money): Money {
    this.assertSameCurrency(other, 'subtracted from');
    return Money.checked(this.minor - other.minor, this.currency, () =>
      this.describeResult('-', other),
    );
  }

  negate(): Money {
    return this.minor === 0n ? this : new Money(-this.minor, this.currency);
  }

  abs(): Money {
    return this.minor < 0n ? this.negate() : this;
  }

  isZero(): boolean {
    return this.minor === 0n;
  }

  isNegative(): boolean {
    return this.minor < 0n;
  }

  isPositive(): boolean {
    return this.minor > 0n;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than other. @throws CURRENCY_MISMATCH */
  compare(other: Money): -1 | 0 | 1 {
    this.assertSameCurrency(other, 'compared with');
    if (this.minor === other.minor) return 0;
    return this.minor < other.minor ? -1 : 1;
  }

  /** Same currency and same amount. Different currencies are simply not equal (no error). */
  equals(other: Money): boolean {
    return other instanceof Money && this.currency === other.currency && this.minor === other.minor;
  }

  /**
   * this × ratio, rounded to the currency's minor units by the given mode — the mode is
   * required, there is no implicit rounding. The product is computed exactly first, so the mode
   * is the only rounding applied. `ratio` is a plain decimal string (`'0.19'`, `'-1.5'`), a
   * bigint or a finite Decimal; never a JS number.
   * @throws MoneyError INVALID_RATIOS (bad ratio), OUT_OF_RANGE; TypeError for an unknown mode
   */
  times(ratio: Ratio, rounding: RoundingMode): Money {
    const mode = decimalJsRounding(rounding);
    const factor = toRatio(ratio, 'ratio');
    const product = this.toDecimal().times(factor);
    return Money.fromExactDecimal(
      product.toDecimalPlaces(this.currency.minorUnits, mode),
      this.currency,
    );
  }

  /**
   * Splits this amount in proportion to `ratios` by largest remainder (see `allocateMinor`):
   * the parts always sum exactly to this amount, each is within one minor unit of its exact
   * share, zero ratios get zero, leftover units go to the largest remainders (ties: earliest
   * index). A negative amount is split as its absolute value with every part negated.
   * `Money.parse('100.00', 'EUR').allocate(['1', '1', '1'])` → 33.34, 33.33, 33.33.
   * @throws MoneyError INVALID_RATIOS for an empty list, a malformed or negative ratio, all zeros
   */
  allocate(ratios: readonly Ratio[]): Money[] {
    const weights = ratiosToWeights(ratios);
    return allocateMinor(this.minor, weights).map((part) => new Money(part, this.currency));
  }

  /**
   * Splits this amount into `parts` shares that differ by at most one minor unit, the larger
   * ones first: 100.00 / 3 → 33.34, 33.33, 33.33. (`parts` is a count, not an amount.)
   * @throws MoneyError INVALID_RATIOS unless parts is a positive safe integer
   */
  allocateEvenly(parts: number): Money[] {
    if (typeof parts !== 'number' || !Number.isSafeInteger(parts) || parts < 1) {
      throw new MoneyError(
        MoneyErrorCode.INVALID_RATIOS,
        `parts must be a positive integer, got ${typeof parts === 'number' ? String(parts) : describeType(parts)}`,
        'parts',
      );
    }
    return allocateMinor(this.minor, new Array<bigint>(parts).fill(1n)).map(
      (part) => new Money(part, this.currency),
    );
  }

  /**
   * Canonical decimal string with exactly the currency's minor-unit digits: `"12.30"`,
   * `"-0.01"`, JPY `"1200"`, BHD `"1.500"`. Never exponent notation. `parse` reads it back.
   */
  toString(): string {
    const digits = this.currency.minorUnits;
    const sign = this.minor < 0n ? '-' : '';
    const magnitude = (this.minor < 0n ? -this.minor : this.minor)
      .toString()
      .padStart(digits + 1, '0');
    if (digits === 0) return sign + magnitude;
    const point = magnitude.length - digits;
    return `${sign}${magnitude.slice(0, point)}.${magnitude.slice(point)}`;
  }

  /** `{ amount: "12.30", currency: "EUR" }`, the shape of the `kontor.type.v1.Money` message. */
  toJSON(): MoneyJson {
    return { amount: this.toString(), currency: this.currency.code };
  }

  /**
   * Human-readable, locale-dependent text such as `"€1,234.50"` (en-US) — for display only,
   * never for storage or the wire. Always shows the currency's ISO minor-unit digits, and keeps
   * full precision (the exact decimal string is formatted, not a float).
   */
  format(locale?: string | string[]): string {
    const digits = this.currency.minorUnits;
    const formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: this.currency.code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }) as unknown as DecimalStringFormatter;
    return formatter.format(this.toString());
  }

  /** Guards against accidental number coercion: only string conversion is allowed. */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return this.toString();
    throw new TypeError(
      'Money cannot be converted to a number or compared with < / >; ' +
        'use compare(), times(), toString() or toMinor()',
    );
  }

  private assertSameCurrency(other: Money, operation: Operation): void {
    if (!(other instanceof Money)) {
      throw new TypeError(`expected a Money, got ${describeType(other)}`);
    }
    if (other.currency !== this.currency) {
      throw new MoneyError(
        MoneyErrorCode.CURRENCY_MISMATCH,
        `currency mismatch: ${other.currency.code} cannot be ${operation} ${this.currency.code}`,
      );
    }
  }

  private describeResult(operator: '+' | '-', other: Money): string {
    return `result of ${this.toString()} ${operator} ${other.toString()} ${this.currency.code}`;
  }

  private static fromParts(parts: PlainDecimal, text: string, currency: Currency): Money {
    if (parts.integer.length > MAX_INTEGER_DIGITS) throw outOfRange(`amount ${quote(text)}`);
    const minor = BigInt(parts.integer + parts.fraction.padEnd(currency.minorUnits, '0'));
    return new Money(parts.negative ? -minor : minor, currency);
  }

  /** A Decimal that must already have at most the currency's minor-unit fraction digits. */
  private static fromExactDecimal(value: Decimal, currency: Currency): Money {
    if (value.abs().gte(LIMIT)) {
      const shown = value.abs().gte(BIG_FOR_MESSAGE) ? value.toExponential(6) : value.toFixed();
      throw outOfRange(`${currency.code} amount ${shown}`);
    }
    const places = value.decimalPlaces();
    if (places > currency.minorUnits) {
      const shown = places > 40 ? value.toExponential() : value.toFixed();
      throw tooManyFractionDigits(shown, places, false, currency);
    }
    const parts = splitPlainDecimal(value.toFixed());
    if (parts === undefined) throw new Error(`unexpected decimal form ${value.toString()}`);
    return Money.fromParts(parts, value.toFixed(), currency);
  }

  private static checked(minor: bigint, currency: Currency, describe: () => string): Money {
    const limit = 10n ** BigInt(MAX_INTEGER_DIGITS + currency.minorUnits);
    if (minor >= limit || minor <= -limit) throw outOfRange(describe());
    return new Money(minor, currency);
  }
}

interface DecimalStringFormatter {
  /** Intl.NumberFormat formats numeric strings exactly (ES2023); the ES2022 typings lack it. */
  format(value: string): string;
}

const LIMIT = new D(10).pow(MAX_INTEGER_DIGITS);
const BIG_FOR_MESSAGE = new D(10).pow(60);

function outOfRange(what: string): MoneyError {
  return new MoneyError(
    MoneyErrorCode.OUT_OF_RANGE,
    `${what} is out of range: amounts have at most ${MAX_INTEGER_DIGITS} integer digits`,
    'amount',
  );
}

function tooManyFractionDigits(
  text: string,
  digits: number,
  significantOnly: boolean,
  currency: Currency,
): MoneyError {
  const counted = significantOnly ? 'significant fraction digits' : 'fraction digits';
  return new MoneyError(
    MoneyErrorCode.TOO_MANY_FRACTION_DIGITS,
    `amount ${quote(text)} has ${digits} ${counted}; ${currency.code} allows at most ${currency.minorUnits}`,
    'amount',
  );
}
