import 'reflect-metadata';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { EntryPostedSchema } from '@kontor/contracts/events/v1/entry_events_pb';
import { LedgerCreatedSchema } from '@kontor/contracts/events/v1/ledger_events_pb';
import {
  EntrySide,
  TransactionType,
  type EntryLineSchema,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import {
  IncomeBreakdown,
  ReportingService,
} from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { databaseUrl, dropDatabase, localServiceRole, SERVICE_NAMES } from '@kontor/db';
import { LEDGER_ENTRIES_TOPIC } from '@kontor/events';
import { createClient } from '@kontor/grpc';
import {
  createEventProducer,
  createKafka,
  defineTopic,
  encodeEvent,
  ensureTopics,
  type EncodedRecord,
  type TopicDefinition,
} from '@kontor/kafka';
import { ormOptions } from '@kontor/service-kit';
import { serverAdminUrl, startPlatform, testKafkaBrokers } from '@kontor/testing';
import { REPORTING_ENTITIES } from '../src/database/entities';
import { REPORTING_MIGRATIONS } from '../src/database/migrations';
import { LedgerSummariesService } from '../src/ledgers/ledger-summaries.service';
import {
  CLEAR_RECEIVABLES,
  DERIVE_RECEIVABLES,
} from '../src/read-model/persistence/receivables.sql';
import { ReadModelService } from '../src/read-model/read-model.service';
import { ProfitSharingService } from '../src/profit-sharing/profit-sharing.service';
import { rebuildReadModels } from '../src/rebuild/rebuild';

// `npm run bench -- reporting`: the built ledger and reporting services as processes, against
// the Postgres and Kafka the bench runner started.
// 1. Reports on a book of LINES ledger lines (loaded straight into the read-model tables, as the
//    consumer would have built them): p50 over REPEATS calls over gRPC, each beside the plain SQL
//    aggregate over the raw lines (the baseline) measured in the same run.
// 2. Read-model build rate from Kafka in events/s: the live consumer (inbox, groups) and the
//    rebuild (whole fetched batches), beside a raw INSERT of the same lines.

const LINES = Number(process.env['BENCH_LINES'] ?? 1_000_000);
const REPEATS = Number(process.env['BENCH_REPEATS'] ?? 15);
const CUSTOMERS = 1_000;
const SUPPLIERS = 20;
const BUILD_EVENTS = Number(process.env['BENCH_BUILD_EVENTS'] ?? 50_000);
const YEAR = 2026;

async function main(): Promise<void> {
  const database = `kontor_bench_${randomBytes(4).toString('hex')}`;
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const platform = await startPlatform({
    serverUrl: serverAdminUrl(),
    database,
    kafkaBrokers: testKafkaBrokers().join(','),
    adminToken,
    services: ['ledger', 'reporting'],
    env: { LOG_LEVEL: 'warn' },
  });
  const sql = new Client({ connectionString: databaseUrl(serverAdminUrl(), database) });
  await sql.connect();
  try {
    const admin = createClient(TenantService, platform.addresses.ledger!, {
      token: adminToken,
      defaultDeadlineMs: 30_000,
    });
    const { tenant } = await admin.createTenant({
      slug: `bench-${database.slice(-8)}`,
      name: 'Bench',
    });
    const { token } = await admin.issueApiKey({ tenantId: tenant!.id, label: 'bench' });
    const options = { token, defaultDeadlineMs: 60_000 };
    const { organization: vendor } = await createClient(
      OrganizationService,
      platform.addresses.ledger!,
      options,
    ).createOrganization({
      externalId: 'bench-vendor',
      kind: OrganizationKind.VENDOR,
      name: 'Vendor',
    });
    const { ledger } = await createClient(
      LedgerService,
      platform.addresses.ledger!,
      options,
    ).createLedger({
      requestId: 'bench-book',
      name: 'Bench book',
      baseCurrency: 'EUR',
      ownerOrganizationId: vendor!.id,
      createDefaultChart: true,
    });
    const reporting = createClient(ReportingService, platform.addresses.reporting!, options);
    await until(async () => {
      const { rows } = await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM reporting.rm_accounts WHERE ledger_id = $1`,
        [ledger!.id],
      );
      await reporting.listLedgers({});

      return rows[0].n === '12';
    });

    console.log(`loading ${LINES} lines into the read model …`);
    const loadMs = await timed(() => load(sql, tenant!.id, ledger!.id));
    console.log(`loaded in ${(loadMs / 1000).toFixed(1)} s\n`);
    await reportTimings(sql, reporting, tenant!.id, ledger!.id);
    console.log('');
    await buildRates(sql, database, tenant!.id);
  } finally {
    await sql.end();
    await platform.stop();
    // BENCH_KEEP_DATABASE=1 keeps the loaded database for EXPLAIN sessions.
    if (process.env['BENCH_KEEP_DATABASE']) console.log(`kept database ${database}`);
    else
      await dropDatabase(
        serverAdminUrl(),
        database,
        SERVICE_NAMES.map((service) => localServiceRole(database, service).role),
      );
  }
}

/**
 * A year of a marketplace's book, LINES/2 entries of two lines: invoices (receivable/revenue by
 * product, due in 14 days), payments, credit notes, supplier costs and fees; 1,000 customers.
 */
async function load(client: Client, tenantId: string, ledgerId: string): Promise<void> {
  const sql = timedClient(client);
  const entries = Math.floor(LINES / 2);
  await sql.query(`SET search_path = reporting`);
  await sql.query(
    `INSERT INTO rm_organizations (version, tenant_id, id, external_id, kind, name)
     SELECT 1, $1::uuid, md5('c' || i)::uuid, 'c' || i, 'customer', 'Customer ' || i FROM generate_series(0, $2 - 1) i
     UNION ALL
     SELECT 1, $1::uuid, md5('s' || i)::uuid, 's' || i, 'vendor', 'Supplier ' || i FROM generate_series(0, $3 - 1) i`,
    [tenantId, CUSTOMERS, SUPPLIERS],
  );
  // A bulk load: the secondary indexes are built once after the insert, not row by row.
  const { rows: indexes } = await sql.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = 'reporting' AND tablename = 'rm_lines' AND indexname <> 'rm_lines_pkey'`,
  );
  for (const index of indexes) await sql.query(`DROP INDEX reporting.${index.name}`);
  // kind: 0-7 invoice, 8-14 payment, 15 credit note, 16-17 cost, 18-19 fee (i % 20).
  await sql.query(
    `INSERT INTO rm_lines (version, tenant_id, ledger_id, entry_id, line_no, ledger_sequence,
       entry_date, journal_symbol, number, transaction_type, payment_method, reference,
       description, due_date, reverses_entry_id, account_code, is_debit, currency, amount,
       counterparty_id, product, memo)
     SELECT 1, $1::uuid, $2::uuid, lpad(to_hex(e.i), 32, '0')::uuid, l.n, e.i, e.day,
       CASE WHEN e.k < 8 THEN 'SALES' WHEN e.k < 15 THEN 'BANK' WHEN e.k = 15 THEN 'NOTE' ELSE 'GENERAL' END,
       e.i, CASE WHEN e.k < 8 THEN 'invoice' WHEN e.k < 15 THEN 'payment' WHEN e.k = 15 THEN 'credit_note'
         WHEN e.k < 18 THEN 'cost' ELSE 'fee' END,
       CASE WHEN e.k BETWEEN 8 AND 14 THEN 'card' ELSE '' END, 'R-' || e.i, 'Entry ' || e.i,
       CASE WHEN e.k < 8 THEN e.day + 14 END, NULL,
       CASE
         WHEN e.k < 8 THEN (ARRAY['1200', '4000'])[l.n + 1]
         WHEN e.k < 15 THEN (ARRAY['1100', '1200'])[l.n + 1]
         WHEN e.k = 15 THEN (ARRAY['4000', '1200'])[l.n + 1]
         WHEN e.k < 18 THEN (ARRAY['5000', '2000'])[l.n + 1]
         ELSE (ARRAY['5100', '1100'])[l.n + 1] END,
       l.n = 0, 'EUR', e.amount,
       CASE
         WHEN e.k < 16 AND NOT (e.k BETWEEN 8 AND 14 AND l.n = 0) THEN md5('c' || e.c)::uuid
         WHEN e.k BETWEEN 16 AND 17 THEN md5('s' || (e.c % $3))::uuid END,
       CASE WHEN (e.k < 8 AND l.n = 1) OR (e.k = 15 AND l.n = 0) OR (e.k BETWEEN 16 AND 17 AND l.n = 0)
         THEN 'p' || (e.i % 10) ELSE '' END, ''
     FROM (
       SELECT i, i % 20 AS k, abs(hashtext('c' || i)) % $4 AS c,
         date '${YEAR}-01-01' + (i::bigint * 365 / ($5 + 1))::int AS day,
         (10 + (i * 37) % 100000 / 100.0)::numeric(12, 2) AS amount
       FROM generate_series(1, $5) i
     ) e CROSS JOIN (VALUES (0), (1)) AS l(n)`,
    [tenantId, ledgerId, SUPPLIERS, CUSTOMERS, entries],
  );
  for (const index of indexes) await sql.query(index.definition);
  // Statistics before the set-based derivations, or the planner takes the table as empty.
  await sql.query(`ANALYZE rm_lines, rm_accounts`);
  await aggregate(sql, ledgerId);
  await sql.query(
    `INSERT INTO rm_ledger_watermarks (version, tenant_id, ledger_id, current_sequence)
     VALUES (1, $1, $2, $3)
     ON CONFLICT (version, ledger_id) DO UPDATE SET current_sequence = excluded.current_sequence`,
    [tenantId, ledgerId, entries],
  );
  await sql.query(
    `ANALYZE rm_lines, rm_account_days, rm_detail_days, rm_organizations, rm_accounts, rm_invoices, rm_receivable_pools, rm_open_dues, rm_product_months, rm_counterparty_months`,
  );
  await sql.query(`SET search_path = public`);
}

/** Logs each loading statement's duration (BENCH_VERBOSE=1). */
function timedClient(client: Client): Pick<Client, 'query'> {
  return {
    query: (async (text: string, params?: unknown[]) => {
      const started = performance.now();
      const result = await client.query(text, params);
      if (process.env['BENCH_VERBOSE']) {
        const took = ((performance.now() - started) / 1000).toFixed(1);
        console.log(`  ${took} s  ${text.replace(/\s+/g, ' ').slice(0, 70)}`);
      }

      return result;
    }) as Client['query'],
  };
}

/** The aggregates the consumer maintains, derived from the loaded lines. */
async function aggregate(sql: Pick<Client, 'query'>, ledgerId: string): Promise<void> {
  await sql.query(
    `INSERT INTO rm_account_days (version, tenant_id, ledger_id, account_code, currency, day, debit, credit)
     SELECT version, tenant_id, ledger_id, account_code, currency, entry_date,
       coalesce(sum(amount) FILTER (WHERE is_debit), 0), coalesce(sum(amount) FILTER (WHERE NOT is_debit), 0)
     FROM rm_lines WHERE ledger_id = $1 GROUP BY 1, 2, 3, 4, 5, 6`,
    [ledgerId],
  );
  await sql.query(
    `INSERT INTO rm_detail_days (version, tenant_id, ledger_id, account_code, counterparty_id,
       product, currency, day, debit, credit)
     SELECT version, tenant_id, ledger_id, account_code,
       coalesce(counterparty_id, '00000000-0000-0000-0000-000000000000'), product, currency, entry_date,
       coalesce(sum(amount) FILTER (WHERE is_debit), 0), coalesce(sum(amount) FILTER (WHERE NOT is_debit), 0)
     FROM rm_lines WHERE ledger_id = $1 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    [ledgerId],
  );
  await sql.query(
    `INSERT INTO rm_product_months (version, tenant_id, ledger_id, month, account_code, product,
       currency, debit, credit)
     SELECT version, tenant_id, ledger_id, date_trunc('month', entry_date), account_code, product,
       currency, coalesce(sum(amount) FILTER (WHERE is_debit), 0),
       coalesce(sum(amount) FILTER (WHERE NOT is_debit), 0)
     FROM rm_lines WHERE ledger_id = $1 GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    [ledgerId],
  );
  await sql.query(
    `INSERT INTO rm_counterparty_months (version, tenant_id, ledger_id, month, account_code,
       counterparty_id, currency, debit, credit)
     SELECT version, tenant_id, ledger_id, date_trunc('month', entry_date), account_code,
       coalesce(counterparty_id, '00000000-0000-0000-0000-000000000000'), currency,
       coalesce(sum(amount) FILTER (WHERE is_debit), 0),
       coalesce(sum(amount) FILTER (WHERE NOT is_debit), 0)
     FROM rm_lines WHERE ledger_id = $1 GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    [ledgerId],
  );
  // The open items, as the consumer maintains them (derived here in one statement).
  let n = 0;
  const positional = (text: string) => text.replace(/\?/g, () => `$${++n}`);
  for (const statement of [...CLEAR_RECEIVABLES, ...DERIVE_RECEIVABLES]) {
    n = 0;
    await sql.query(positional(statement), [1, ledgerId]);
  }
}

type Reporting = ReturnType<typeof createClient<(typeof ReportingService)['method']>>;

async function reportTimings(
  sql: Client,
  reporting: Reporting,
  tenantId: string,
  ledgerId: string,
): Promise<void> {
  const scope = { ledgerId };
  const customer = md5Uuid('c42');
  const raw =
    (text: string, params: unknown[] = []) =>
    async () => {
      await sql.query(text, params);
    };
  const lines = `reporting.rm_lines WHERE version = 1 AND ledger_id = '${ledgerId}'`;
  console.log(`${'report'.padEnd(52)} ${'p50 ms'.padStart(8)} ${'baseline p50 ms'.padStart(16)}`);
  await compare(
    'trial balance (year)',
    () => reporting.getTrialBalance({ scope, fromDate: `${YEAR}-01-01`, toDate: `${YEAR}-12-31` }),
    raw(`SELECT account_code, currency, sum(amount) FILTER (WHERE is_debit),
           sum(amount) FILTER (WHERE NOT is_debit) FROM ${lines} GROUP BY 1, 2`),
  );
  await compare(
    'trial balance (Mar 15 - Aug 20)',
    () => reporting.getTrialBalance({ scope, fromDate: `${YEAR}-03-15`, toDate: `${YEAR}-08-20` }),
    raw(`SELECT account_code, currency,
           sum(CASE WHEN is_debit THEN amount ELSE -amount END) FILTER (WHERE entry_date < '${YEAR}-03-15'),
           sum(amount) FILTER (WHERE is_debit AND entry_date >= '${YEAR}-03-15'),
           sum(amount) FILTER (WHERE NOT is_debit AND entry_date >= '${YEAR}-03-15')
         FROM ${lines} AND entry_date <= '${YEAR}-08-20' GROUP BY 1, 2`),
  );
  const firstPage = await reporting.getCustomerStatement({
    scope,
    customerId: customer,
    showAll: true,
    pageSize: 100,
  });
  await compare(
    'customer statement, page 2 of 100 rows (show all)',
    () =>
      reporting.getCustomerStatement({
        scope,
        customerId: customer,
        showAll: true,
        pageSize: 100,
        pageToken: firstPage.nextPageToken,
      }),
    raw(`SELECT entry_id, entry_date, amount, sum(CASE WHEN is_debit THEN amount ELSE -amount END)
           OVER (ORDER BY entry_date, ledger_sequence) FROM ${lines}
           AND counterparty_id = '${customer}' AND account_code = '1200'
         ORDER BY entry_date, ledger_sequence OFFSET 100 LIMIT 100`),
  );
  await compare(
    'account statement 1100 from Jun 1, first 100 rows',
    async () => {
      const first = await reporting.getAccountStatement({
        scope,
        accountCode: '1100',
        pageSize: 100,
        fromDate: `${YEAR}-06-01`,
      });
      return first;
    },
    raw(`SELECT entry_id, amount, sum(CASE WHEN is_debit THEN amount ELSE -amount END)
           OVER (ORDER BY entry_date, ledger_sequence, line_no) FROM ${lines}
           AND account_code = '1100' ORDER BY entry_date, ledger_sequence, line_no LIMIT 100`),
  );
  await moreTimings(sql, reporting, ledgerId);
  void tenantId;
}

async function moreTimings(sql: Client, reporting: Reporting, ledgerId: string): Promise<void> {
  const scope = { ledgerId };
  const raw = (text: string) => async () => {
    await sql.query(text);
  };
  const lines = `reporting.rm_lines WHERE version = 1 AND ledger_id = '${ledgerId}'`;
  await compare(
    'receivables aging (year end, 1,000 customers)',
    () => reporting.getReceivablesAging({ scope, asOfDate: `${YEAR}-12-31` }),
    raw(`SELECT counterparty_id, sum(CASE WHEN is_debit THEN amount ELSE -amount END)
         FROM ${lines} AND account_code = '1200' GROUP BY 1`),
  );
  const ledgerPage = await reporting.listGeneralLedger({ scope, pageSize: 100 });
  await compare(
    'general ledger, page 2 of 100 (payments and refunds)',
    () =>
      reporting.listGeneralLedger({ scope, pageSize: 100, pageToken: ledgerPage.nextPageToken }),
    raw(`SELECT entry_id, entry_date, sum(amount) FILTER (WHERE is_debit) FROM ${lines}
         AND transaction_type IN ('payment', 'refund')
         GROUP BY entry_id, entry_date, ledger_sequence ORDER BY entry_date, ledger_sequence
         OFFSET 100 LIMIT 100`),
  );
  await compare(
    'income statement (year, by month)',
    () =>
      reporting.getIncomeStatement({ scope, fromDate: `${YEAR}-01-01`, toDate: `${YEAR}-12-31` }),
    raw(`SELECT date_trunc('month', entry_date), account_code,
           sum(CASE WHEN is_debit THEN amount ELSE -amount END)
         FROM ${lines} AND account_code IN ('4000', '5000', '5100') GROUP BY 1, 2`),
  );
  await compare(
    'income statement (year, by month and product)',
    () =>
      reporting.getIncomeStatement({
        scope,
        fromDate: `${YEAR}-01-01`,
        toDate: `${YEAR}-12-31`,
        breakdown: IncomeBreakdown.PRODUCT,
      }),
    raw(`SELECT date_trunc('month', entry_date), account_code, product,
           sum(CASE WHEN is_debit THEN amount ELSE -amount END)
         FROM ${lines} AND account_code IN ('4000', '5000', '5100') GROUP BY 1, 2, 3`),
  );
  await compare(
    'balance sheet (year end)',
    () => reporting.getBalanceSheet({ scope, asOfDate: `${YEAR}-12-31` }),
    raw(`SELECT account_code, sum(CASE WHEN is_debit THEN amount ELSE -amount END)
         FROM ${lines} GROUP BY 1`),
  );
}

async function compare(
  what: string,
  report: () => Promise<unknown>,
  baseline: () => Promise<void>,
): Promise<void> {
  await report(); // warm-up (plans, caches)
  await baseline();
  const mine = await p50(report);
  const base = await p50(baseline);
  console.log(`${what.padEnd(52)} ${mine.toFixed(1).padStart(8)} ${base.toFixed(1).padStart(16)}`);
}

async function p50(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) times.push(await timed(run));
  times.sort((a, b) => a - b);

  return times[Math.floor(times.length / 2)];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();

  return performance.now() - started;
}

async function until(check: () => Promise<boolean>, delayMaxMs = 500): Promise<void> {
  for (let delay = Math.min(50, delayMaxMs); ; delay = Math.min(delay * 2, delayMaxMs)) {
    try {
      if (await check()) return;
    } catch {
      // not ready yet
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');

  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** BUILD_EVENTS EntryPosted events of 2 lines over 8 ledgers, as the ledger publishes them. */
function entryEvents(topic: TopicDefinition, tenantId: string): EncodedRecord[] {
  const ledgers = Array.from({ length: 8 }, () => randomUUID());
  const sequences = new Map<string, bigint>();

  return Array.from({ length: BUILD_EVENTS }, (_, i) => {
    const ledgerId = ledgers[i % ledgers.length];
    const sequence = (sequences.get(ledgerId) ?? 0n) + 1n;
    sequences.set(ledgerId, sequence);
    const amount = {
      amount: `${10 + (i % 990)}.${String(i % 100).padStart(2, '0')}`,
      currency: 'EUR',
    };
    const invoice = i % 2 === 0;
    const customer = md5Uuid(`c${i % CUSTOMERS}`);
    const lines: MessageInitShape<typeof EntryLineSchema>[] = invoice
      ? [
          { accountCode: '1200', side: EntrySide.DEBIT, amount, counterpartyId: customer },
          { accountCode: '4000', side: EntrySide.CREDIT, amount, product: `p${i % 10}` },
        ]
      : [
          { accountCode: '1100', side: EntrySide.DEBIT, amount },
          { accountCode: '1200', side: EntrySide.CREDIT, amount, counterpartyId: customer },
        ];
    const entryId = randomUUID();

    return encodeEvent(topic, {
      key: ledgerId,
      schema: EntryPostedSchema,
      message: create(EntryPostedSchema, {
        tenantId,
        ledgerSequence: sequence,
        entry: {
          id: entryId,
          ledgerId,
          journalSymbol: invoice ? 'SALES' : 'BANK',
          number: sequence,
          entryDate: `${YEAR}-0${1 + (i % 9)}-1${i % 10}`,
          transactionType: invoice ? TransactionType.INVOICE : TransactionType.PAYMENT,
          reference: `R-${i}`,
          description: `Entry ${i}`,
          lines,
        },
        postTime: timestampFromDate(new Date()),
      }),
      id: entryId,
      source: '/kontor/ledger',
      time: new Date(),
    });
  });
}

async function publish(records: EncodedRecord[], topic: string): Promise<number> {
  const kafka = createKafka({ clientId: 'bench', brokers: testKafkaBrokers() });
  const producer = createEventProducer(kafka);
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < records.length; i += 1000) {
    await producer.send({ topic, acks: -1, messages: records.slice(i, i + 1000) });
  }
  await producer.disconnect();

  return performance.now() - started;
}

async function buildRates(sql: Client, database: string, tenantId: string): Promise<void> {
  // Baseline: the same lines as one INSERT … json_to_recordset per 1,000 events, no aggregates.
  await sql.query(`CREATE TABLE public.bench_lines (LIKE reporting.rm_lines)`);
  const rows = Array.from({ length: BUILD_EVENTS * 2 }, (_, i) => ({
    entry_id: randomUUID(),
    line_no: i % 2,
    amount: `${10 + (i % 990)}.00`,
    account_code: i % 2 === 0 ? '1200' : '4000',
  }));
  const rawMs = await timed(async () => {
    for (let i = 0; i < rows.length; i += 2000) {
      await sql.query(
        `INSERT INTO public.bench_lines (version, tenant_id, ledger_id, entry_id, line_no,
           ledger_sequence, entry_date, journal_symbol, number, transaction_type, payment_method,
           reference, description, account_code, is_debit, currency, amount, product, memo)
         SELECT 1, $2::uuid, $2::uuid, r.entry_id, r.line_no, 1, date '${YEAR}-01-01', 'SALES', 1, 'invoice',
           '', '', '', r.account_code, r.line_no = 0, 'EUR', r.amount, '', ''
         FROM json_to_recordset($1::json) AS r(entry_id uuid, line_no int, amount numeric, account_code text)`,
        [JSON.stringify(rows.slice(i, i + 2000)), tenantId],
      );
    }
  });
  const rawRate = (BUILD_EVENTS * 1000) / rawMs;
  console.log(
    `${'build'.padEnd(52)} ${'events/s'.padStart(8)} ${'baseline events/s'.padStart(18)}`,
  );

  // The live consumer: events on ledger.entries.v1, applied with inbox and group writes.
  const live = entryEvents(LEDGER_ENTRIES_TOPIC, tenantId);
  const ledgerIds = [...new Set(live.map((record) => String(record.key)))];
  const started = performance.now();
  const publishMs = await publish(live, LEDGER_ENTRIES_TOPIC.name);
  // Polled every 20 ms: the end of the build is not rounded up by a long poll interval.
  await until(async () => {
    const { rows: marks } = await sql.query<{ n: string }>(
      `SELECT coalesce(sum(current_sequence), 0)::text AS n FROM reporting.rm_ledger_watermarks
       WHERE ledger_id = ANY($1::uuid[])`,
      [ledgerIds],
    );

    return Number(marks[0].n) >= BUILD_EVENTS;
  }, 20);
  const liveRate = (BUILD_EVENTS * 1000) / (performance.now() - started);
  console.log(
    `${`live consumer (publish + apply ${BUILD_EVENTS})`.padEnd(52)} ${liveRate.toFixed(0).padStart(8)} ${rawRate.toFixed(0).padStart(18)}`,
  );
  console.log(
    `${'  publishing alone (the producer side of the above)'.padEnd(52)} ${((BUILD_EVENTS * 1000) / publishMs).toFixed(0).padStart(8)}`,
  );

  await rebuildRate(database, tenantId, rawRate);
}

async function rebuildRate(database: string, tenantId: string, rawRate: number): Promise<void> {
  // The rebuild path: whole fetched batches from the topics' beginning into a new version.
  const suffix = randomBytes(3).toString('hex');
  const entriesTopic = defineTopic({
    name: `bench.entries${suffix}.v1`,
    partitions: 6,
    messages: [EntryPostedSchema],
  });
  const ledgersTopic = defineTopic({
    name: `bench.ledgers${suffix}.v1`,
    partitions: 3,
    messages: [LedgerCreatedSchema],
  });
  const kafka = createKafka({ clientId: 'bench-rebuild', brokers: testKafkaBrokers() });
  await ensureTopics(kafka, [entriesTopic, ledgersTopic]);
  await publish(entryEvents(entriesTopic, tenantId), entriesTopic.name);
  const orm = await MikroORM.init(
    ormOptions({
      service: 'reporting',
      databaseUrl: databaseUrl(serverAdminUrl(), database, localServiceRole(database, 'reporting')),
      entities: REPORTING_ENTITIES,
      migrations: REPORTING_MIGRATIONS,
    }),
  );
  try {
    const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const readModel = new ReadModelService(orm);
    const result = await rebuildReadModels({
      orm,
      kafka,
      readModel,
      summaries: new LedgerSummariesService(orm),
      profitSharing: new ProfitSharingService(orm, readModel),
      logger: silent,
      topics: { ledgers: ledgersTopic.name, entries: entriesTopic.name },
      swap: false,
    });
    const rate = (result.events * 1000) / result.millis;
    const applyRate = (result.events * 1000) / Math.max(result.applyMillis, 1);
    console.log(
      `${`rebuild from the topic (${result.events} events)`.padEnd(52)} ${rate.toFixed(0).padStart(8)} ${rawRate.toFixed(0).padStart(18)}`,
    );
    console.log(
      `${'  the same, from the first fetched batch on'.padEnd(52)} ${applyRate.toFixed(0).padStart(8)}`,
    );
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
