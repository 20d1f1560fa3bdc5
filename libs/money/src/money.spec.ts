import { Decimal } from 'decimal.js';
import { Currency } from './currency';
import { Money } from './money';
import { MoneyError, MoneyErrorCode } from './money.errors';
import { RoundingMode } from './rounding';

function caught(action: () => unknown): MoneyError {
  try {
    action();
  } catch (error) {
    if (error instanceof MoneyError) return error;
    throw error;
  }
  throw new Error('expected a MoneyError');
}

const eur = (amount: string): Money => Money.parse(amount, 'EUR');

describe('Money.parse and toString', () => {
  it.each([
    ['12', 'EUR', '12.00'],
    ['12.3', 'EUR', '12.30'],
    ['12.30', 'EUR', '12.30'],
    ['0.5', 'EUR', '0.50'],
    ['-0.01', 'EUR', '-0.01'],
    ['0', 'EUR', '0.00'],
    ['1200', 'JPY', '1200'],
    ['-7', 'KRW', '-7'],
    ['1.5', 'BHD', '1.500'],
    ['0.001', 'KWD', '0.001'],
    ['0.0001', 'CLF', '0.0001'],
    ['12.3456', 'UYW', '12.3456'],
    ['9999999999999999999999999999.99', 'EUR', '9999999999999999999999999999.99'],
    ['-9999999999999999999999999999', 'JPY', '-9999999999999999999999999999'],
  ])('parses %j %s and prints the canonical %j', (input, code, canonical) => {
    const money = Money.parse(input, code);
    expect(money.toString()).toBe(canonical);
    expect(Money.parse(money.toString(), code).equals(money)).toBe(true);
  });

  it('accepts a lower-case currency code and a Currency instance', () => {
    expect(Money.parse('1', 'usd').currency).toBe(Currency.of('USD'));
    expect(Money.parse('1', Currency.of('USD')).currency.code).toBe('USD');
  });

  it.each(['-0', '-0.0', '-0.00'])('normalizes %j to zero', (input) => {
    const money = eur(input);
    expect(money.isZero()).toBe(true);
    expect(money.isNegative()).toBe(false);
    expect(money.toString()).toBe('0.00');
    expect(money.toMinor()).toBe(0n);
  });

  it.each([
    '',
    ' 1',
    '1 ',
    '1\n',
    '1e3',
    '1E3',
    'NaN',
    'Infinity',
    '-Infinity',
    '1,5',
    '1.000,00',
    '0x10',
    '0b1',
    '.5',
    '5.',
    '-.5',
    '+5',
    '01',
    '00.5',
    '--1',
    '-',
    '.',
    '1.2.3',
    '1_000',
    '٣',
    '１',
    'twelve',
  ])('rejects %j as not a plain decimal string', (input) => {
    const error = caught(() => eur(input));
    expect(error.code).toBe(MoneyErrorCode.INVALID_AMOUNT);
    expect(error.field).toBe('amount');
    expect(error.message).toContain(JSON.stringify(input));
  });

  it('rejects a JS number where a decimal string is required', () => {
    const error = caught(() => Money.parse(12.3 as unknown as string, 'EUR'));
    expect(error.code).toBe(MoneyErrorCode.INVALID_AMOUNT);
    expect(error.message).toBe('amount must be a decimal string, got number');
  });

  it('rejects an absurdly long string without trying to read it', () => {
    const error = caught(() => eur(`0.${'0'.repeat(200)}`));
    expect(error.code).toBe(MoneyErrorCode.INVALID_AMOUNT);
  });

  it('rejects an amount with more fraction digits than EUR allows', () => {
    const error = caught(() => eur('1.234'));
    expect(error.code).toBe(MoneyErrorCode.TOO_MANY_FRACTION_DIGITS);
    expect(error.field).toBe('amount');
    expect(error.message).toBe('amount "1.234" has 3 fraction digits; EUR allows at most 2');
  });

  it('counts fraction digits as written, so "1.230" is rejected for EUR', () => {
    expect(caught(() => eur('1.230')).code).toBe(MoneyErrorCode.TOO_MANY_FRACTION_DIGITS);
  });

  it.each([
    ['1.5', 'JPY', 'amount "1.5" has 1 fraction digits; JPY allows at most 0'],
    ['100.0', 'ISK', 'amount "100.0" has 1 fraction digits; ISK allows at most 0'],
    ['1.2345', 'BHD', 'amount "1.2345" has 4 fraction digits; BHD allows at most 3'],
    ['1.23456', 'CLF', 'amount "1.23456" has 5 fraction digits; CLF allows at most 4'],
  ])('rejects %j for %s, which has fewer minor units', (input, code, message) => {
    const error = caught(() => Money.parse(input, code));
    expect(error.code).toBe(MoneyErrorCode.TOO_MANY_FRACTION_DIGITS);
    expect(error.message).toBe(message);
  });

  it('rejects an unknown currency before looking at the amount', () => {
    const error = caught(() => Money.parse('1.00', 'EUX'));
    expect(error.code).toBe(MoneyErrorCode.UNKNOWN_CURRENCY);
    expect(error.message).toContain('"EUX"');
  });

  it('accepts 28 integer digits and rejects 29', () => {
    expect(eur(`-${'9'.repeat(28)}.99`).isNegative()).toBe(true);
    const error = caught(() => eur(`1${'0'.repeat(28)}`));
    expect(error.code).toBe(MoneyErrorCode.OUT_OF_RANGE);
    expect(error.message).toContain('at most 28 integer digits');
  });
});

