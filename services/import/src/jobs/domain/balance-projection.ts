import { Money } from '@kontor/money';

/** The ledger's balance limits: on debit − credit of an account, per currency. */
export type BalanceLimit = 'no_negative' | 'no_positive';

/** An account with a balance limit and its balance (debit − credit) per currency. */
export interface LimitedAccount {
  limit: BalanceLimit;
  balances: Map<string, Money>;
}

const RULE: Record<BalanceLimit, string> = {
  no_negative: 'below zero',
  no_positive: 'above zero',
};

function within(limit: BalanceLimit, balance: Money): boolean {
  return limit === 'no_negative' ? !balance.isNegative() : !balance.isPositive();
}

/**
 * Replays a file's entries, in file order, on the balances of the accounts that have a limit,
 * the way the ledger checks them when posting: an entry that would take such an account past its
 * limit is refused and changes nothing. A validation pass uses it so that REJECT_FILE rejects
 * the file before anything posts, instead of the ledger refusing a row half-way through.
 */
export class BalanceProjection {
  /** Limited accounts per ledger, by account code. */
  private readonly ledgers = new Map<string, Map<string, LimitedAccount>>();

  knows(ledgerId: string): boolean {
    return this.ledgers.has(ledgerId);
  }

  /** The ledger's limited accounts with their balances now (before the file). */
  add(ledgerId: string, accounts: Map<string, LimitedAccount>): void {
    this.ledgers.set(ledgerId, accounts);
  }

  /** Whether an entry between these accounts is subject to a limit. */
  touches(ledgerId: string, debitAccount: string, creditAccount: string): boolean {
    const accounts = this.ledgers.get(ledgerId);

    return accounts !== undefined && (accounts.has(debitAccount) || accounts.has(creditAccount));
  }

  /**
   * Applies an entry of `amount` (its sign is ignored: debit and credit say the direction).
   * Returns why the ledger would refuse it, or null when it is applied.
   */
  apply(
    ledgerId: string,
    debitAccount: string,
    creditAccount: string,
    amount: Money,
  ): string | null {
    const accounts = this.ledgers.get(ledgerId);
    if (accounts === undefined || debitAccount === creditAccount) return null;
    const positive = amount.abs();
    const after: [LimitedAccount, Money][] = [];
    for (const [code, delta] of [
      [debitAccount, positive],
      [creditAccount, positive.negate()],
    ] as const) {
      const account = accounts.get(code);
      if (account === undefined) continue;
      const currency = amount.currency.code;
      const balance = (account.balances.get(currency) ?? Money.zero(amount.currency)).plus(delta);
      if (!within(account.limit, balance)) {
        return (
          `account ${code} would go ${RULE[account.limit]}: its balance would be ` +
          `${balance.toString()} ${currency} (limit ${account.limit})`
        );
      }
      after.push([account, balance]);
    }
    for (const [account, balance] of after) account.balances.set(amount.currency.code, balance);

    return null;
  }
}
