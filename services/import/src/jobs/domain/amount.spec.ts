import { Currency } from '@kontor/money';
import { type ValueFormat } from '../../profiles/domain/profile';
import { parseAmount } from './amount';

const EUR = Currency.of('EUR');
const format = (overrides: Partial<ValueFormat> = {}): ValueFormat => ({
  decimalSeparator: '.',
  thousandsSeparator: '',
  negativeStyles: ['leading-minus'],
  dateFormats: ['YYYY-MM-DD'],
  ...overrides,
});
const amount = (raw: string, values: ValueFormat, currency = EUR) => {
  const result = parseAmount(raw, values, currency);

  return result.ok ? result.money.toString() : `error: ${result.reason}`;
};

describe('parseAmount', () => {
  it.each([
    ['1.234,56', format({ decimalSeparator: ',', thousandsSeparator: '.' }), '1234.56'],
    ['1 234,56', format({ decimalSeparator: ',', thousandsSeparator: ' ' }), '1234.56'],
    ['1\u00a0234,56', format({ decimalSeparator: ',', thousandsSeparator: ' ' }), '1234.56'],
    ['1,234.56', format({ thousandsSeparator: ',' }), '1234.56'],
    ["1'234.56", format({ thousandsSeparator: "'" }), '1234.56'],
    ['1234.5', format({ thousandsSeparator: ',' }), '1234.50'],
    ['007', format(), '7.00'],
    ['12.500', format(), '12.50'],
    ['+3', format(), '3.00'],
  ])('reads %s with its separators exactly', (raw, values, expected) => {
    expect(amount(raw, values)).toBe(expected);
  });

  it.each([
    ['-12.50', 'leading-minus'],
    ['(12.50)', 'parentheses'],
    ['12.50-', 'trailing-minus'],
    ['12.50 CR', 'cr-suffix'],
    ['12.50cr', 'cr-suffix'],
  ] as const)('reads the negative %s when the profile accepts %s', (raw, style) => {
    expect(amount(raw, format({ negativeStyles: [style] }))).toBe('-12.50');
  });

  it('reads a DR suffix as positive', () => {
    expect(amount('12.50 DR', format({ negativeStyles: ['cr-suffix'] }))).toBe('12.50');
  });

  it('refuses a negative style the profile does not accept, naming it', () => {
    expect(amount('(12.50)', format())).toBe(
      'error: negative style (12.50) is not accepted by the profile',
    );
  });

  it.each(['1,234.56', '12,5', 'abc', '1.2.3', '1e3', '0x10', '', '12.50 EUR', '--1'])(
    'refuses %p under a plain dot-decimal profile',
    (raw) => {
      expect(amount(raw, format())).toMatch(/^error: /);
    },
  );

  it('refuses misplaced thousands separators', () => {
    expect(amount('12,34.5', format({ thousandsSeparator: ',' }))).toMatch(/not a number/);
  });

  it('refuses more decimals than the currency has instead of rounding', () => {
    expect(amount('1.005', format())).toMatch(/more than 2 decimals for EUR/);
    expect(amount('1.5', format(), Currency.of('JPY'))).toMatch(/more than 0 decimals/);
  });

  it('keeps amounts beyond the precision of a JS number exact', () => {
    expect(amount('12345678901234567890123.45', format())).toBe('12345678901234567890123.45');
  });
});
