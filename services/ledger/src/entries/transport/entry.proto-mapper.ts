import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  EntrySide,
  EntrySource,
  TransactionType,
  type EntryInput as EntryInputMessage,
  type EntrySchema,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import {
  ENTRY_SOURCES,
  TRANSACTION_TYPES,
  type EntryInput,
  type EntrySource as Source,
  type TransactionType as Type,
} from '../domain/entry';
import { type PostedEntry } from '../domain/posted-entry';
import { EntrySchema as EntryMessageSchema } from '@kontor/contracts/ledger/v1/entry_service_pb';

function enumName<T extends string>(names: readonly T[], wire: string | undefined): T | '' {
  const name = wire?.toLowerCase();

  return name !== undefined && (names as readonly string[]).includes(name) ? (name as T) : '';
}

const sideName = (side: EntrySide): 'debit' | 'credit' | '' =>
  side === EntrySide.DEBIT ? 'debit' : side === EntrySide.CREDIT ? 'credit' : '';

/** The wire EntryInput as the domain's plain input ('' for anything unset or unknown). */
export function fromEntryInput(input: EntryInputMessage | undefined): EntryInput {
  return {
    idempotencyKey: input?.idempotencyKey ?? '',
    ledgerId: input?.ledgerId ?? '',
    journalSymbol: input?.journalSymbol ?? '',
    entryDate: input?.entryDate ?? '',
    transactionType: enumName<Type>(
      TRANSACTION_TYPES,
      TransactionType[input?.transactionType ?? 0],
    ),
    paymentMethod: input?.paymentMethod ?? '',
    reference: input?.reference ?? '',
    description: input?.description ?? '',
    dueDate: input?.dueDate ?? '',
    source:
      input?.source === undefined || input.source === EntrySource.UNSPECIFIED
        ? ''
        : // An unknown number maps to a name no caller may set, so validation rejects it.
          enumName<Source>(ENTRY_SOURCES, EntrySource[input.source]) || 'event',
    lines: (input?.lines ?? []).map((line) => ({
      accountCode: line.accountCode,
      side: sideName(line.side),
      amount: line.amount?.amount ?? '',
      currency: line.amount?.currency ?? '',
      counterpartyId: line.counterpartyId,
      product: line.product,
      orderId: line.orderId,
      dealId: line.dealId,
      memo: line.memo,
    })),
  };
}

export const TYPE_TO_WIRE = Object.fromEntries(
  TRANSACTION_TYPES.map((name) => [
    name,
    TransactionType[name.toUpperCase() as keyof typeof TransactionType],
  ]),
) as Record<Type, TransactionType>;
export const SOURCE_TO_WIRE = Object.fromEntries(
  ENTRY_SOURCES.map((name) => [name, EntrySource[name.toUpperCase() as keyof typeof EntrySource]]),
) as Record<Source, EntrySource>;

export function toEntryInit(entry: PostedEntry): MessageInitShape<typeof EntrySchema> {
  return {
    id: entry.id,
    ledgerId: entry.ledgerId,
    journalSymbol: entry.journalSymbol,
    number: entry.number,
    entryDate: entry.entryDate,
    transactionType: TYPE_TO_WIRE[entry.transactionType],
    paymentMethod: entry.paymentMethod ?? '',
    reference: entry.reference ?? '',
    description: entry.description ?? '',
    lines: entry.lines.map((line) => ({
      accountCode: line.accountCode,
      side: line.side === 'debit' ? EntrySide.DEBIT : EntrySide.CREDIT,
      amount: { amount: line.amount.toString(), currency: line.amount.currency.code },
      counterpartyId: line.counterpartyId ?? '',
      product: line.product ?? '',
      orderId: line.orderId ?? '',
      dealId: line.dealId ?? '',
      memo: line.memo ?? '',
    })),
    source: SOURCE_TO_WIRE[entry.source],
    idempotencyKey: entry.idempotencyKey,
    postedBy: entry.postedBy,
    reversesEntryId: entry.reversesEntryId ?? '',
    dueDate: entry.dueDate ?? '',
    postTime: timestampFromDate(entry.postedAt),
  };
}

export function toEntryMessage(entry: PostedEntry) {
  return create(EntryMessageSchema, toEntryInit(entry));
}
