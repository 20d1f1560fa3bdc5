import { Money } from '@kontor/money';

export type LineSide = 'debit' | 'credit';

export type DraftTransactionType =
  | 'invoice'
  | 'payment'
  | 'refund'
  | 'credit_note'
  | 'chargeback'
  | 'fee'
  | 'revenue'
  | 'adjustment';

export interface DraftLine {
  accountCode: string;
  side: LineSide;
  amount: Money;
  counterpartyId?: string;
  product?: string;
  orderId?: string;
}

/** An entry an event turns into, before the posting engine validates and posts it. */
export interface EntryDraft {
  /** Derived from the event id, so a redelivered event maps to the same keys. */
  idempotencyKey: string;
  journalSymbol: string;
  /** "YYYY-MM-DD". */
  entryDate: string;
  transactionType: DraftTransactionType;
  paymentMethod?: string;
  reference?: string;
  description?: string;
  dueDate?: string;
  lines: DraftLine[];
}

/**
 * Drops zero-amount lines (a product without tax) and checks the draft balances per currency:
 * the rules below must never produce an unbalanced entry, so this is an assertion, not input
 * validation.
 */
export function finishDraft(draft: EntryDraft): EntryDraft {
  const lines = draft.lines.filter((line) => !line.amount.isZero());
  const totals = new Map<string, Money>();
  for (const line of lines) {
    const code = line.amount.currency.code;
    const signed = line.side === 'debit' ? line.amount : line.amount.negate();
    totals.set(code, (totals.get(code) ?? Money.zero(code)).plus(signed));
  }
  for (const [currency, total] of totals) {
    if (!total.isZero()) {
      throw new Error(
        `posting rule produced an unbalanced ${currency} entry (${total.toString()})`,
      );
    }
  }

  return { ...draft, lines };
}

/** The currency of a document's first line; events without lines are rejected before the rules. */
export function currencyOf(lines: readonly { net: Money }[]): Money['currency'] {
  const first = lines[0];
  if (!first) throw new Error('posting rules need at least one line; validate events first');

  return first.net.currency;
}
