import { Currency } from './currency';
import { MoneyError, MoneyErrorCode } from './money.errors';

function caught(action: () => unknown): MoneyError {
  try {
    action();
  } catch (error) {
    if (error instanceof MoneyError) return error;
    throw error;
  }
  throw new Error('expected a MoneyError');
}

describe('Currency', () => {
  it('normalizes a lower-case code to the upper-case ISO code', () => {
    const eur = Currency.of('eur');
    expect(eur.code).toBe('EUR');
    expect(eur.minorUnits).toBe(2);
    expect(Currency.of('Eur')).toBe(Currency.of('EUR'));
  });

  it('returns a Currency passed to it unchanged', () => {
    const usd = Currency.of('USD');
    expect(Currency.of(usd)).toBe(usd);
  });

  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['ISK', 0],
    ['VND', 0],
    ['XAF', 0],
    ['XOF', 0],
    ['XPF', 0],
    ['CLP', 0],
    ['PYG', 0],
    ['UGX', 0],
    ['UYI', 0],
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['CHF', 2],
    ['XCG', 2],
    ['ZWG', 2],
    ['SLE', 2],
    ['BHD', 3],
    ['KWD', 3],
    ['JOD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['LYD', 3],
    ['IQD', 3],
    ['CLF', 4],
    ['UYW', 4],
  ])('knows that %s has %i minor units', (code, minorUnits) => {
    expect(Currency.of(code).minorUnits).toBe(minorUnits);
  });

  it.each([
    ['XYZ', 'not an ISO code'],
    ['EURO', 'four letters'],
    [' EUR', 'surrounding whitespace'],
    ['', 'empty'],
    ['E1R', 'a digit'],
    ['XAU', 'gold has no minor units'],
    ['XXX', 'the no-currency code'],
    ['HRK', 'withdrawn in 2023'],
  ])('rejects %j (%s) with an error naming the value', (code) => {
    const error = caught(() => Currency.of(code));
    expect(error.code).toBe(MoneyErrorCode.UNKNOWN_CURRENCY);
    expect(error.field).toBe('currency');
    expect(error.message).toContain(JSON.stringify(code));
  });

  it('rejects a numeric ISO code given as a JS number', () => {
    const error = caught(() => Currency.of(978 as unknown as string));
    expect(error.code).toBe(MoneyErrorCode.UNKNOWN_CURRENCY);
    expect(error.message).toContain('got number');
  });

  it('tells whether a code is known without throwing', () => {
    expect(Currency.isKnown('chf')).toBe(true);
    expect(Currency.isKnown('XAU')).toBe(false);
    expect(Currency.isKnown('toString')).toBe(false);
  });

  it('lists 150+ distinct active codes, each three letters with 0, 2, 3 or 4 minor units', () => {
    const all = Currency.all();
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(new Set(all.map((c) => c.code)).size).toBe(all.length);
    for (const currency of all) {
      expect(currency.code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(currency.minorUnits);
      expect(Currency.of(currency.code)).toBe(currency);
    }
    expect(all.map((c) => c.code)).toEqual([...all.map((c) => c.code)].sort());
  });

  it('serializes to its code', () => {
    expect(JSON.stringify({ currency: Currency.of('jpy') })).toBe('{"currency":"JPY"}');
    expect(String(Currency.of('bhd'))).toBe('BHD');
  });

  it('is immutable', () => {
    expect(Object.isFrozen(Currency.of('EUR'))).toBe(true);
  });
});
