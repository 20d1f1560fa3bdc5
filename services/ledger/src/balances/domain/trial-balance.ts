import { Money } from '@kontor/money';
import { UnbalancedTrialBalanceError } from './balance.errors';

export interface TrialBalanceRow {
  accountCode: string;
  currency: string;
  openingBalance: Money;
  debit: Money;
  credit: Money;
  closingBalance: Money;
}

export interface TrialBalanceTotal {
  currency: string;
  debit: Money;
  credit: Money;
}

/**
 * Totals per currency (ordered by code). Every posted entry balances per currency, so total
 * debits equal total credits, and the openings and closings sum to zero; anything else is a bug
 * and throws UnbalancedTrialBalanceError naming the currency and the differences.
 */
export function trialBalanceTotals(
  rows: readonly TrialBalanceRow[],
  context: string,
): TrialBalanceTotal[] {
  const sums = new Map<string, { debit: Money; credit: Money; opening: Money; closing: Money }>();
  for (const row of rows) {
    const zero = Money.zero(row.currency);
    const sum = sums.get(row.currency) ?? {
      debit: zero,
      credit: zero,
      opening: zero,
      closing: zero,
    };
    const expectedClosing = row.openingBalance.plus(row.debit).minus(row.credit);
    if (!expectedClosing.equals(row.closingBalance)) {
      throw new UnbalancedTrialBalanceError(
        `${context}: account ${row.accountCode} ${row.currency} closes at ${row.closingBalance.toString()}, ` +
          `but opening + debit − credit is ${expectedClosing.toString()}`,
      );
    }
    sums.set(row.currency, {
      debit: sum.debit.plus(row.debit),
      credit: sum.credit.plus(row.credit),
      opening: sum.opening.plus(row.openingBalance),
      closing: sum.closing.plus(row.closingBalance),
    });
  }
  const totals: TrialBalanceTotal[] = [];
  for (const [currency, sum] of [...sums.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!sum.debit.equals(sum.credit) || !sum.opening.isZero() || !sum.closing.isZero()) {
      throw new UnbalancedTrialBalanceError(
        `${context}: the trial balance does not balance in ${currency}: debit ${sum.debit.toString()}, ` +
          `credit ${sum.credit.toString()}, openings sum to ${sum.opening.toString()}, ` +
          `closings to ${sum.closing.toString()}`,
      );
    }
    totals.push({ currency, debit: sum.debit, credit: sum.credit });
  }

  return totals;
}