describe('Money.fromDecimal', () => {
  it('reads a NUMERIC(38,10) value, ignoring trailing zeros', () => {
    expect(Money.fromDecimal('12.3000000000', 'EUR').toString()).toBe('12.30');
    expect(Money.fromDecimal('1200.0000000000', 'JPY').toString()).toBe('1200');
    expect(Money.fromDecimal('-0.0000000000', 'EUR').isZero()).toBe(true);
  });

  it('still rejects a value that needs more fraction digits than the currency allows', () => {
    const error = caught(() => Money.fromDecimal('1.2340000000', 'EUR'));
    expect(error.code).toBe(MoneyErrorCode.TOO_MANY_FRACTION_DIGITS);
    expect(error.message).toBe(
      'amount "1.2340000000" has 3 significant fraction digits; EUR allows at most 2',
    );
  });

  it('converts an exact Decimal without rounding it', () => {
    expect(Money.fromDecimal(new Decimal('19.5'), 'EUR').toString()).toBe('19.50');
    expect(Money.fromDecimal(new Decimal('-1e-3'), 'BHD').toString()).toBe('-0.001');
    expect(Money.fromDecimal(new Decimal('1.5e27'), 'JPY').toString()).toBe(
      '1500000000000000000000000000',
    );
    expect(caught(() => Money.fromDecimal(new Decimal('0.005'), 'EUR')).code).toBe(
      MoneyErrorCode.TOO_MANY_FRACTION_DIGITS,
    );
  });

  it.each([new Decimal(NaN), new Decimal(Infinity), new Decimal(-Infinity)])(
    'rejects the non-finite Decimal %s',
    (value) => {
      expect(caught(() => Money.fromDecimal(value, 'EUR')).code).toBe(
        MoneyErrorCode.INVALID_AMOUNT,
      );
    },
  );

  it('rejects a Decimal above the magnitude limit', () => {
    expect(caught(() => Money.fromDecimal(new Decimal('1e28'), 'EUR')).code).toBe(
      MoneyErrorCode.OUT_OF_RANGE,
    );
    expect(caught(() => Money.fromDecimal(new Decimal('-1e900'), 'EUR')).code).toBe(
      MoneyErrorCode.OUT_OF_RANGE,
    );
  });

  it('rejects a string that is not a plain decimal', () => {
    expect(caught(() => Money.fromDecimal('1e3', 'EUR')).code).toBe(MoneyErrorCode.INVALID_AMOUNT);
  });
});

