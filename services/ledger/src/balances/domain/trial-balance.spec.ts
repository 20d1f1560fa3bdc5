import { Money } from '@kontor/money';
import { UnbalancedTrialBalanceError } from './balance.errors';
import { trialBalanceTotals, type TrialBalanceRow } from './trial-balance';

function row(
  accountCode: string,
  currency: string,
  opening: string,
  debit: string,
  credit: string,
): TrialBalanceRow {
  const m = (amount: string) => Money.parse(amount, currency);

  return {
    accountCode,
    currency,
    openingBalance: m(opening),
    debit: m(debit),
    credit: m(credit),
    closingBalance: m(opening).plus(m(debit)).minus(m(credit)),
  };
}

describe(trialBalanceTotals.name, () => {
  it('totals per currency when debits equal credits', () => {
    const totals = trialBalanceTotals(
      [
        row('1000', 'EUR', '50.00', '120.00', '0.00'),
        row('1200', 'EUR', '0.00', '150.00', '120.00'),
        row('4000', 'EUR', '-50.00', '0.00', '150.00'),
        row('1000', 'USD', '0.00', '9.99', '0.00'),
        row('4000', 'USD', '0.00', '0.00', '9.99'),
      ],
      'ledger L',
    );
    expect(totals.map((t) => [t.currency, t.debit.toString(), t.credit.toString()])).toEqual([
      ['EUR', '270.00', '270.00'],
      ['USD', '9.99', '9.99'],
    ]);
  });

  it('returns no totals for an empty book', () => {
    expect(trialBalanceTotals([], 'ledger L')).toEqual([]);
  });

  it('throws naming the currency when debits and credits differ', () => {
    expect(() =>
      trialBalanceTotals(
        [row('1000', 'EUR', '0.00', '100.00', '0.00'), row('4000', 'EUR', '0.00', '0.00', '99.99')],
        'ledger L',
      ),
    ).toThrow(
      new UnbalancedTrialBalanceError(
        'ledger L: the trial balance does not balance in EUR: debit 100.00, credit 99.99, ' +
          'openings sum to 0.00, closings to 0.01',
      ),
    );
  });

  it('throws when openings do not sum to zero', () => {
    expect(() =>
      trialBalanceTotals([row('1000', 'EUR', '5.00', '1.00', '1.00')], 'ledger L'),
    ).toThrow(UnbalancedTrialBalanceError);
  });
});
