import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { PaymentCapturedSchema } from '@kontor/contracts/events/v1/payment_events_pb';
import { AccountService, AccountType } from '@kontor/contracts/ledger/v1/account_service_pb';
import {
  EntryService,
  EntrySide,
  TransactionType,
  type EntryInputSchema,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { dropDatabase, localServiceRole } from '@kontor/db';
import { PAYMENTS_EVENTS_TOPIC } from '@kontor/events';
import { createClient } from '@kontor/grpc';
import { createEventProducer, createKafka, encodeEvent } from '@kontor/kafka';
import { serverAdminUrl, startPlatform, testKafkaBrokers } from '@kontor/testing';

// `npm run bench -- ledger`: the built ledger service as its own process, against the Postgres
// and Kafka that the bench runner started. Every figure is printed beside a baseline measured in
// the same run on the same machine, because the machine is shared and noisy.

const BATCH_ENTRIES = 1_000;
const BATCHES = 20;
// Overridable to find the rate a single ledger sustains (e.g. BENCH_SINGLE_RATE=50).
const SINGLE_RATE_PER_S = Number(process.env['BENCH_SINGLE_RATE'] ?? 200);
const SINGLE_SECONDS = 10;
const EVENTS = 5_000;
// Which parts to run, e.g. BENCH_PARTS=single,events; all by default.
const PARTS = new Set((process.env['BENCH_PARTS'] ?? 'batched,single,events').split(','));

type Entries = ReturnType<typeof createClient<(typeof EntryService)['method']>>;

interface Book {
  ledgerId: string;
  vendorExternalId: string;
  customerExternalId: string;
}

async function main(): Promise<void> {
  const database = `kontor_bench_${randomBytes(4).toString('hex')}`;
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const platform = await startPlatform({
    serverUrl: serverAdminUrl(),
    database,
    kafkaBrokers: testKafkaBrokers().join(','),
    adminToken,
    services: ['ledger'],
    env: { LOG_LEVEL: 'warn' },
  });
  const address = platform.addresses.ledger!;
  const admin = createClient(TenantService, address, {
    token: adminToken,
    defaultDeadlineMs: 30_000,
  });
  try {
    const { tenant } = await admin.createTenant({
      slug: `bench-${database.slice(-8)}`,
      name: 'Bench',
    });
    const { token } = await admin.issueApiKey({ tenantId: tenant!.id, label: 'bench' });
    const entries = createClient(EntryService, address, { token, defaultDeadlineMs: 120_000 });
    const newBook = () => setUpBook(address, token);
    const adminUrl = databaseAdminUrl(database);

    if (PARTS.has('batched')) {
      const raw = await rawInsertBaseline(adminUrl, tenant!.id, await newBook());
      report('raw INSERT … unnest (entries + 2 lines)', raw, 'entries/s', 'baseline');
      const spread = await batchedPosting(entries, await newBook(), false);
      report(
        'PostEntries, 1000/batch, spread accounts',
        spread,
        'entries/s',
        ratio(spread, raw, 'of raw'),
      );
      const hot = await batchedPosting(entries, await newBook(), true);
      report(
        'PostEntries, 1000/batch, one hot account',
        hot,
        'entries/s',
        ratio(hot, spread, 'of spread'),
      );
    }
    if (PARTS.has('single')) {
      const latency = await singleEntryLatency(entries, await newBook());
      console.log(
        `PostEntry at ${SINGLE_RATE_PER_S}/s for ${SINGLE_SECONDS} s: p50 ${latency.p50.toFixed(1)} ms, ` +
          `p99 ${latency.p99.toFixed(1)} ms (${latency.count} calls)`,
      );
    }
    if (PARTS.has('events')) {
      const ingestion = await eventIngestion(adminUrl, tenant!.id, await newBook());
      report(
        'payments.events.v1 published → posted',
        ingestion.posted,
        'events/s',
        ratio(ingestion.posted, ingestion.consumeOnly, 'of plain consume'),
      );
      report(
        'kafkajs plain consume of the same records',
        ingestion.consumeOnly,
        'events/s',
        'baseline',
      );
    }
    entries.close();
  } finally {
    admin.close();
    await platform.stop();
    await dropDatabase(serverAdminUrl(), database, [localServiceRole(database, 'ledger').role]);
  }
}

function report(what: string, rate: number, unit: string, comparison: string): void {
  console.log(
    `${what.padEnd(44)} ${String(Math.round(rate)).padStart(8)} ${unit.padEnd(10)} ${comparison}`,
  );
}

function ratio(value: number, baseline: number, label: string): string {
  return `${Math.round((100 * value) / baseline)}% ${label}`;
}

function databaseAdminUrl(database: string): string {
  const url = new URL(serverAdminUrl());
  url.pathname = `/${database}`;

  return url.toString();
}

async function setUpBook(address: string, token: string): Promise<Book> {
  const suffix = randomUUID().slice(0, 8);
  const options = { token, defaultDeadlineMs: 30_000 };
  const organizations = createClient(OrganizationService, address, options);
  const ledgers = createClient(LedgerService, address, options);
  const accounts = createClient(AccountService, address, options);
  const periods = createClient(PeriodService, address, options);
  try {
    const { organization: vendor } = await organizations.createOrganization({
      externalId: `vendor-${suffix}`,
      kind: OrganizationKind.VENDOR,
      name: `Vendor ${suffix}`,
    });
    await organizations.createOrganization({
      externalId: `customer-${suffix}`,
      kind: OrganizationKind.CUSTOMER,
      name: `Customer ${suffix}`,
    });
    const { ledger } = await ledgers.createLedger({
      requestId: suffix,
      name: `Bench ${suffix}`,
      baseCurrency: 'EUR',
      ownerOrganizationId: vendor!.id,
      createDefaultChart: true,
    });
    await organizations.setPrimaryLedger({ organizationId: vendor!.id, ledgerId: ledger!.id });
    await accounts.createAccount({
      ledgerId: ledger!.id,
      code: '4001',
      name: 'Other revenue',
      type: AccountType.REVENUE,
    });
    await periods.createFiscalYear({
      ledgerId: ledger!.id,
      name: '2026',
      startMonth: '2026-01',
      journals: ['BANK', 'SALES'].map((symbol) => ({ symbol })),
    });

    return {
      ledgerId: ledger!.id,
      vendorExternalId: `vendor-${suffix}`,
      customerExternalId: `customer-${suffix}`,
    };
  } finally {
    for (const client of [organizations, ledgers, accounts, periods]) client.close();
  }
}

function twoLineEntry(
  ledgerId: string,
  key: string,
  i: number,
  hot: boolean,
): MessageInitShape<typeof EntryInputSchema> {
  const amount = `${1 + (i % 97)}.${String(i % 100).padStart(2, '0')}`;
  const debit = hot ? '1100' : ['1100', '1000', '1300'][i % 3];
  const credit = hot ? '4000' : ['4000', '4001', '3000'][i % 3];

  return {
    idempotencyKey: key,
    ledgerId,
    journalSymbol: 'BANK',
    entryDate: `2026-0${1 + (i % 9)}-1${i % 10}`,
    transactionType: TransactionType.PAYMENT,
    lines: [
      { accountCode: debit, side: EntrySide.DEBIT, amount: { amount, currency: 'EUR' } },
      { accountCode: credit, side: EntrySide.CREDIT, amount: { amount, currency: 'EUR' } },
    ],
  };
}

async function batchedPosting(entries: Entries, book: Book, hot: boolean): Promise<number> {
  const batches = Array.from({ length: BATCHES }, (_, b) =>
    Array.from({ length: BATCH_ENTRIES }, (__, i) =>
      twoLineEntry(book.ledgerId, `b${b}-${i}`, i, hot),
    ),
  );
  await entries.postEntries({ entries: [twoLineEntry(book.ledgerId, 'warm-up', 0, hot)] });
  const started = performance.now();
  for (const batch of batches) {
    const { results } = await entries.postEntries({ entries: batch });
    if (results.some((result) => !result.entry)) throw new Error('a bench entry was rejected');
  }

  return (BATCHES * BATCH_ENTRIES) / ((performance.now() - started) / 1000);
}

async function rawInsertBaseline(adminUrl: string, tenantId: string, book: Book): Promise<number> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SET search_path = ledger');
    const [journal] = (
      await client.query<{ id: string }>(
        `SELECT id FROM journals WHERE ledger_id = $1 AND symbol = 'BANK'`,
        [book.ledgerId],
      )
    ).rows;
    const accounts = (
      await client.query<{ id: string }>(
        `SELECT id FROM accounts WHERE ledger_id = $1 AND code IN ('1100', '4000') ORDER BY code`,
        [book.ledgerId],
      )
    ).rows;
    const started = performance.now();
    for (let b = 0; b < BATCHES; b++) {
      const ids = Array.from({ length: BATCH_ENTRIES }, () => randomUUID());
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO entries (id, tenant_id, ledger_id, journal_id, number, ledger_sequence, entry_date,
            transaction_type, source, idempotency_key, request_digest, posted_by, posted_at)
         SELECT t.id, $2, $3, $4, $5 + t.n, $5 + t.n, '2026-03-15', 'payment', 'api', 'raw-' || t.id,
                '\\x00', 'raw', now()
           FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
        [ids, tenantId, book.ledgerId, journal.id, b * BATCH_ENTRIES],
      );
      await client.query(
        `INSERT INTO entry_lines (entry_id, line_no, tenant_id, ledger_id, account_id, side, amount,
            currency, entry_date)
         SELECT t.id, s.line_no, $2, $3, CASE s.line_no WHEN 0 THEN $4::uuid ELSE $5::uuid END,
                CASE s.line_no WHEN 0 THEN 'debit' ELSE 'credit' END, 10.5, 'EUR', '2026-03-15'
           FROM unnest($1::uuid[]) AS t(id) CROSS JOIN (VALUES (0), (1)) AS s(line_no)`,
        [ids, tenantId, book.ledgerId, accounts[0].id, accounts[1].id],
      );
      await client.query('COMMIT');
    }

    return (BATCHES * BATCH_ENTRIES) / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
  }
}

