import { EntryService } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { createClient, GrpcCallError } from '@kontor/grpc';
import { setUpEntriesBook, twoLine, type EntriesBook } from './support/entries-fixture';
import { startLedgerHarness, type LedgerHarness, type TestTenant } from './support/ledger-harness';

const CLIENTS_PER_INSTANCE = 50;
const POSTS_PER_CLIENT = 8;

describe('posting under concurrency: 2 instances x 50 clients on the same accounts', () => {
  let harness: LedgerHarness;
  let tenant: TestTenant;
  let book: EntriesBook;
  const closers: { close(): void }[] = [];

  beforeAll(async () => {
    harness = await startLedgerHarness();
    tenant = await harness.newTenant();
    book = await setUpEntriesBook(harness, tenant);
  });
  afterAll(async () => {
    for (const c of closers) c.close();
    await harness?.stop();
  });

  it('keeps cash >= 0, balances exact, numbers gapless and every key posted once', async () => {
    const second = await harness.startAnotherInstance();
    const addresses = [harness.address, second.address];
    const clients = addresses.map((address) => {
      const client = createClient(EntryService, address, {
        token: tenant.token,
        defaultDeadlineMs: 60_000,
      });
      closers.push(client);

      return client;
    });
    // Withdrawals (credit cash) and deposits (debit cash) in whole cents, cash starting at 0.
    const outcomes: { key: string; delta: bigint; posted: boolean; reason?: string }[] = [];
    const worker = async (instance: number, worker: number) => {
      for (let i = 0; i < POSTS_PER_CLIENT; i++) {
        const deposit = (worker + i) % 3 === 0;
        const cents = BigInt(100 + ((worker * 7919 + i * 104729) % 5000));
        const amount = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
        const key = `c-${instance}-${worker}-${i}`;
        const input = deposit
          ? twoLine(book.ledgerId, { key, debit: '1000', credit: '3000', amount })
          : twoLine(book.ledgerId, { key, debit: '5000', credit: '1000', amount });
        // Every post is sent to both instances at once: the same key must post exactly once.
        const settled = await Promise.allSettled(
          clients.map((client) => client.postEntry({ entry: input })),
        );
        const ok = settled.filter((s) => s.status === 'fulfilled');
        const failed = settled.flatMap((s) =>
          s.status === 'rejected' ? [s.reason as GrpcCallError] : [],
        );
        for (const error of failed) {
          expect(error).toBeInstanceOf(GrpcCallError);
          expect(error.reason).toBe('BALANCE_LIMIT_EXCEEDED');
        }
        if (ok.length === 2) {
          expect(ok.map((o) => o.value.replayed).sort()).toEqual([false, true]);
          expect(ok[0].value.entry!.id).toBe(ok[1].value.entry!.id);
        }
        outcomes.push({
          key,
          delta: deposit ? cents : -cents,
          posted: ok.length > 0,
          reason: failed[0] ? failed[0].reason : undefined,
        });
      }
    };
    const started = Date.now();
    await Promise.all(
      addresses.flatMap((_, instance) =>
        Array.from({ length: CLIENTS_PER_INSTANCE }, (__, w) => worker(instance, w)),
      ),
    );
    const posted = outcomes.filter((o) => o.posted);
    console.log(
      `concurrency: ${outcomes.length} keys x 2 instances in ${Date.now() - started} ms; ` +
        `${posted.length} posted, ${outcomes.length - posted.length} refused by the cash limit`,
    );
    expect(posted.length).toBeGreaterThan(0);
    expect(posted.length).toBeLessThan(outcomes.length);

    const rows = await harness.query<{ idempotency_key: string; number: string; delta: string }>(
      `SELECT e.idempotency_key, e.number::text,
              sum(CASE WHEN l.side = 'debit' THEN l.amount ELSE -l.amount END)::text AS delta
         FROM ledger.entries e JOIN ledger.entry_lines l ON l.entry_id = e.id
        WHERE e.ledger_id = $1 AND l.account_id = $2
        GROUP BY e.id ORDER BY e.ledger_sequence`,
      [book.ledgerId, book.accounts['1000']],
    );
    // No lost or duplicate entries: exactly the posted keys, once each.
    expect(rows.map((r) => r.idempotency_key).sort()).toEqual(posted.map((o) => o.key).sort());
    // Journal numbers 1..N without gaps, in ledger_sequence (commit) order.
    expect(rows.map((r) => Number(r.number))).toEqual(rows.map((_, i) => i + 1));
    // The limit never broke: the running balance in posting order stays >= 0.
    let running = 0n;
    for (const row of rows) {
      running += BigInt(row.delta.replace('.', '').slice(0, -8));
      expect(running).toBeGreaterThanOrEqual(0n);
    }
    const expected = posted.reduce((sum, o) => sum + o.delta, 0n);
    expect(running).toBe(expected);
    const [cash] = await harness.query<{ balance: string }>(
      `SELECT (debit - credit)::numeric(38, 2)::text AS balance FROM ledger.account_balances
        WHERE account_id = $1`,
      [book.accounts['1000']],
    );
    expect(BigInt(cash.balance.replace('.', ''))).toBe(expected);
    const [sequence] = await harness.query<{ max: string; last: string }>(
      `SELECT (SELECT max(ledger_sequence) FROM ledger.entries WHERE ledger_id = $1)::text AS max,
              (SELECT last_sequence FROM ledger.ledgers WHERE id = $1)::text AS last`,
      [book.ledgerId],
    );
    expect(Number(sequence.max)).toBe(rows.length);
    expect(Number(sequence.last)).toBe(rows.length);
  }, 240_000);
});
