import { Money } from '@kontor/money';

// How a customer's payments and credit cover their invoices (the seeds: "credit notes … Nexudus
// will automatically use to partially or fully cover their next invoice").
//
// The rule, per currency (currencies never mix):
// - Every entry's net effect on the customer's receivable lines (debits − credits) is either an
//   invoice (an entry of type invoice that raises the balance) or a movement of the customer's
//   credit pool:
//   - receivable credits (payments, credit notes, write-offs, the reversal of an invoice…) add
//     to the pool;
//   - receivable debits that are not invoices (refunds, chargebacks, debit adjustments) take from
//     it: a refund pays back credit the customer held, a chargeback takes back a payment that
//     had covered an invoice, which is then open again.
// - The pool is applied to the invoices oldest first (invoice date, then number), each invoice
//   taking as much as it needs. When it was applied is irrelevant: a credit note issued before
//   an invoice covers it automatically, and a later chargeback re-opens the newest invoices
//   last-covered.
// - What is left is the unapplied credit. A negative pool (non-invoice charges exceeding all
//   credits) covers nothing and is owed outside the invoices: then Σ open = balance − that debt.
// So per currency Σ open − unapplied credit = the customer balance whenever the pool is ≥ 0.

export type InvoiceStatus = 'unpaid' | 'partly_paid' | 'paid';

export interface OpenItem {
  /** Invoiced amount, positive. */
  amount: Money;
}

export interface AppliedInvoice<Invoice extends OpenItem> {
  invoice: Invoice;
  paid: Money;
  open: Money;
  status: InvoiceStatus;
}

export interface CreditApplication<Invoice extends OpenItem> {
  /** In the order given (expected oldest first). */
  invoices: AppliedInvoice<Invoice>[];
  /** Credit left after covering every invoice, per currency, positive amounts only, by code. */
  unappliedCredit: Money[];
}

/**
 * Applies credit movements to invoices oldest first. `invoices` must be sorted oldest first and
 * have positive amounts; each credit is signed: positive adds to the customer's credit
 * (payment, credit note), negative takes from it (refund, chargeback).
 */
export function applyCredits<Invoice extends OpenItem>(
  invoices: readonly Invoice[],
  credits: readonly Money[],
): CreditApplication<Invoice> {
  const pool = new Map<string, Money>();
  for (const credit of credits) {
    const code = credit.currency.code;
    pool.set(code, (pool.get(code) ?? Money.zero(code)).plus(credit));
  }
  const applied = invoices.map((invoice) => {
    if (!invoice.amount.isPositive()) {
      throw new RangeError(`an invoice amount must be positive, got ${invoice.amount.toString()}`);
    }
    const code = invoice.amount.currency.code;
    const available = pool.get(code) ?? Money.zero(code);
    const paid = !available.isPositive()
      ? Money.zero(code)
      : available.compare(invoice.amount) >= 0
        ? invoice.amount
        : available;
    pool.set(code, available.minus(paid));
    const open = invoice.amount.minus(paid);

    return { invoice, paid, open, status: statusOf(paid, open) };
  });
  const unappliedCredit = [...pool.values()]
    .filter((left) => left.isPositive())
    .sort((a, b) => (a.currency.code < b.currency.code ? -1 : 1));

  return { invoices: applied, unappliedCredit };
}

function statusOf(paid: Money, open: Money): InvoiceStatus {
  if (open.isZero()) return 'paid';

  return paid.isZero() ? 'unpaid' : 'partly_paid';
}

export interface ReceivableMovement {
  entryId: string;
  /** The entry this one reverses, if it is a reversal. */
  reversesEntryId: string | null;
  transactionType: string;
  /** Net effect on the customer's receivable in one currency: debits − credits. */
  net: Money;
}

export interface ReceivableItems<Movement extends ReceivableMovement> {
  /** Invoices oldest first (in the order of the movements), amount = what is still invoiced. */
  invoices: (Movement & { amount: Money })[];
  /** Signed credit movements for applyCredits. */
  credits: Money[];
}

/**
 * Splits a customer's receivable movements (oldest first, one per entry and currency) into
 * invoices and credit movements:
 * - an entry of type invoice that raises the balance is an invoice;
 * - the reversal of a listed invoice cancels it (reduces its amount, dropping it at zero)
 *   instead of paying it: a cancelled invoice is neither paid nor open;
 * - every other non-zero movement is a credit movement, signed: lowering the balance adds credit
 *   (payments, credit notes, the reversal of a refund), raising it takes credit away (refunds,
 *   chargebacks, the reversal of a payment).
 */
export function receivableItems<Movement extends ReceivableMovement>(
  movements: readonly Movement[],
): ReceivableItems<Movement> {
  // Invoices by entry id and currency; Map keeps insertion order (oldest first) and finds a
  // reversed invoice in O(1), so a customer with many thousands of invoices stays linear.
  const invoices = new Map<string, Movement & { amount: Money }>();
  const credits: Money[] = [];
  for (const movement of movements) {
    const { net } = movement;
    const reversedKey =
      movement.reversesEntryId === null ? null : `${movement.reversesEntryId}/${net.currency.code}`;
    const reversed = reversedKey === null ? undefined : invoices.get(reversedKey);
    if (movement.transactionType === 'invoice' && net.isPositive()) {
      invoices.set(`${movement.entryId}/${net.currency.code}`, { ...movement, amount: net });
    } else if (reversed && reversedKey !== null && net.isNegative()) {
      const cancelled = net.negate().compare(reversed.amount) >= 0 ? reversed.amount : net.negate();
      const left = reversed.amount.minus(cancelled);
      if (left.isZero()) invoices.delete(reversedKey);
      else invoices.set(reversedKey, { ...reversed, amount: left });
      // A reversal larger than the invoice (not produced by ReverseEntry) credits the rest.
      if (!cancelled.equals(net.negate())) credits.push(net.negate().minus(cancelled));
    } else if (!net.isZero()) {
      credits.push(net.negate());
    }
  }

  return { invoices: [...invoices.values()], credits };
}

export type CustomerBalanceState = 'owes' | 'credit' | 'settled';

/** The seeds' words: positive = the customer owes, negative = holds credit, zero = settled. */
export function customerBalanceState(balance: Money): CustomerBalanceState {
  if (balance.isPositive()) return 'owes';

  return balance.isNegative() ? 'credit' : 'settled';
}