async function singleEntryLatency(entries: Entries, book: Book) {
  const latencies: number[] = [];
  const calls: Promise<void>[] = [];
  const total = SINGLE_RATE_PER_S * SINGLE_SECONDS;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    // Open-loop: send on schedule whatever the previous calls are doing.
    const due = started + (i * 1000) / SINGLE_RATE_PER_S;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    calls.push(
      entries
        .postEntry({ entry: twoLineEntry(book.ledgerId, `single-${i}`, i, false) })
        .then(() => {
          latencies.push(performance.now() - sent);
        }),
    );
  }
  await Promise.all(calls);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];

  return { p50: at(0.5), p99: at(0.99), count: latencies.length };
}

async function eventIngestion(adminUrl: string, tenantId: string, book: Book) {
  const kafka = createKafka({ clientId: 'bench-order-system', brokers: testKafkaBrokers() });
  const producer = createEventProducer(kafka);
  await producer.connect();
  const runId = randomUUID().slice(0, 8);
  const records = Array.from({ length: EVENTS }, (_, i) =>
    encodeEvent(PAYMENTS_EVENTS_TOPIC, {
      key: `order-${i}`,
      schema: PaymentCapturedSchema,
      message: create(PaymentCapturedSchema, {
        tenantId,
        paymentId: `pay-${runId}-${i}`,
        orderId: `order-${i}`,
        vendorExternalId: book.vendorExternalId,
        customerExternalId: book.customerExternalId,
        paymentMethod: 'card',
        lines: [
          {
            product: 'mug',
            netAmount: { amount: '10.00', currency: 'EUR' },
            taxAmount: { amount: '1.90', currency: 'EUR' },
          },
        ],
        captureTime: timestampFromDate(new Date('2026-03-14T12:00:00Z')),
      }),
      id: randomUUID(),
      source: '/bench/order-system',
      time: new Date(),
    }),
  );
  const started = performance.now();
  for (let i = 0; i < records.length; i += 500) {
    await producer.send({
      topic: PAYMENTS_EVENTS_TOPIC.name,
      acks: -1,
      messages: records.slice(i, i + 500),
    });
  }
  await producer.disconnect();
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ledger.entries WHERE ledger_id = $1 AND source = 'event'`,
        [book.ledgerId],
      );
      if (BigInt(rows[0].n) >= BigInt(2 * EVENTS)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await client.end();
  }
  const posted = EVENTS / ((performance.now() - started) / 1000);

  // Baseline: a plain kafkajs consumer reading the same records, doing nothing with them.
  const consumer = kafka.consumer({
    groupId: `bench-baseline-${runId}`,
    allowAutoTopicCreation: false,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: PAYMENTS_EVENTS_TOPIC.name, fromBeginning: true });
  let seen = 0;
  let firstAt = 0;
  const total = await totalRecords(kafka);
  const consumeOnly = await new Promise<number>((resolve) => {
    void consumer.run({
      eachBatch: ({ batch }) => {
        if (seen === 0) firstAt = performance.now();
        seen += batch.messages.length;
        if (seen >= total) resolve(seen / ((performance.now() - firstAt) / 1000));
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();

  return { posted, consumeOnly };
}

async function totalRecords(kafka: ReturnType<typeof createKafka>): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(PAYMENTS_EVENTS_TOPIC.name);
    return offsets.reduce(
      (sum, partition) => sum + (Number(partition.high) - Number(partition.low)),
      0,
    );
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
