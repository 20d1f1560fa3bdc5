import { Money } from '@kontor/money';
import { currencyOf, finishDraft, type DraftLine, type EntryDraft } from './entry-draft';
import { type PostingRules } from './posting-rules';

export interface BilledLine {
  description: string;
  product: string;
  net: Money;
  tax: Money;
}

export interface BillingDocument {
  eventId: string;
  /** Invoice or credit note number: the reference the ledgers show. */
  number: string;
  /** Credit notes: the invoice corrected, if any. */
  invoiceNumber?: string;
  customerId: string;
  /** "YYYY-MM-DD". */
  issuedOn: string;
  /** Invoices: "YYYY-MM-DD". */
  dueOn?: string;
  lines: BilledLine[];
}

/**
 * An invoice raises what the customer owes (gross) against revenue per line and tax; a credit
 * note is its mirror image, so it lowers the receivable and becomes credit for the next invoices.
 */
export function billingEntry(
  kind: 'invoice' | 'credit_note',
  document: BillingDocument,
  rules: PostingRules,
): EntryDraft {
  const { accounts, journals } = rules;
  const raise = kind === 'invoice';
  const toward = raise ? ('debit' as const) : ('credit' as const);
  const against = raise ? ('credit' as const) : ('debit' as const);
  const currency = currencyOf(document.lines);
  const gross = document.lines.reduce(
    (sum, line) => sum.plus(line.net).plus(line.tax),
    Money.zero(currency),
  );
  const tax = document.lines.reduce((sum, line) => sum.plus(line.tax), Money.zero(currency));
  const revenueLines: DraftLine[] = document.lines.map((line) => ({
    accountCode: accounts.revenue,
    side: against,
    amount: line.net,
    product: line.product || undefined,
  }));
  const corrects = document.invoiceNumber ? ` for invoice ${document.invoiceNumber}` : '';

  return finishDraft({
    idempotencyKey: `${document.eventId}:${kind}`,
    journalSymbol: journals.sales,
    entryDate: document.issuedOn,
    transactionType: kind,
    reference: document.number,
    description: raise ? `invoice ${document.number}` : `credit note ${document.number}${corrects}`,
    dueDate: raise ? document.dueOn : undefined,
    lines: [
      {
        accountCode: accounts.receivable,
        side: toward,
        amount: gross,
        counterpartyId: document.customerId,
      },
      ...revenueLines,
      { accountCode: accounts.tax, side: against, amount: tax },
    ],
  });
}
