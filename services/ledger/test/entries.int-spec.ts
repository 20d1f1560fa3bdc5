import { randomUUID } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { Kafka, logLevel } from 'kafkajs';
import { EntryPostedSchema } from '@kontor/contracts/events/v1/entry_events_pb';
import {
  EntryService,
  EntrySide,
  EntrySource,
  TransactionType,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { MikroORM } from '@mikro-orm/postgresql';
import { GrpcStatus } from '@kontor/grpc';
import { testKafkaBrokers } from '@kontor/testing';
import {
  setUpEntriesBook,
  twoLine,
  type EntriesBook,
  type EntryInit,
} from './support/entries-fixture';
import { type EntryInput as DomainEntryInput } from '../src/entries/domain/entry';
import { PostingService } from '../src/entries/posting.service';
import { startLedgerHarness, type LedgerHarness, type TestTenant } from './support/ledger-harness';

describe('EntryService: posting, idempotency, rejections, reversal', () => {
  let harness: LedgerHarness;
  let tenant: TestTenant;
  let book: EntriesBook;
  let entries: ReturnType<typeof harness.client<typeof EntryService.method>>;

  beforeAll(async () => {
    harness = await startLedgerHarness();
    tenant = await harness.newTenant();
    book = await setUpEntriesBook(harness, tenant, { closedMonths: [2] });
    entries = harness.client(EntryService, tenant.token);
  });
  afterAll(() => harness?.stop());

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await harness.query<{ n: string }>(sql, params))[0].n);
  const entryCount = () =>
    count('SELECT count(*) AS n FROM ledger.entries WHERE ledger_id = $1', [book.ledgerId]);

  async function expectBalancesMatchLines(ledgerId: string) {
    const mismatches = await harness.query(
      `WITH l AS (
         SELECT account_id, currency,
                sum(amount) FILTER (WHERE side = 'debit') AS d,
                sum(amount) FILTER (WHERE side = 'credit') AS c
           FROM ledger.entry_lines WHERE ledger_id = $1 GROUP BY 1, 2)
       SELECT * FROM l FULL JOIN ledger.account_balances b USING (account_id, currency)
        WHERE (b.account_id IS NULL OR b.account_id IN (SELECT id FROM ledger.accounts WHERE ledger_id = $1))
          AND (coalesce(l.d, 0) <> coalesce(b.debit, 0) OR coalesce(l.c, 0) <> coalesce(b.credit, 0))`,
      [ledgerId],
    );
    expect(mismatches).toEqual([]);
    const dayMismatches = await harness.query(
      `WITH l AS (
         SELECT account_id, currency, entry_date AS day,
                coalesce(sum(amount) FILTER (WHERE side = 'debit'), 0) AS d,
                coalesce(sum(amount) FILTER (WHERE side = 'credit'), 0) AS c
           FROM ledger.entry_lines WHERE ledger_id = $1 GROUP BY 1, 2, 3)
       SELECT * FROM l FULL JOIN (SELECT t.* FROM ledger.account_daily_turnovers t
                                    JOIN ledger.accounts a ON a.id = t.account_id
                                   WHERE a.ledger_id = $1) b USING (account_id, currency, day)
        WHERE coalesce(l.d, 0) <> coalesce(b.debit, 0) OR coalesce(l.c, 0) <> coalesce(b.credit, 0)`,
      [ledgerId],
    );
    expect(dayMismatches).toEqual([]);
  }

  it('numbers entries 1, 2, 3 per journal and hands out ledger sequences in order', async () => {
    const posted = [];
    for (const journal of ['BANK', 'NOTE', 'bank', 'BANK']) {
      const { entry, replayed } = await entries.postEntry({
        entry: twoLine(book.ledgerId, { journal, debit: '1100', credit: '3000', amount: '100.00' }),
      });
      expect(replayed).toBe(false);
      posted.push(entry!);
    }
    expect(posted.map((e) => [e.journalSymbol, e.number])).toEqual([
      ['BANK', 1n],
      ['NOTE', 1n],
      ['BANK', 2n],
      ['BANK', 3n],
    ]);
    const sequences = await harness.query<{ ledger_sequence: string }>(
      'SELECT ledger_sequence FROM ledger.entries WHERE ledger_id = $1 ORDER BY ledger_sequence',
      [book.ledgerId],
    );
    expect(sequences.map((r) => Number(r.ledger_sequence))).toEqual([1, 2, 3, 4]);
    expect(posted[0].postedBy).toMatch(/^api-key:[0-9a-f]{16}$/);
    expect(posted[0].source).toBe(EntrySource.API);
    await expectBalancesMatchLines(book.ledgerId);
  });

  it('replays a retry with the same key and refuses the key with other content', async () => {
    const input = twoLine(book.ledgerId, {
      journal: 'SALES',
      debit: '1200',
      credit: '4000',
      amount: '42.50',
    });
    const first = await entries.postEntry({ entry: input });
    const before = await entryCount();
    const retry = await entries.postEntry({ entry: input });
    expect(retry.replayed).toBe(true);
    expect(retry.entry).toEqual(first.entry);
    expect(await entryCount()).toBe(before);

    await expect(
      entries.postEntry({ entry: { ...input, description: 'changed' } }),
    ).rejects.toMatchObject({
      code: GrpcStatus.ALREADY_EXISTS,
      message: expect.stringContaining(String(input.idempotencyKey)),
      fieldViolations: [{ field: 'idempotency_key' }],
    });
    expect(await entryCount()).toBe(before);
  });

  it('posts the good entries of a batch and rejects the bad ones alone, in order', async () => {
    const before = await entryCount();
    const good = twoLine(book.ledgerId, {
      journal: 'SALES',
      debit: '1200',
      credit: '4000',
      amount: '10.00',
    });
    const { results } = await entries.postEntries({
      entries: [
        good,
        twoLine(book.ledgerId, { debit: '1200', credit: '4000', amount: '-1' }),
        twoLine(book.ledgerId, { debit: '1200', credit: '9999', amount: '1' }),
        good,
        { ...good, idempotencyKey: 'other', description: 'x' },
        twoLine(book.ledgerId, {
          debit: '1200',
          credit: '4000',
          amount: '5.00',
          date: '2026-02-10',
        }),
      ],
    });
    expect(
      results.map((r) => (r.rejection ? r.rejection.reason : r.replayed ? 'replayed' : 'posted')),
    ).toEqual([
      'posted',
      'INVALID_ENTRY',
      'ACCOUNT_NOT_FOUND',
      'replayed',
      'posted',
      'PERIOD_NOT_OPEN',
    ]);
    expect(results[1].rejection).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: expect.arrayContaining([
        expect.objectContaining({ field: 'lines[0].amount' }),
      ]),
    });
    expect(results[2].rejection).toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      message: expect.stringContaining('9999'),
    });
    expect(results[5].rejection).toMatchObject({ code: GrpcStatus.FAILED_PRECONDITION });
    expect(results[3].entry!.id).toBe(results[0].entry!.id);
    expect(await entryCount()).toBe(before + 2);
    await expectBalancesMatchLines(book.ledgerId);
  });

  it('replays a whole retried batch without writing entries or events again', async () => {
    const batch = [0, 1, 2].map((i) =>
      twoLine(book.ledgerId, {
        journal: 'NOTE',
        debit: '1100',
        credit: '4000',
        amount: `${i + 1}.00`,
      }),
    );
    batch[2] = { ...batch[2], source: EntrySource.IMPORT };
    const first = await entries.postEntries({ entries: batch });
    expect(first.results.map((r) => r.entry?.source)).toEqual([
      EntrySource.API,
      EntrySource.API,
      EntrySource.IMPORT,
    ]);
    const outbox = () =>
      count(`SELECT count(*) AS n FROM ledger.outbox WHERE key = $1`, [book.ledgerId]);
    const [entriesBefore, eventsBefore] = [await entryCount(), await outbox()];
    const retry = await entries.postEntries({ entries: batch });
    expect(retry.results.map((r) => r.replayed)).toEqual([true, true, true]);
    expect(retry.results.map((r) => r.entry)).toEqual(first.results.map((r) => r.entry));
    expect([await entryCount(), await outbox()]).toEqual([entriesBefore, eventsBefore]);
  });

  it('posts in-process for event consumers: source EVENT, posted_by as given, optionally in the caller transaction', async () => {
    const instance = await harness.startAnotherInstance();
    const posting = instance.app.get(PostingService);
    const orm = instance.app.get<MikroORM>(MikroORM);
    const input = (key: string): DomainEntryInput => ({
      idempotencyKey: key,
      ledgerId: book.ledgerId,
      journalSymbol: 'BANK',
      entryDate: '2026-05-02',
      transactionType: 'payment',
      paymentMethod: 'card',
      reference: '',
      description: '',
      dueDate: '',
      source: '',
      lines: (['debit', 'credit'] as const).map((side, i) => ({
        accountCode: i ? '4000' : '1100',
        side,
        amount: '12.00',
        currency: 'EUR',
        counterpartyId: '',
        product: '',
        orderId: '',
        dealId: '',
        memo: '',
      })),
    });
    const [result] = await posting.post(tenant.id, [input('evt-1')], {
      postedBy: 'event:payments.events.v1/evt-1',
      source: 'event',
    });
    expect(result).toMatchObject({
      ok: true,
      entry: { source: 'event', postedBy: 'event:payments.events.v1/evt-1' },
    });
    const before = await entryCount();
    await expect(
      orm.em.fork().transactional(async (em) => {
        await posting.post(tenant.id, [input('evt-2')], {
          postedBy: 'event:x',
          source: 'event',
          em,
        });
        throw new Error('the consumer fails after posting');
      }),
    ).rejects.toThrow('the consumer fails');
    expect(await entryCount()).toBe(before);
  });

  const bad = (change: (e: EntryInit) => EntryInit) => () =>
    change(twoLine(book.ledgerId, { debit: '1200', credit: '4000', amount: '10.00' }));
  const withAmount = (amount: string, currency = 'EUR') =>
    bad((e) => ({
      ...e,
      lines: e.lines.map((l) => ({ ...l, amount: { amount, currency } })),
    }));

  it.each<[string, () => EntryInit, GrpcStatus, string]>([
    [
      'unbalanced',
      bad((e) => ({
        ...e,
        lines: [e.lines[0], { ...e.lines[1], amount: { amount: '9.99', currency: 'EUR' } }],
      })),
      GrpcStatus.INVALID_ARGUMENT,
      'EUR: debits 10.00 != credits 9.99',
    ],
    ['negative amount', withAmount('-10.00'), GrpcStatus.INVALID_ARGUMENT, 'lines[0].amount'],
    ['zero amount', withAmount('0'), GrpcStatus.INVALID_ARGUMENT, 'lines[0].amount'],
    ['NaN', withAmount('NaN'), GrpcStatus.INVALID_ARGUMENT, 'lines[0].amount'],
    ['1e400', withAmount('1e400'), GrpcStatus.INVALID_ARGUMENT, 'lines[0].amount'],
    ['too many decimals EUR', withAmount('1.234'), GrpcStatus.INVALID_ARGUMENT, 'lines[0].amount'],
    ['decimals for JPY', withAmount('1.5', 'JPY'), GrpcStatus.INVALID_ARGUMENT, 'lines[0].amount'],
    [
      'unknown currency',
      withAmount('1.00', 'XXY'),
      GrpcStatus.INVALID_ARGUMENT,
      'lines[0].amount.currency',
    ],
    [
      'empty amount',
      withAmount(''),
      GrpcStatus.INVALID_ARGUMENT,
      'lines[0].amount: must not be empty',
    ],
    [
      'unknown account',
      bad((e) => ({ ...e, lines: [{ ...e.lines[0], accountCode: '7777' }, e.lines[1]] })),
      GrpcStatus.NOT_FOUND,
      'lines[0].account_code',
    ],
    [
      'unknown journal',
      bad((e) => ({ ...e, journalSymbol: 'NOPE' })),
      GrpcStatus.NOT_FOUND,
      'journal_symbol',
    ],
    [
      'unknown counterparty',
      bad((e) => ({
        ...e,
        lines: [{ ...e.lines[0], counterpartyId: randomUUID() }, e.lines[1]],
      })),
      GrpcStatus.NOT_FOUND,
      'lines[0].counterparty_id',
    ],
    [
      'bad counterparty id',
      bad((e) => ({ ...e, lines: [{ ...e.lines[0], counterpartyId: 'x' }, e.lines[1]] })),
      GrpcStatus.INVALID_ARGUMENT,
      'lines[0].counterparty_id',
    ],
    [
      'unknown ledger',
      bad((e) => ({ ...e, ledgerId: randomUUID() })),
      GrpcStatus.NOT_FOUND,
      'ledger_id',
    ],
    [
      'closed month',
      bad((e) => ({ ...e, entryDate: '2026-02-28' })),
      GrpcStatus.FAILED_PRECONDITION,
      '2026-02 is closed',
    ],
    [
      'missing month',
      bad((e) => ({ ...e, entryDate: '2027-01-05' })),
      GrpcStatus.FAILED_PRECONDITION,
      '2027-01',
    ],
    [
      'impossible date',
      bad((e) => ({ ...e, entryDate: '2026-02-30' })),
      GrpcStatus.INVALID_ARGUMENT,
      'entry_date',
    ],
    [
      'empty key',
      bad((e) => ({ ...e, idempotencyKey: '' })),
      GrpcStatus.INVALID_ARGUMENT,
      'idempotency_key: must not be empty',
    ],
    [
      'empty journal',
      bad((e) => ({ ...e, journalSymbol: '' })),
      GrpcStatus.INVALID_ARGUMENT,
      'journal_symbol: must not be empty',
    ],
    [
      'empty ledger',
      bad((e) => ({ ...e, ledgerId: '' })),
      GrpcStatus.INVALID_ARGUMENT,
      'ledger_id: must not be empty',
    ],
    [
      'no transaction type',
      bad((e) => ({ ...e, transactionType: TransactionType.UNSPECIFIED })),
      GrpcStatus.INVALID_ARGUMENT,
      'transaction_type',
    ],
    [
      'no side',
      bad((e) => ({ ...e, lines: [{ ...e.lines[0], side: EntrySide.UNSPECIFIED }, e.lines[1]] })),
      GrpcStatus.INVALID_ARGUMENT,
      'lines[0].side',
    ],
    [
      'one line',
      bad((e) => ({ ...e, lines: [e.lines[0]] })),
      GrpcStatus.INVALID_ARGUMENT,
      'lines: must have 2',
    ],
    [
      '10 KB description',
      bad((e) => ({ ...e, description: 'x'.repeat(10_240) })),
      GrpcStatus.INVALID_ARGUMENT,
      'description: must be at most 500',
    ],
    [
      'source EVENT',
      bad((e) => ({ ...e, source: EntrySource.EVENT })),
      GrpcStatus.INVALID_ARGUMENT,
      'source',
    ],
    [
      'bad due date',
      bad((e) => ({ ...e, dueDate: '2026-13-01' })),
      GrpcStatus.INVALID_ARGUMENT,
      'due_date',
    ],
  ])(
    'rejects %s with the right status, naming the field, writing nothing',
    async (_, input, code, text) => {
      const before = await entryCount();
      await expect(entries.postEntry({ entry: input() })).rejects.toMatchObject({
        code,
        message: expect.stringContaining(text),
      });
      expect(await entryCount()).toBe(before);
    },
  );

  it("treats another tenant's ledger as missing", async () => {
    const other = await harness.newTenant();
    const otherEntries = harness.client(EntryService, other.token);
    await expect(
      otherEntries.postEntry({
        entry: twoLine(book.ledgerId, { debit: '1200', credit: '4000', amount: '1.00' }),
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      fieldViolations: [{ field: 'ledger_id' }],
    });
  });

  it('refuses a batch of 0 or 1001 entries as a whole', async () => {
    const input = twoLine(book.ledgerId, { debit: '1200', credit: '4000', amount: '1.00' });
    await expect(entries.postEntries({ entries: [] })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
    });
    await expect(
      entries.postEntries({ entries: Array.from({ length: 1001 }, () => input) }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      message: expect.stringContaining('1001'),
    });
  });

  it('keeps a no_negative cash account from going below zero', async () => {
    const { results } = await entries.postEntries({
      entries: [
        twoLine(book.ledgerId, { debit: '1000', credit: '3000', amount: '50.00' }),
        twoLine(book.ledgerId, { debit: '5000', credit: '1000', amount: '30.00' }),
        twoLine(book.ledgerId, { debit: '5000', credit: '1000', amount: '30.00' }),
        twoLine(book.ledgerId, { debit: '5000', credit: '1000', amount: '20.00' }),
      ],
    });
    expect(results.map((r) => r.rejection?.reason ?? 'posted')).toEqual([
      'posted',
      'posted',
      'BALANCE_LIMIT_EXCEEDED',
      'posted',
    ]);
    expect(results[2].rejection!.message).toContain('-10.00 EUR');
    const [cash] = await harness.query<{ balance: boolean }>(
      `SELECT (debit - credit = 0) AS balance FROM ledger.account_balances WHERE account_id = $1`,
      [book.accounts['1000']],
    );
    expect(cash.balance).toBe(true);
  });

  it('reverses an entry once, on the other side, idempotently; a reversal can be reversed', async () => {
    const { entry: original } = await entries.postEntry({
      entry: {
        ...twoLine(book.ledgerId, {
          journal: 'SALES',
          debit: '1200',
          credit: '4000',
          amount: '99.99',
        }),
        reference: 'INV-1',
        lines: [
          {
            accountCode: '1200',
            side: EntrySide.DEBIT,
            amount: { amount: '99.99', currency: 'EUR' },
            counterpartyId: book.customerId,
          },
          {
            accountCode: '4000',
            side: EntrySide.CREDIT,
            amount: { amount: '99.99', currency: 'EUR' },
          },
        ],
      },
    });
    const request = {
      ledgerId: book.ledgerId,
      entryId: original!.id,
      idempotencyKey: randomUUID(),
      entryDate: '2026-04-01',
    };
    const { entry: reversal, replayed } = await entries.reverseEntry(request);
    expect(replayed).toBe(false);
    expect(reversal).toMatchObject({
      reversesEntryId: original!.id,
      source: EntrySource.REVERSAL,
      journalSymbol: 'SALES',
      entryDate: '2026-04-01',
      reference: 'INV-1',
    });
    expect(
      reversal!.lines.map((l) => [l.accountCode, l.side, l.amount?.amount, l.counterpartyId]),
    ).toEqual([
      ['1200', EntrySide.CREDIT, '99.99', book.customerId],
      ['4000', EntrySide.DEBIT, '99.99', ''],
    ]);
    expect((await entries.reverseEntry(request)).replayed).toBe(true);
    await expect(
      entries.reverseEntry({ ...request, idempotencyKey: randomUUID() }),
    ).rejects.toMatchObject({
      code: GrpcStatus.FAILED_PRECONDITION,
      message: expect.stringContaining('already reversed'),
    });
    const again = await entries.reverseEntry({
      ledgerId: book.ledgerId,
      entryId: reversal!.id,
      idempotencyKey: randomUUID(),
    });
    expect(again.entry!.entryDate).toBe('2026-04-01');
    await expectBalancesMatchLines(book.ledgerId);
  });

  it("gets an entry with its lines; another tenant's is NOT_FOUND", async () => {
    const { entry } = await entries.postEntry({
      entry: twoLine(book.ledgerId, { debit: '1100', credit: '4000', amount: '7.00' }),
    });
    const { entry: read } = await entries.getEntry({ ledgerId: book.ledgerId, entryId: entry!.id });
    expect(read).toEqual(entry);
    const other = await harness.newTenant();
    await expect(
      harness
        .client(EntryService, other.token)
        .getEntry({ ledgerId: book.ledgerId, entryId: entry!.id }),
    ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    await expect(
      entries.getEntry({ ledgerId: book.ledgerId, entryId: randomUUID() }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
  });

  it('publishes one EntryPosted per entry to ledger.entries.v1, keyed by the ledger id', async () => {
    const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `entries-test-${randomUUID()}` });
    const ledgerIds = new Set([book.ledgerId]);
    const seen = new Map<
      string,
      { key: string; headers: Record<string, string>; sequence: bigint }
    >();
    await consumer.connect();
    await consumer.subscribe({ topic: 'ledger.entries.v1', fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        const event = fromBinary(EntryPostedSchema, message.value!);
        if (!ledgerIds.has(event.entry!.ledgerId)) return Promise.resolve();
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
        );
        seen.set(event.entry!.id, {
          key: String(message.key),
          headers,
          sequence: event.ledgerSequence,
        });

        return Promise.resolve();
      },
    });
    try {
      const ids = (
        await harness.query<{ id: string }>('SELECT id FROM ledger.entries WHERE ledger_id = $1', [
          book.ledgerId,
        ])
      ).map((r) => r.id);
      const deadline = Date.now() + 30_000;
      while (seen.size < ids.length && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect(seen.size).toBe(ids.length);
      for (const id of ids) {
        expect(seen.get(id)).toMatchObject({
          key: book.ledgerId,
          headers: { ce_id: id, ce_type: 'kontor.events.v1.EntryPosted', ce_specversion: '1.0' },
        });
      }
    } finally {
      await consumer.disconnect();
    }
  });
});
