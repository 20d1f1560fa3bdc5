import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { create } from '@bufbuild/protobuf';
import {
  BasisKind,
  DealService,
  DealTermsSchema,
  NegativePeriodHandling,
  PartyRole,
  SettlementFrequency,
  TierMethod,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { EntryPostedSchema } from '@kontor/contracts/events/v1/entry_events_pb';
import { EntrySide, TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { LEDGER_ENTRIES_TOPIC } from '@kontor/events';
import { createEventProducer, createKafka, encodeEvent, type TopicDefinition } from '@kontor/kafka';
import { databaseUrl, dropDatabase, localServiceRole, SERVICE_NAMES } from '@kontor/db';
import { createClient, GrpcCallError, GrpcStatus } from '@kontor/grpc';
import { serverAdminUrl, startPlatform, testKafkaBrokers } from '@kontor/testing';

// `npm run bench -- deals`: the built ledger and deals services as processes, against the
// Postgres and Kafka the bench runner started. A deal's scope holds LINES ledger lines (loaded
// straight into the deals service's scope table, as its ledger.entries.v1 consumer builds it);
// PreviewSettlement of that month over gRPC (p50 of REPEATS) is printed beside the baseline, a
// single SQL aggregate of the same lines (revenue, refunds, units) measured in the same run.
// Target: within 3× of the baseline.

const LINES = Number(process.env['BENCH_LINES'] ?? 1_000_000);
const REPEATS = Number(process.env['BENCH_REPEATS'] ?? 9);
const INGEST_EVENTS = Number(process.env['BENCH_INGEST_EVENTS'] ?? 20_000);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();

  return performance.now() - start;
}

async function main(): Promise<void> {
  const database = `kontor_bench_${randomBytes(4).toString('hex')}`;
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const platform = await startPlatform({
    serverUrl: serverAdminUrl(),
    database,
    kafkaBrokers: testKafkaBrokers().join(','),
    adminToken,
    services: ['ledger', 'deals'],
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
      slug: `bench-${randomUUID().slice(0, 8)}`,
      name: 'Bench',
    });
    const { token } = await admin.issueApiKey({ tenantId: tenant!.id, label: 'bench' });
    const tenantId = tenant!.id;
    const [payer, partner, ledgerId] = [randomUUID(), randomUUID(), randomUUID()];
    // The organizations and ledgers replicas, as ledger.ledgers.v1 would have filled them.
    await sql.query(
      `INSERT INTO deals.organizations (id, tenant_id, kind, name) VALUES ($1, $3, 'vendor', 'Payer'), ($2, $3, 'partner', 'Partner')`,
      [payer, partner, tenantId],
    );
    await sql.query(
      `INSERT INTO deals.ledgers (id, tenant_id, base_currency) VALUES ($1, $2, 'EUR')`,
      [ledgerId, tenantId],
    );
    console.log(`loading ${LINES} scope lines …`);
    const loadMs = await timed(() => load(sql, tenantId, ledgerId));
    console.log(`loaded in ${(loadMs / 1000).toFixed(1)} s`);
    const deals = createClient(DealService, platform.addresses.deals!, {
      token,
      defaultDeadlineMs: 120_000,
    });
    const dealId = await createBenchDeal(deals, { payer, partner, ledgerId });

    await measureSettlement(sql, deals, { tenantId, ledgerId, dealId });
    const ingest = await measureIngestion(sql, tenantId);
    console.log(
      `scope ingestion from ledger.entries.v1: ${INGEST_EVENTS} entries (2 lines each) in ` +
        `${(ingest / 1000).toFixed(1)} s = ${Math.round((INGEST_EVENTS * 1000) / ingest)} entries/s`,
    );
    deals.close();
    admin.close();
  } finally {
    await sql.end();
    await platform.stop();
    await dropDatabase(
      serverAdminUrl(),
      database,
      SERVICE_NAMES.map((service) => localServiceRole(database, service).role),
    );
  }
}

// Half of the lines are revenue credits (4000, one per sale, products p0..p9), a tenth of
// those are refunds (4000 debits), the rest the receivable side (1200), spread over January.
async function load(sql: Client, tenantId: string, ledgerId: string): Promise<void> {
  await sql.query(
    `INSERT INTO deals.scope_lines (tenant_id, ledger_id, entry_id, line_index, entry_date,
       transaction_type, reference, account_code, side, amount, currency, counterparty_id,
       product, order_id, deal_tag, entry_counterparties, chargeback)
     SELECT $1::uuid, $2::uuid, md5(e::text)::uuid, l, DATE '2026-01-01' + (e % 31),
       CASE WHEN e % 10 = 0 THEN 'refund' ELSE 'revenue' END, '', 
       CASE WHEN l = 0 THEN '4000' ELSE '1200' END,
       CASE WHEN (l = 0) = (e % 10 <> 0) THEN 'C' ELSE 'D' END,
       ((e % 9000) + 100) / 100.0, 'EUR', NULL, 'p' || (e % 10), 'o' || e, '', '{}', false
     FROM generate_series(1, $3::int / 2) AS e, generate_series(0, 1) AS l`,
    [tenantId, ledgerId, LINES],
  );
  await sql.query('ANALYZE deals.scope_lines');
}

