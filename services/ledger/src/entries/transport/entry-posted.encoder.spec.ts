import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { EntryPostedSchema } from '@kontor/contracts/events/v1/entry_events_pb';
import { Money } from '@kontor/money';
import { type PostedEntry } from '../domain/posted-entry';
import { encodeEntryPosted } from './entry-posted.encoder';
import { toEntryInit } from './entry.proto-mapper';

function posted(over: Partial<PostedEntry> = {}): PostedEntry {
  return {
    id: '0b9f1a52-8f0e-4c55-9d55-5d1c9b1e2a11',
    ledgerId: '6f1f8c1e-3c4b-4b7a-9a43-0e6f1c2d3e4f',
    journalSymbol: 'Cash',
    number: 12n,
    ledgerSequence: 345n,
    entryDate: '2026-03-15',
    transactionType: 'payment',
    paymentMethod: null,
    reference: 'INV-7',
    description: 'Zahlung für Rechnung 7 — ünïcödé',
    dueDate: null,
    source: 'api',
    idempotencyKey: 'k-1',
    postedBy: 'api-key:0123456789abcdef',
    reversesEntryId: null,
    postedAt: new Date('2026-03-15T10:11:12.345Z'),
    lines: [
      {
        accountCode: '1000',
        side: 'debit',
        amount: Money.parse('10.50', 'EUR'),
        counterpartyId: null,
        product: null,
        orderId: 'o-1',
        dealId: null,
        memo: null,
      },
      {
        accountCode: '4000',
        side: 'credit',
        amount: Money.parse('10.50', 'EUR'),
        counterpartyId: '7a1f8c1e-3c4b-4b7a-9a43-0e6f1c2d3e4f',
        product: 'p',
        orderId: null,
        dealId: 'd',
        memo: 'm',
      },
    ],
    ...over,
  };
}

const reference = (tenantId: string, e: PostedEntry) =>
  toBinary(
    EntryPostedSchema,
    create(EntryPostedSchema, {
      tenantId,
      entry: toEntryInit(e),
      ledgerSequence: e.ledgerSequence,
      postTime: timestampFromDate(e.postedAt),
    }),
  );

describe('encodeEntryPosted', () => {
  it.each<[string, Partial<PostedEntry>]>([
    ['a plain entry', {}],
    [
      'a reversal with all fields',
      {
        source: 'reversal',
        reversesEntryId: '1b9f1a52-8f0e-4c55-9d55-5d1c9b1e2a11',
        dueDate: '2026-04-01',
        paymentMethod: 'card',
      },
    ],
    [
      'a whole-second time and first number',
      { postedAt: new Date('2026-03-15T10:11:12.000Z'), number: 1n, ledgerSequence: 1n },
    ],
  ])('writes the same bytes as toBinary for %s', (_, over) => {
    const e = posted(over);
    const bytes = encodeEntryPosted('tenant-1', e);
    expect(Buffer.from(bytes).equals(Buffer.from(reference('tenant-1', e)))).toBe(true);
    expect(fromBinary(EntryPostedSchema, bytes).entry?.lines[1].amount?.amount).toBe('10.50');
  });
});
