import { type EntryPosted } from '@kontor/contracts/events/v1/entry_events_pb';
import { EntrySide, TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { Money } from '@kontor/money';

/** One entry line as the read model stores it (amounts as exact decimal strings). */
export interface LineRow {
  tenant_id: string;
  ledger_id: string;
  entry_id: string;
  line_no: number;
  ledger_sequence: string;
  entry_date: string;
  journal_symbol: string;
  number: string;
  transaction_type: string;
  payment_method: string;
  reference: string;
  description: string;
  due_date: string | null;
  reverses_entry_id: string | null;
  account_code: string;
  is_debit: boolean;
  currency: string;
  amount: string;
  counterparty_id: string | null;
  product: string;
  memo: string;
}

/** The transaction type's name as the ledger stores it: INVOICE → "invoice". */
export function transactionTypeName(type: TransactionType): string {
  return (TransactionType[type] ?? 'UNSPECIFIED').toLowerCase();
}

/** The proto enum of a stored transaction type name ("credit_note" → CREDIT_NOTE). */
export function transactionTypeOf(name: string): TransactionType {
  const value = (TransactionType as unknown as Record<string, number | undefined>)[
    name.toUpperCase()
  ];

  return value ?? TransactionType.UNSPECIFIED;
}

/**
 * The lines of a posted entry as read-model rows. Amounts are parsed as Money, so a malformed
 * event fails here (and goes to the dead letters) instead of storing a wrong figure.
 */
export function lineRows(event: EntryPosted): LineRow[] {
  const entry = event.entry;
  if (!entry) throw new Error(`EntryPosted without an entry (tenant ${event.tenantId})`);

  return entry.lines.map((line, index) => {
    if (!line.amount) throw new Error(`entry ${entry.id} line ${index}: no amount`);
    const amount = Money.parse(line.amount.amount, line.amount.currency);
    if (!amount.isPositive())
      throw new Error(`entry ${entry.id} line ${index}: amount must be > 0`);
    if (line.side !== EntrySide.DEBIT && line.side !== EntrySide.CREDIT) {
      throw new Error(`entry ${entry.id} line ${index}: side is neither debit nor credit`);
    }

    return {
      tenant_id: event.tenantId,
      ledger_id: entry.ledgerId,
      entry_id: entry.id,
      line_no: index,
      ledger_sequence: event.ledgerSequence.toString(),
      entry_date: entry.entryDate,
      journal_symbol: entry.journalSymbol,
      number: entry.number.toString(),
      transaction_type: transactionTypeName(entry.transactionType),
      payment_method: entry.paymentMethod,
      reference: entry.reference,
      description: entry.description,
      due_date: entry.dueDate || null,
      reverses_entry_id: entry.reversesEntryId || null,
      account_code: line.accountCode,
      is_debit: line.side === EntrySide.DEBIT,
      currency: amount.currency.code,
      amount: amount.toString(),
      counterparty_id: line.counterpartyId || null,
      product: line.product,
      memo: line.memo,
    };
  });
}
