import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { create } from '@bufbuild/protobuf';
import { EntryPostedSchema, type EntryPosted } from '@kontor/contracts/events/v1/entry_events_pb';
import { EntrySide, TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { Money } from '@kontor/money';
import { query } from '../src/database/sql';
import { deriveReceivables } from '../src/read-model/read-model.service';
import {
  RECEIVABLES_AGING,
  RECEIVABLES_AGING_OPEN_ITEMS,
} from '../src/reports/persistence/reports.sql';
import { openReadModelDb, receivableAccount, type ReadModelDb } from './support/read-model-db';

const TENANT = randomUUID();
const CUSTOMERS = [randomUUID(), randomUUID()];

// The consumer keeps each invoice's open amount and their sums per due date (rm_open_dues) by
// reading only the invoices whose open amount can have changed. Whatever arrives, in whatever
// order and grouping, that must equal the open items derived from all the lines at once, and the
// aging read from it must equal the aging computed from the lines.

type Move =
  | { kind: 'invoice'; customer: number; day: number; due: number; cents: bigint }
  | { kind: 'payment' | 'refund' | 'credit_note'; customer: number; day: number; cents: bigint }
  | { kind: 'reversal'; of: number; day: number; cents: bigint };

const day = (offset: number) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10);
const euros = (cents: bigint) => Money.fromMinor(cents, 'EUR').toString();

const moveArbitrary: fc.Arbitrary<Move> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('invoice' as const),
      customer: fc.integer({ min: 0, max: 1 }),
      day: fc.integer({ min: 0, max: 120 }),
      due: fc.integer({ min: 0, max: 60 }),
      cents: fc.bigInt({ min: 1n, max: 50_000n }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom('payment' as const, 'refund' as const, 'credit_note' as const),
      customer: fc.integer({ min: 0, max: 1 }),
      day: fc.integer({ min: 0, max: 120 }),
      cents: fc.bigInt({ min: 1n, max: 60_000n }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reversal' as const),
      of: fc.nat(),
      day: fc.integer({ min: 0, max: 120 }),
      cents: fc.bigInt({ min: 1n, max: 50_000n }),
    }),
  },
);

/** The moves as posted entries: a reversal cancels (part of, or more than) an earlier invoice. */
function entries(ledgerId: string, moves: readonly Move[]): EntryPosted[] {
  const invoices: { id: string; customer: number }[] = [];

  return moves.map((move, index) => {
    const id = randomUUID();
    const reversed = move.kind === 'reversal' ? invoices[move.of % (invoices.length || 1)] : null;
    const customer = move.kind === 'reversal' ? (reversed?.customer ?? 0) : move.customer;
    // The customer's side: debit raises the receivable (invoice, refund), credit lowers it.
    const customerDebit = move.kind === 'invoice' || move.kind === 'refund';
    if (move.kind === 'invoice') invoices.push({ id, customer });
    const amount = { amount: euros(move.cents), currency: 'EUR' };
    const type = {
      invoice: TransactionType.INVOICE,
      payment: TransactionType.PAYMENT,
      refund: TransactionType.REFUND,
      credit_note: TransactionType.CREDIT_NOTE,
      reversal: TransactionType.INVOICE,
    }[move.kind];

    return create(EntryPostedSchema, {
      tenantId: TENANT,
      ledgerSequence: BigInt(index + 1),
      entry: {
        id,
        ledgerId,
        journalSymbol: move.kind === 'invoice' ? 'SALES' : 'BANK',
        number: BigInt(index + 1),
        entryDate: day(move.day),
        dueDate: move.kind === 'invoice' ? day(move.day + move.due) : '',
        transactionType: type,
        reversesEntryId: reversed?.id ?? '',
        lines: [
          {
            accountCode: '1200',
            side: customerDebit ? EntrySide.DEBIT : EntrySide.CREDIT,
            amount,
            counterpartyId: CUSTOMERS[customer],
          },
          {
            accountCode: customerDebit ? '4000' : '1100',
            side: customerDebit ? EntrySide.CREDIT : EntrySide.DEBIT,
            amount,
          },
        ],
      },
    });
  });
}

/** Splits events into consecutive groups of the given sizes (the rest in one last group). */
function grouped<T>(items: readonly T[], sizes: readonly number[]): T[][] {
  const groups: T[][] = [];
  let start = 0;
  for (const size of sizes) {
    if (start >= items.length) break;
    groups.push(items.slice(start, start + size));
    start += size;
  }
  if (start < items.length) groups.push(items.slice(start));

  return groups;
}