describe('Money minor units', () => {
  it.each([
    [1234n, 'EUR', '12.34'],
    [-1n, 'EUR', '-0.01'],
    [1234n, 'JPY', '1234'],
    [1234n, 'BHD', '1.234'],
    [1234n, 'CLF', '0.1234'],
    [0n, 'KWD', '0.000'],
  ])('builds %s minor units of %s as %j and gives them back', (minor, code, text) => {
    const money = Money.fromMinor(minor, code);
    expect(money.toString()).toBe(text);
    expect(money.toMinor()).toBe(minor);
    expect(Money.parse(text, code).toMinor()).toBe(minor);
  });

  it('rejects minor units given as a JS number', () => {
    const error = caught(() => Money.fromMinor(1234 as unknown as bigint, 'EUR'));
    expect(error.code).toBe(MoneyErrorCode.INVALID_AMOUNT);
    expect(error.message).toContain('got number');
  });

  it('rejects minor units above the magnitude limit', () => {
    expect(Money.fromMinor(10n ** 30n - 1n, 'EUR').toString()).toBe(`${'9'.repeat(28)}.99`);
    expect(caught(() => Money.fromMinor(10n ** 30n, 'EUR')).code).toBe(MoneyErrorCode.OUT_OF_RANGE);
    expect(caught(() => Money.fromMinor(-(10n ** 28n), 'JPY')).code).toBe(
      MoneyErrorCode.OUT_OF_RANGE,
    );
  });

  it('makes a zero in any currency', () => {
    expect(Money.zero('JPY').toString()).toBe('0');
    expect(Money.zero('bhd').toString()).toBe('0.000');
    expect(Money.zero('EUR').isZero()).toBe(true);
  });
});

describe('Money arithmetic', () => {
  it('adds and subtracts exactly where binary floats would not', () => {
    expect(eur('0.10').plus(eur('0.20')).toString()).toBe('0.30');
    expect(eur('0.30').minus(eur('0.10')).toString()).toBe('0.20');
    expect(eur('1.00').minus(eur('1.01')).toString()).toBe('-0.01');
  });

  it('keeps full precision at the 28-digit limit', () => {
    const big = eur('9999999999999999999999999999.98');
    expect(big.plus(eur('0.01')).toString()).toBe('9999999999999999999999999999.99');
    expect(big.minus(big).toString()).toBe('0.00');
  });

  it('rejects a sum above the magnitude limit', () => {
    const error = caught(() => eur(`${'9'.repeat(28)}.99`).plus(eur('0.01')));
    expect(error.code).toBe(MoneyErrorCode.OUT_OF_RANGE);
  });

  it('negates, takes the absolute value and reports the sign', () => {
    const debt = eur('-5.25');
    expect(debt.negate().toString()).toBe('5.25');
    expect(debt.abs().toString()).toBe('5.25');
    expect(eur('5.25').abs().toString()).toBe('5.25');
    expect(Money.zero('EUR').negate().toString()).toBe('0.00');
    expect([debt.isNegative(), debt.isZero(), debt.isPositive()]).toEqual([true, false, false]);
    expect([debt.negate().isNegative(), debt.negate().isPositive()]).toEqual([false, true]);
  });

  it('compares and tests equality by value', () => {
    expect(eur('9.99').compare(eur('10'))).toBe(-1);
    expect(eur('10').compare(eur('9.99'))).toBe(1);
    expect(eur('10').compare(eur('10.00'))).toBe(0);
    expect(eur('10').equals(eur('10.0'))).toBe(true);
    expect(eur('10').equals(eur('10.01'))).toBe(false);
  });

  it('does not change the original when operating on it', () => {
    const original = eur('1.00');
    original.plus(eur('2.00'));
    original.negate();
    expect(original.toString()).toBe('1.00');
    expect(Object.isFrozen(original)).toBe(true);
  });
});

