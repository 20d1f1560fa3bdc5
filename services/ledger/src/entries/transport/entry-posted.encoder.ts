import { EntrySide } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type EntryLineCommand } from '../domain/entry';
import { type PostedEntry } from '../domain/posted-entry';
import { SOURCE_TO_WIRE, TYPE_TO_WIRE } from './entry.proto-mapper';

// A hand-written encoder of kontor.events.v1.EntryPosted: byte for byte what
// toBinary(EntryPostedSchema, …) writes (fields in number order, proto3 defaults omitted; the
// spec checks the equality). The reflective encoder cost ~65 ms per 1000 entries, the largest
// CPU item of a batch after the gRPC layer; this one is several times faster.

const VARINT = 0;
const LEN = 2;

/** A growable byte buffer with the few protobuf writes EntryPosted needs. */
class ByteWriter {
  private buf = Buffer.allocUnsafe(1024);
  length = 0;

  reset(): this {
    this.length = 0;

    return this;
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + bytes));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  /** Unsigned varint of a non-negative safe integer. */
  varint(value: number): void {
    this.room(10);
    let rest = value;
    while (rest >= 128) {
      this.buf[this.length++] = (rest % 128) | 128;
      rest = Math.floor(rest / 128);
    }
    this.buf[this.length++] = rest;
  }

  string(field: number, value: string | null): void {
    if (!value) return;
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varint(field * 8 + LEN);
    this.varint(bytes);
    this.room(bytes);
    this.length += this.buf.write(value, this.length, bytes, 'utf8');
  }

  /** int32/int64/enum field, non-negative values only (proto3: 0 is not written). */
  number(field: number, value: number | bigint): void {
    if (value === 0 || value === 0n) return;
    this.varint(field * 8 + VARINT);
    this.varint(Number(value));
  }

  message(field: number, inner: ByteWriter): void {
    this.varint(field * 8 + LEN);
    this.varint(inner.length);
    this.room(inner.length);
    inner.buf.copy(this.buf, this.length, 0, inner.length);
    this.length += inner.length;
  }

  bytes(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buf, 0, this.length);
  }
}

// One scratch writer per nesting level; encoding is synchronous, so they are never shared.
const eventWriter = new ByteWriter();
const entryWriter = new ByteWriter();
const lineWriter = new ByteWriter();
const leafWriter = new ByteWriter();

function timestamp(into: ByteWriter, field: number, at: Date): void {
  const ms = at.getTime();
  const seconds = Math.floor(ms / 1000);
  const leaf = leafWriter.reset();
  leaf.number(1, seconds);
  leaf.number(2, (ms - seconds * 1000) * 1_000_000);
  into.message(field, leaf);
}

function line(into: ByteWriter, value: EntryLineCommand): void {
  const w = lineWriter.reset();
  w.string(1, value.accountCode);
  w.number(2, value.side === 'debit' ? EntrySide.DEBIT : EntrySide.CREDIT);
  const money = leafWriter.reset();
  money.string(1, value.amount.toString());
  money.string(2, value.amount.currency.code);
  w.message(3, money);
  w.string(4, value.counterpartyId);
  w.string(5, value.product);
  w.string(6, value.orderId);
  w.string(7, value.dealId);
  w.string(8, value.memo);
  into.message(10, w);
}

function entry(into: ByteWriter, e: PostedEntry): void {
  const w = entryWriter.reset();
  w.string(1, e.id);
  w.string(2, e.ledgerId);
  w.string(3, e.journalSymbol);
  w.number(4, e.number);
  w.string(5, e.entryDate);
  w.number(6, TYPE_TO_WIRE[e.transactionType]);
  w.string(7, e.paymentMethod);
  w.string(8, e.reference);
  w.string(9, e.description);
  for (const l of e.lines) line(w, l);
  w.number(11, SOURCE_TO_WIRE[e.source]);
  w.string(12, e.idempotencyKey);
  w.string(13, e.postedBy);
  w.string(14, e.reversesEntryId);
  w.string(15, e.dueDate);
  timestamp(w, 16, e.postedAt);
  into.message(2, w);
}

/** The EntryPosted event of a posted entry, protobuf-encoded. */
export function encodeEntryPosted(tenantId: string, posted: PostedEntry): Uint8Array {
  const w = eventWriter.reset();
  w.string(1, tenantId);
  entry(w, posted);
  w.number(3, posted.ledgerSequence);
  timestamp(w, 4, posted.postedAt);

  return w.bytes();
}
