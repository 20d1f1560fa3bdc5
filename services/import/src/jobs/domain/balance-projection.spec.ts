import { Money } from '@kontor/money';
import { BalanceProjection } from './balance-projection';

const eur = (amount: string) => Money.parse(amount, 'EUR');

function cashLedger(balance: string) {
  const projection = new BalanceProjection();
  projection.add(
    'L',
    new Map([
      ['1000', { limit: 'no_negative' as const, balances: new Map([['EUR', eur(balance)]]) }],
      ['2200', { limit: 'no_positive' as const, balances: new Map() }],
    ]),
  );

  return projection;
}

describe('BalanceProjection', () => {
  it('refuses the entry that would take a no_negative account below zero, and applies nothing of it', () => {
    const projection = cashLedger('10.00');

    expect(projection.apply('L', '4000', '1000', eur('-6.00'))).toBeNull();
    expect(projection.apply('L', '4000', '1000', eur('5.00'))).toBe(
      'account 1000 would go below zero: its balance would be -1.00 EUR (limit no_negative)',
    );
    // The refused entry left the balance at 4.00: 4.00 more can still go out.
    expect(projection.apply('L', '4000', '1000', eur('4.00'))).toBeNull();
    expect(projection.apply('L', '4000', '1000', eur('0.01'))).not.toBeNull();
  });

  it('lets money in first and out later, in file order', () => {
    const projection = cashLedger('0.00');

    expect(projection.apply('L', '1000', '4000', eur('3.00'))).toBeNull();
    expect(projection.apply('L', '4000', '1000', eur('3.00'))).toBeNull();
    expect(projection.apply('L', '4000', '1000', eur('0.01'))).not.toBeNull();
  });

  it('checks no_positive accounts and keeps currencies apart', () => {
    const projection = cashLedger('10.00');

    expect(projection.apply('L', '2200', '4000', eur('0.01'))).toContain(
      'account 2200 would go above zero',
    );
    expect(projection.apply('L', '4000', '1000', Money.parse('1.00', 'USD'))).toContain(
      'balance would be -1.00 USD',
    );
  });

  it('knows only the ledgers it was given, and entries between unlimited accounts pass', () => {
    const projection = cashLedger('0.00');

    expect(projection.touches('L', '4000', '1100')).toBe(false);
    expect(projection.touches('L', '1100', '1000')).toBe(true);
    expect(projection.knows('other')).toBe(false);
    expect(projection.apply('other', '4000', '1000', eur('99.00'))).toBeNull();
  });
});
