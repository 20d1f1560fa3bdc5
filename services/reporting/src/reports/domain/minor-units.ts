import { Currency } from '@kontor/money';

// Report figures come from NUMERIC sums as exact decimal text. Large reports (the aging of
// thousands of customers) only normalize and add them, so they work on minor units as bigint
// instead of a Decimal per value: exact, and about twenty times cheaper.

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** "1234.5" in EUR → 123450n. Throws if the value has more fraction digits than the currency. */
export function toMinor(text: string, currency: string): bigint {
  const digits = Currency.of(currency).minorUnits;
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: "${text}"`);
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) {
    throw new RangeError(`${text} has more than ${digits} fraction digits for ${currency}`);
  }
  const minor = BigInt(match[2] + fraction.padEnd(digits, '0'));

  return match[1] === '-' ? -minor : minor;
}

/** 123450n in EUR → "1234.50"; -5n → "-0.05"; 0n → "0.00". */
export function formatMinor(minor: bigint, currency: string): string {
  const digits = Currency.of(currency).minorUnits;
  const sign = minor < 0n ? '-' : '';
  const text = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${text}`;

  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