/** PreviewSettlement p50 beside the SQL aggregate's, then one FinalizeSettlement. */
async function measureSettlement(
  sql: Client,
  deals: ReturnType<typeof createClient<typeof DealService.method>>,
  ids: { tenantId: string; ledgerId: string; dealId: string },
): Promise<void> {
  const { tenantId, ledgerId, dealId } = ids;
  const preview = () => deals.previewSettlement({ dealId, periodStart: '2026-01-01' });
  const { settlement } = await preview(); // warm-up; also the figures to print
  const baseline = () => sql.query(BASELINE_SQL, [tenantId, ledgerId]);
  await baseline();
  const previewMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    baselineMs.push(await timed(baseline));
    previewMs.push(await timed(preview));
  }
  const p50 = median(previewMs);
  const base = median(baselineMs);
  console.log(
    `\nsettlement of ${LINES} lines: total ${settlement?.total?.amount} ${settlement?.total?.currency}, ` +
      `${settlement?.figures?.entryCount} entries, basis ${settlement?.basisAmount?.amount}`,
  );
  console.log(`PreviewSettlement p50 ${p50.toFixed(0)} ms (gRPC, ${REPEATS} runs)`);
  console.log(`baseline SQL aggregate p50 ${base.toFixed(0)} ms`);
  console.log(
    `ratio ${(p50 / base).toFixed(2)}× (target ≤ 3×) ${p50 / base <= 3 ? 'MET' : 'NOT MET'}`,
  );
  const finalizeMs = await timed(() =>
    deals.finalizeSettlement({ dealId, periodStart: '2026-01-01' }),
  );
  console.log(`FinalizeSettlement (once, incl. lock and outbox) ${finalizeMs.toFixed(0)} ms`);
}

/** Publishes INGEST_EVENTS sales as the ledger would and waits until deals has recorded them. */
async function measureIngestion(sql: Client, tenantId: string): Promise<number> {
  const ledgerId = randomUUID();
  const topic: TopicDefinition = LEDGER_ENTRIES_TOPIC;
  const records = Array.from({ length: INGEST_EVENTS }, (_, i) => {
    const amount = { amount: `${10 + (i % 990)}.00`, currency: 'EUR' };
    const entryId = randomUUID();

    return encodeEvent(topic, {
      key: ledgerId,
      schema: EntryPostedSchema,
      message: create(EntryPostedSchema, {
        tenantId,
        ledgerSequence: BigInt(i + 1),
        entry: {
          id: entryId,
          ledgerId,
          journalSymbol: 'SALES',
          number: BigInt(i + 1),
          entryDate: '2026-02-10',
          transactionType: TransactionType.REVENUE,
          reference: `o${i}`,
          lines: [
            { accountCode: '1200', side: EntrySide.DEBIT, amount, orderId: `o${i}` },
            {
              accountCode: '4000',
              side: EntrySide.CREDIT,
              amount,
              product: `p${i % 10}`,
              orderId: `o${i}`,
            },
          ],
        },
        postTime: timestampFromDate(new Date()),
      }),
      id: entryId,
      source: '/kontor/ledger',
      time: new Date(),
    });
  });
  const producer = createEventProducer(
    createKafka({ clientId: 'bench', brokers: testKafkaBrokers() }),
  );
  await producer.connect();
  const started = performance.now();
  for (let i = 0; i < records.length; i += 1000) {
    await producer.send({ topic: topic.name, acks: -1, messages: records.slice(i, i + 1000) });
  }
  await producer.disconnect();
  for (;;) {
    const { rows } = await sql.query<{ n: string }>(
      'SELECT count(*) AS n FROM deals.scope_lines WHERE ledger_id = $1',
      [ledgerId],
    );
    if (Number(rows[0]?.n) >= INGEST_EVENTS * 2) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return performance.now() - started;
}

const BASELINE_SQL = `
  SELECT sum(amount) FILTER (WHERE side = 'C' AND account_code = '4000') AS revenue,
         sum(amount) FILTER (WHERE side = 'D' AND account_code = '4000') AS refunds,
         count(*) FILTER (WHERE side = 'C' AND account_code = '4000') AS units
    FROM deals.scope_lines
   WHERE tenant_id = $1 AND ledger_id = $2 AND entry_date BETWEEN '2026-01-01' AND '2026-01-31'`;

async function createBenchDeal(
  deals: ReturnType<typeof createClient<typeof DealService.method>>,
  ids: { payer: string; partner: string; ledgerId: string },
): Promise<string> {
  const request = {
    requestId: 'bench-deal',
    name: 'Bench deal',
    payerOrganizationId: ids.payer,
    currency: 'EUR',
    frequency: SettlementFrequency.MONTHLY,
    effectiveFrom: '2026-01-01',
    terms: create(DealTermsSchema, {
      payees: [{ organizationId: ids.partner, role: PartyRole.PARTNER, sharePercent: '100' }],
      scope: { ledgerIds: [ids.ledgerId] },
      basis: BasisKind.NET_REVENUE,
      tierMethod: TierMethod.MARGINAL,
      tiers: [
        { from: { amount: '0', currency: 'EUR' }, percent: '30' },
        { from: { amount: '1000000', currency: 'EUR' }, percent: '35' },
      ],
      negativePeriod: NegativePeriodHandling.CARRY_FORWARD,
    }),
  };
  // The API key reaches the deals service's replica through Kafka a moment after it is issued.
  for (let attempt = 0; ; attempt++) {
    try {
      return (await deals.createDeal(request)).deal!.dealId;
    } catch (error) {
      const unauthenticated =
        error instanceof GrpcCallError && error.code === GrpcStatus.UNAUTHENTICATED;
      if (!unauthenticated || attempt > 300) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
