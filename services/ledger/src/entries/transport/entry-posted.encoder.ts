import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { EntrySide } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type EntryLineCommand } from '../domain/entry';
import { type PostedEntry } from '../domain/posted-entry';
import { SOURCE_TO_WIRE, TYPE_TO_WIRE } from './entry.proto-mapper';

// A hand-written encoder of kontor.events.v1.EntryPosted: byte-for-byte what
// toBinary(EntryPostedSchema, …) writes (fields in number order, proto3 defaults omitted; the
// spec checks the equality), about ten times faster than the reflective encoder, which
// dominated the cost of a 1000-entry batch.

const LEN = WireType.LengthDelimited;

function text(w: BinaryWriter, field: number, value: string | null): void {
  if (value) w.tag(field, LEN).string(value);
}

function int64(w: BinaryWriter, field: number, value: bigint): void {
  if (value !== 0n) w.tag(field, WireType.Varint).int64(value);
}

function enumValue(w: BinaryWriter, field: number, value: number): void {
  if (value !== 0) w.tag(field, WireType.Varint).int32(value);
}

function timestamp(w: BinaryWriter, field: number, at: Date): void {
  const ms = at.getTime();
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms - seconds * 1000) * 1_000_000;
  w.tag(field, LEN).fork();
  int64(w, 1, BigInt(seconds));
  if (nanos !== 0) w.tag(2, WireType.Varint).int32(nanos);
  w.join();
}

function line(w: BinaryWriter, value: EntryLineCommand): void {
  w.tag(10, LEN).fork();
  text(w, 1, value.accountCode);
  enumValue(w, 2, value.side === 'debit' ? EntrySide.DEBIT : EntrySide.CREDIT);
  w.tag(3, LEN).fork();
  text(w, 1, value.amount.toString());
  text(w, 2, value.amount.currency.code);
  w.join();
  text(w, 4, value.counterpartyId);
  text(w, 5, value.product);
  text(w, 6, value.orderId);
  text(w, 7, value.dealId);
  text(w, 8, value.memo);
  w.join();
}

function entry(w: BinaryWriter, e: PostedEntry): void {
  w.tag(2, LEN).fork();
  text(w, 1, e.id);
  text(w, 2, e.ledgerId);
  text(w, 3, e.journalSymbol);
  int64(w, 4, e.number);
  text(w, 5, e.entryDate);
  enumValue(w, 6, TYPE_TO_WIRE[e.transactionType]);
  text(w, 7, e.paymentMethod);
  text(w, 8, e.reference);
  text(w, 9, e.description);
  for (const l of e.lines) line(w, l);
  enumValue(w, 11, SOURCE_TO_WIRE[e.source]);
  text(w, 12, e.idempotencyKey);
  text(w, 13, e.postedBy);
  text(w, 14, e.reversesEntryId);
  text(w, 15, e.dueDate);
  timestamp(w, 16, e.postedAt);
  w.join();
}

/** The EntryPosted event of a posted entry, protobuf-encoded. */
export function encodeEntryPosted(tenantId: string, posted: PostedEntry): Uint8Array {
  const w = new BinaryWriter();
  text(w, 1, tenantId);
  entry(w, posted);
  int64(w, 3, posted.ledgerSequence);
  timestamp(w, 4, posted.postedAt);

  return w.finish();
}