describe('Money currency mismatch', () => {
  const usd = Money.parse('1.00', 'USD');

  it.each([
    ['plus', () => eur('1.00').plus(usd), 'USD cannot be added to EUR'],
    ['minus', () => eur('1.00').minus(usd), 'USD cannot be subtracted from EUR'],
    ['compare', () => eur('1.00').compare(usd), 'USD cannot be compared with EUR'],
  ])('rejects %s across currencies with an error naming both', (_name, action, message) => {
    const error = caught(action);
    expect(error.code).toBe(MoneyErrorCode.CURRENCY_MISMATCH);
    expect(error.message).toBe(`currency mismatch: ${message}`);
  });

  it('reports amounts in different currencies as not equal', () => {
    expect(eur('1.00').equals(usd)).toBe(false);
  });
});

describe('Money.times with explicit rounding', () => {
  // 20.01 × 0.5 = 10.005 exactly: a tie at the third digit.
  it.each([
    [RoundingMode.HALF_EVEN, '10.00', '-10.00'],
    [RoundingMode.HALF_UP, '10.01', '-10.01'],
    [RoundingMode.DOWN, '10.00', '-10.00'],
    [RoundingMode.UP, '10.01', '-10.01'],
    [RoundingMode.FLOOR, '10.00', '-10.01'],
    [RoundingMode.CEILING, '10.01', '-10.00'],
  ])('rounds 10.005 with %s to %s and -10.005 to %s', (mode, positive, negative) => {
    expect(eur('20.01').times('0.5', mode).toString()).toBe(positive);
    expect(eur('-20.01').times('0.5', mode).toString()).toBe(negative);
  });

  it('rounds the tie 10.015 up to the even 10.02 with HALF_EVEN', () => {
    expect(eur('20.03').times('0.5', 'HALF_EVEN').toString()).toBe('10.02');
    expect(eur('20.03').times('0.5', 'HALF_UP').toString()).toBe('10.02');
  });

  it('rounds a value just above the tie (10.0051) up under HALF_EVEN too', () => {
    expect(eur('1.00').times('10.0051', 'HALF_EVEN').toString()).toBe('10.01');
    expect(eur('1.00').times(new Decimal('10.0051'), 'HALF_UP').toString()).toBe('10.01');
    expect(eur('1.00').times('10.0051', 'DOWN').toString()).toBe('10.00');
  });

  it('rounds to the currency minor units: 0 for JPY, 3 for BHD', () => {
    expect(Money.parse('125', 'JPY').times('0.5', 'HALF_EVEN').toString()).toBe('62');
    expect(Money.parse('125', 'JPY').times('0.5', 'HALF_UP').toString()).toBe('63');
    expect(Money.parse('1.000', 'BHD').times('0.0125', 'HALF_EVEN').toString()).toBe('0.012');
    expect(Money.parse('1.000', 'BHD').times('0.0125', 'UP').toString()).toBe('0.013');
  });

  it('computes an exact product without any rounding when none is needed', () => {
    expect(eur('19.99').times('3', 'HALF_EVEN').toString()).toBe('59.97');
    expect(eur('19.99').times(3n, 'DOWN').toString()).toBe('59.97');
    expect(eur('100.00').times('-0.19', 'DOWN').toString()).toBe('-19.00');
  });

  it('multiplies by a Decimal ratio exactly, even with a long fraction', () => {
    const third = new Decimal(1).div(3); // 0.33333333333333333333 at decimal.js default precision
    expect(eur('100.00').times(third, 'HALF_EVEN').toString()).toBe('33.33');
    expect(eur('0.03').times(third, 'UP').toString()).toBe('0.01');
    expect(eur('0.03').times(third, 'DOWN').toString()).toBe('0.00');
  });

  it('rejects a ratio given as a JS number or in a non-plain form', () => {
    const number = caught(() => eur('1.00').times(0.5 as unknown as string, 'HALF_EVEN'));
    expect(number.code).toBe(MoneyErrorCode.INVALID_RATIOS);
    expect(number.field).toBe('ratio');
    expect(number.message).toContain('got number');
    expect(caught(() => eur('1.00').times('5e-1', 'HALF_EVEN')).code).toBe(
      MoneyErrorCode.INVALID_RATIOS,
    );
    expect(caught(() => eur('1.00').times(new Decimal(NaN), 'HALF_EVEN')).code).toBe(
      MoneyErrorCode.INVALID_RATIOS,
    );
  });

  it('requires a known rounding mode', () => {
    const noMode = (): Money =>
      (eur('1.00').times as (ratio: string) => Money).call(eur('1.00'), '0.5');
    expect(noMode).toThrow(TypeError);
    expect(() => eur('1.00').times('0.5', 'HALF_DOWN' as RoundingMode)).toThrow(
      /rounding mode must be one of HALF_EVEN, HALF_UP, DOWN, UP, FLOOR, CEILING/,
    );
  });

  it('rejects a product above the magnitude limit', () => {
    expect(caught(() => eur('1.00').times(new Decimal('1e28'), 'HALF_EVEN')).code).toBe(
      MoneyErrorCode.OUT_OF_RANGE,
    );
  });
});

