import { Money } from '@kontor/money';
import { formatMinor, toMinor } from './minor-units';

describe('minor units of report figures', () => {
  it('normalizes NUMERIC text exactly like Money, for 0, 2 and 3 fraction digits', () => {
    for (const [text, currency] of [
      ['1234.5', 'EUR'],
      ['-0.05', 'EUR'],
      ['0', 'EUR'],
      ['12.3000000000', 'EUR'],
      ['150', 'JPY'],
      ['-1.234', 'BHD'],
      ['99999999999999.99', 'USD'],
    ]) {
      expect(formatMinor(toMinor(text, currency), currency)).toBe(
        Money.fromDecimal(text, currency).toString(),
      );
    }
  });

  it('adds exactly and refuses more fraction digits than the currency has', () => {
    const sum = ['0.10', '0.20', '-0.05'].reduce((total, text) => total + toMinor(text, 'EUR'), 0n);
    expect(formatMinor(sum, 'EUR')).toBe('0.25');
    expect(() => toMinor('1.005', 'EUR')).toThrow(/fraction digits/);
    expect(() => toMinor('1e3', 'EUR')).toThrow(/not a decimal/);
  });
});