describe('open amounts per due date (the aging read model)', () => {
  let db: ReadModelDb;
  const orm = () => db.orm;

  beforeAll(async () => {
    db = await openReadModelDb();
  });
  afterAll(() => db?.close());

  /** A ledger whose receivable account (1200) is known. */
  async function newLedger(): Promise<string> {
    const ledgerId = randomUUID();
    const account = receivableAccount(TENANT, ledgerId);
    await orm()
      .em.fork()
      .transactional((em) => db.readModel.applyAccounts(em, [account]));

    return ledgerId;
  }

  async function openItems(ledgerId: string) {
    const em = orm().em.fork();
    const dues = await query(
      em,
      `SELECT customer_id, currency, due::text, trim_scale(open)::text AS open FROM rm_open_dues
       WHERE version = 1 AND ledger_id = ? ORDER BY customer_id, currency, due`,
      [ledgerId],
    );
    const invoices = await query(
      em,
      `SELECT entry_id, trim_scale(amount)::text AS amount, trim_scale(cum)::text AS cum,
         trim_scale(open)::text AS open
       FROM rm_invoices WHERE version = 1 AND ledger_id = ? ORDER BY entry_id`,
      [ledgerId],
    );

    return { dues, invoices };
  }

  async function aging(sql: string, ledgerId: string) {
    return query(orm().em.fork(), sql, [1, TENANT, ledgerId, '2027-12-31']);
  }

  it('equal the open items derived from all lines at once, and the aging from the lines', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(moveArbitrary, { minLength: 1, maxLength: 24 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 24 }),
        async (moves, sizes) => {
          const ledgerId = await newLedger();
          for (const group of grouped(entries(ledgerId, moves), sizes)) {
            await orm()
              .em.fork()
              .transactional((em) => db.readModel.applyEntries(em, group));
          }
          const maintained = await openItems(ledgerId);
          const fromOpenItems = await aging(RECEIVABLES_AGING_OPEN_ITEMS, ledgerId);
          await orm()
            .em.fork()
            .transactional((em) => deriveReceivables(em, 1, ledgerId));

          expect(maintained).toEqual(await openItems(ledgerId));
          expect(fromOpenItems).toEqual(await aging(RECEIVABLES_AGING, ledgerId));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("derives the open items when a ledger's entries and its receivable account commit side by side", async () => {
    // Entries and accounts come from different topics, applied by concurrent transactions.
    const ledgerId = randomUUID();
    const invoice: Move = { kind: 'invoice', customer: 0, day: 1, due: 10, cents: 5_000n };
    let entriesWritten!: () => void;
    let commitEntries!: () => void;
    const written = new Promise<void>((resolve) => (entriesWritten = resolve));
    const released = new Promise<void>((resolve) => (commitEntries = resolve));
    const entriesTx = orm()
      .em.fork()
      .transactional(async (em) => {
        await db.readModel.applyEntries(em, entries(ledgerId, [invoice]));
        entriesWritten();
        await released;
      });
    await written;
    const accountTx = orm()
      .em.fork()
      .transactional((em) => db.readModel.applyAccounts(em, [receivableAccount(TENANT, ledgerId)]));
    // Whatever does not hold the account's transaction back lets it commit first.
    await Promise.race([accountTx, new Promise((resolve) => setTimeout(resolve, 500))]);
    commitEntries();
    await Promise.all([entriesTx, accountTx]);

    const maintained = await openItems(ledgerId);
    expect(maintained.dues).toEqual([
      { customer_id: CUSTOMERS[0], currency: 'EUR', due: day(11), open: '50' },
    ]);
    await orm()
      .em.fork()
      .transactional((em) => deriveReceivables(em, 1, ledgerId));
    expect(maintained).toEqual(await openItems(ledgerId));
  });

  it('closes a due date whose invoice a reversal cancels after credit reached it', async () => {
    const ledgerId = await newLedger();
    const moves: Move[] = [
      { kind: 'credit_note', customer: 0, day: 31, cents: 4_000n },
      { kind: 'invoice', customer: 0, day: 59, due: 0, cents: 3_000n },
      { kind: 'invoice', customer: 0, day: 63, due: 0, cents: 8_000n },
      { kind: 'reversal', of: 1, day: 78, cents: 8_000n },
    ];
    const posted = entries(ledgerId, moves);
    for (const event of posted.slice(0, 3)) {
      await orm()
        .em.fork()
        .transactional((em) => db.readModel.applyEntries(em, [event]));
    }
    // 40.00 of credit covers the 30.00 invoice and 10.00 of the 80.00 one.
    expect((await openItems(ledgerId)).dues).toEqual([
      { customer_id: CUSTOMERS[0], currency: 'EUR', due: '2026-03-05', open: '70' },
    ]);
    await orm()
      .em.fork()
      .transactional((em) => db.readModel.applyEntries(em, posted.slice(3)));

    expect((await openItems(ledgerId)).dues).toEqual([]);
  });
});
