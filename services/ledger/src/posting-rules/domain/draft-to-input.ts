import { type EntryInput } from '../../entries/domain/entry';
import { type EntryDraft } from './entry-draft';

/** An event's entry, in the form every other poster uses: the engine validates it like any input. */
export function draftToEntryInput(ledgerId: string, draft: EntryDraft): EntryInput {
  return {
    idempotencyKey: draft.idempotencyKey,
    ledgerId,
    journalSymbol: draft.journalSymbol,
    entryDate: draft.entryDate,
    transactionType: draft.transactionType,
    paymentMethod: draft.paymentMethod ?? '',
    reference: draft.reference ?? '',
    description: draft.description ?? '',
    dueDate: draft.dueDate ?? '',
    source: 'event',
    lines: draft.lines.map((line) => ({
      accountCode: line.accountCode,
      side: line.side,
      amount: line.amount.toString(),
      currency: line.amount.currency.code,
      counterpartyId: line.counterpartyId ?? '',
      product: line.product ?? '',
      orderId: line.orderId ?? '',
      dealId: '',
      memo: '',
    })),
  };
}
