import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  EntryService,
  EntrySide,
  PostEntriesRequestSchema,
  PostEntriesResponseSchema,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import {
  setUpEntriesBook,
  twoLine,
  type EntryInit,
  type LineInit,
} from './support/entries-fixture';
import { startLedgerHarness, type LedgerHarness, type TestTenant } from './support/ledger-harness';

// Exact expected balances in minor units per account+currency, computed here independently.
const CURRENCIES = [
  ['EUR', 2],
  ['JPY', 0],
  ['BHD', 3],
] as const;
const FREE_ACCOUNTS = ['1100', '1200', '3000', '4000', '5000'];

function randomInt(max: number): number {
  return Math.floor(Math.random() * max);
}

function formatMinor(minor: number, digits: number): string {
  const text = String(minor).padStart(digits + 1, '0');

  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A random balanced entry: per currency used, random debits and credits summing equal. */
function randomEntry(ledgerId: string, expected: Map<string, bigint>): EntryInit {
  const lines: LineInit[] = [];
  for (const [currency, digits] of CURRENCIES) {
    if (lines.length > 0 && Math.random() < 0.5) continue;
    const debits = Array.from({ length: 1 + randomInt(3) }, () => 1 + randomInt(1_000_000));
    const total = debits.reduce((a, b) => a + b, 0);
    const creditCount = 1 + randomInt(Math.min(3, total));
    const credits = Array.from({ length: creditCount }, () => 1);
    for (let rest = total - creditCount; rest > 0;) {
      const part = Math.min(rest, 1 + randomInt(rest));
      credits[randomInt(creditCount)] += part;
      rest -= part;
    }
    const add = (side: EntrySide, minor: number) => {
      const accountCode = FREE_ACCOUNTS[randomInt(FREE_ACCOUNTS.length)];
      const k = `${accountCode}|${currency}`;
      const signed = BigInt(side === EntrySide.DEBIT ? minor : -minor);
      expected.set(k, (expected.get(k) ?? 0n) + signed);
      lines.push({ accountCode, side, amount: { amount: formatMinor(minor, digits), currency } });
    };
    debits.forEach((d) => add(EntrySide.DEBIT, d));
    credits.forEach((c) => add(EntrySide.CREDIT, c));
  }
  const month = String(1 + randomInt(12)).padStart(2, '0');
  const day = String(1 + randomInt(28)).padStart(2, '0');

  return {
    ...twoLine(ledgerId, { debit: '1100', credit: '1200', amount: '1' }),
    journalSymbol: ['CASH', 'BANK', 'SALES', 'NOTE'][randomInt(4)],
    entryDate: `2026-${month}-${day}`,
    lines,
  };
}

describe('posting: property check and throughput', () => {
  let harness: LedgerHarness;
  let tenant: TestTenant;

  beforeAll(async () => {
    harness = await startLedgerHarness();
    tenant = await harness.newTenant();
  });
  afterAll(() => harness?.stop());

  it('random balanced multi-currency entries: balances = sum of lines, each currency sums to 0', async () => {
    const book = await setUpEntriesBook(harness, tenant);
    const entries = harness.client(EntryService, tenant.token);
    const expected = new Map<string, bigint>();
    const inputs = Array.from({ length: 400 }, () => randomEntry(book.ledgerId, expected));
    for (let i = 0; i < inputs.length; i += 100) {
      const { results } = await entries.postEntries({ entries: inputs.slice(i, i + 100) });
      expect(results.filter((r) => r.rejection)).toEqual([]);
    }
    const balances = await harness.query<{ code: string; currency: string; balance: string }>(
      `SELECT a.code, b.currency, (b.debit - b.credit)::text AS balance
         FROM ledger.account_balances b JOIN ledger.accounts a ON a.id = b.account_id
        WHERE a.ledger_id = $1`,
      [book.ledgerId],
    );
    const digitsOf = new Map<string, number>(CURRENCIES);
    const actual = new Map(
      balances.map((b) => {
        const [whole, fraction = ''] = b.balance.split('.');
        const digits = digitsOf.get(b.currency)!;
        expect(fraction.slice(digits)).toMatch(/^0*$/);

        return [`${b.code}|${b.currency}`, BigInt(whole + fraction.slice(0, digits))];
      }),
    );
    expect(actual).toEqual(expected);
    const perCurrency = await harness.query<{ currency: string; total: string }>(
      `SELECT l.currency, sum(CASE WHEN side = 'debit' THEN amount ELSE -amount END)::text AS total
         FROM ledger.entry_lines l WHERE l.ledger_id = $1 GROUP BY 1`,
      [book.ledgerId],
    );
    for (const row of perCurrency) expect(Number(row.total)).toBe(0);
    const mismatch = await harness.query(
      `SELECT b.account_id, b.currency FROM ledger.account_balances b
         JOIN ledger.accounts a ON a.id = b.account_id AND a.ledger_id = $1
         LEFT JOIN LATERAL (
           SELECT coalesce(sum(amount) FILTER (WHERE side = 'debit'), 0) AS debit,
                  coalesce(sum(amount) FILTER (WHERE side = 'credit'), 0) AS credit
             FROM ledger.entry_lines l
            WHERE l.account_id = b.account_id AND l.currency = b.currency) s ON true
        WHERE (b.debit, b.credit) IS DISTINCT FROM (s.debit, s.credit)`,
      [book.ledgerId],
    );
    expect(mismatch).toEqual([]);
  }, 120_000);

  it('measures 10 batches of 1000 two-line entries over gRPC against a raw INSERT … unnest', async () => {
    const book = await setUpEntriesBook(harness, tenant);
    const entries = harness.client(EntryService, tenant.token);
    const batches = Array.from({ length: 10 }, (_, b) =>
      Array.from({ length: 1000 }, (__, i) =>
        twoLine(book.ledgerId, {
          key: `perf-${b}-${i}`,
          journal: 'BANK',
          debit: i % 2 ? '1100' : '1200',
          credit: i % 3 ? '4000' : '3000',
          amount: `${1 + (i % 97)}.${String(i % 100).padStart(2, '0')}`,
          date: `2026-0${1 + (i % 9)}-1${i % 10}`,
        }),
      ),
    );
    await entries.postEntries({
      entries: batches[0]
        .slice(0, 10)
        .map((e) => ({ ...e, idempotencyKey: `warm-${e.idempotencyKey}` })),
    });
    const started = performance.now();
    for (const batch of batches) {
      const { results } = await entries.postEntries({ entries: batch });
      expect(results.every((r) => r.entry && !r.replayed)).toBe(true);
    }
    const grpcMs = performance.now() - started;
    // What the wire format alone costs per batch in this process: the client encodes the request
    // and decodes the response, the server decodes the request and encodes the response.
    const { results: sample } = await entries.postEntries({ entries: batches[9] });
    const protoStarted = performance.now();
    const request = create(PostEntriesRequestSchema, { entries: batches[9] });
    const response = create(PostEntriesResponseSchema, { results: sample });
    fromBinary(PostEntriesRequestSchema, toBinary(PostEntriesRequestSchema, request));
    fromBinary(PostEntriesResponseSchema, toBinary(PostEntriesResponseSchema, response));
    const protoMs = performance.now() - protoStarted;

    // The same load into 5 ledgers at once (2 batches each, concurrently): one ledger's postings
    // serialize on its row lock, different ledgers' overlap.
    const books = await Promise.all([0, 1, 2, 3, 4].map(() => setUpEntriesBook(harness, tenant)));
    const parallelStarted = performance.now();
    await Promise.all(
      books.map(async (other, n) => {
        for (const batch of batches.slice(2 * n, 2 * n + 2)) {
          const moved = batch.map((e) => ({ ...e, ledgerId: other.ledgerId }));
          const { results } = await entries.postEntries({ entries: moved });
          expect(results.every((r) => r.entry && !r.replayed)).toBe(true);
        }
      }),
    );
    const parallelMs = performance.now() - parallelStarted;

    // The same 10 x 1000 entries and 20,000 lines written raw, in one ledger/journal of their own.
    const raw = await setUpEntriesBook(harness, tenant);
    const [journal] = await harness.query<{ id: string }>(
      `SELECT id FROM ledger.journals WHERE ledger_id = $1 AND symbol = 'BANK'`,
      [raw.ledgerId],
    );
    const client = new Client({ connectionString: harness.database.adminUrl });
    await client.connect();
    let rawMs = 0;
    try {
      await client.query('SET search_path = ledger');
      for (let b = 0; b < 10; b++) {
        const ids = Array.from({ length: 1000 }, () => randomUUID());
        const t0 = performance.now();
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO entries (id, tenant_id, ledger_id, journal_id, number, ledger_sequence,
              entry_date, transaction_type, source, idempotency_key, request_digest, posted_by, posted_at)
           SELECT t.id, $2, $3, $4, $5 + t.n, $5 + t.n, $6, 'payment', 'api', 'raw-' || t.id,
                  '\\x00', 'raw', now()
             FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
          [ids, tenant.id, raw.ledgerId, journal.id, b * 1000, '2026-03-15'],
        );
        await client.query(
          `INSERT INTO entry_lines (entry_id, line_no, tenant_id, ledger_id, account_id, side, amount,
              currency, entry_date)
           SELECT t.id, s.line_no, $2, $3, CASE s.line_no WHEN 0 THEN $4::uuid ELSE $5::uuid END,
                  CASE s.line_no WHEN 0 THEN 'debit' ELSE 'credit' END, 10.5, 'EUR', '2026-03-15'
             FROM unnest($1::uuid[]) AS t(id) CROSS JOIN (VALUES (0), (1)) AS s(line_no)`,
          [ids, tenant.id, raw.ledgerId, raw.accounts['1100'], raw.accounts['4000']],
        );
        await client.query('COMMIT');
        rawMs += performance.now() - t0;
      }
    } finally {
      await client.end();
    }
    const rate = (ms: number) => Math.round(10_000 / (ms / 1000));
    console.log(
      `throughput: gRPC PostEntries 10 x 1000 two-line entries in ${grpcMs.toFixed(0)} ms ` +
        `= ${rate(grpcMs)} entries/s; raw INSERT … unnest of the same rows in ${rawMs.toFixed(0)} ms ` +
        `= ${rate(rawMs)} entries/s; posting reaches ${((100 * rawMs) / grpcMs).toFixed(0)}% of raw; ` +
        `the same into 5 ledgers concurrently: ${parallelMs.toFixed(0)} ms = ${rate(parallelMs)} entries/s; ` +
        `protobuf encode+decode of one 1000-entry request and response: ${protoMs.toFixed(0)} ms`,
    );
  }, 240_000);
});
