import { type EntryLineCommand, type EntrySource, type TransactionType } from './entry';

/** An entry as posted (read back or just written). */
export interface PostedEntry {
  id: string;
  ledgerId: string;
  journalSymbol: string;
  number: bigint;
  ledgerSequence: bigint;
  entryDate: string;
  transactionType: TransactionType;
  paymentMethod: string | null;
  reference: string | null;
  description: string | null;
  dueDate: string | null;
  source: EntrySource;
  idempotencyKey: string;
  postedBy: string;
  reversesEntryId: string | null;
  postedAt: Date;
  lines: EntryLineCommand[];
}
