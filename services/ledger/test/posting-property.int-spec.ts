import { EntryService, EntrySide } from '@kontor/contracts/ledger/v1/entry_service_pb';
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

describe('posting random balanced books', () => {
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
    for (const row of perCurrency) expect(row.total).toMatch(/^-?0(\.0+)?$/);
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
});