describe('Money is isolated from global decimal.js settings', () => {
  it('keeps exact results and plain notation when Decimal.set changes the defaults', () => {
    const saved = Decimal.clone();
    Decimal.set({ precision: 3, rounding: Decimal.ROUND_DOWN, toExpPos: 2, toExpNeg: -2 });
    try {
      const big = eur('1234567890123456789012345678.91');
      expect(big.times('1', 'HALF_EVEN').toString()).toBe('1234567890123456789012345678.91');
      expect(big.toDecimal().toString()).toBe('1234567890123456789012345678.91');
      expect(eur('0.01').times('0.5', 'HALF_UP').toString()).toBe('0.01');
      expect(Money.fromDecimal(new Decimal('0.05'), 'EUR').toString()).toBe('0.05');
    } finally {
      Decimal.set({
        precision: saved.precision,
        rounding: saved.rounding,
        toExpPos: saved.toExpPos,
        toExpNeg: saved.toExpNeg,
      });
    }
  });
});

describe('Money conversions', () => {
  it('serializes to the kontor.type.v1.Money shape', () => {
    expect(JSON.stringify({ total: eur('12.3') })).toBe(
      '{"total":{"amount":"12.30","currency":"EUR"}}',
    );
    expect(Money.parse('1200', 'jpy').toJSON()).toEqual({ amount: '1200', currency: 'JPY' });
  });

  it('converts to a string but never to a number', () => {
    const money = eur('12.30');
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- the claim under test
    expect(`${money}`).toBe('12.30');
    expect(String(money)).toBe('12.30');
    expect(() => +(money as unknown as string)).toThrow(TypeError);
    expect(() => Number(money)).toThrow(TypeError);
    expect(() => (money as unknown as number) < (eur('9.00') as unknown as number)).toThrow(
      TypeError,
    );
  });

  it('formats for display with the currency minor units and full precision', () => {
    expect(eur('1234.5').format('en-US')).toBe('€1,234.50');
    expect(Money.parse('1200', 'JPY').format('en-US')).toBe('¥1,200');
    expect(Money.parse('-1.5', 'BHD').format('en-US')).toMatch(/^-BHD\s1\.500$/);
    expect(eur('1234567890123456789012345678.91').format('en-US')).toBe(
      '€1,234,567,890,123,456,789,012,345,678.91',
    );
  });
});
