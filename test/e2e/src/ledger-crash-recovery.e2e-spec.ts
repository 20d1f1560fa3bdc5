import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { Client } from 'pg';
import { PaymentCapturedSchema } from '@kontor/contracts/events/v1/payment_events_pb';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  OrganizationKind,
  OrganizationService,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { PAYMENTS_EVENTS_TOPIC } from '@kontor/events';
import { checkHealth, createClient } from '@kontor/grpc';
import { createEventProducer, createKafka, encodeEvent } from '@kontor/kafka';
import {
  builtServiceEntry,
  createTestDatabase,
  testKafkaBrokers,
  type TestDatabase,
} from '@kontor/testing';
import { eventually } from './support/platform-fixture';

const EVENTS = 3_000;
// Kill once this many entries are in: well into the stream, far from its end.
const KILL_AFTER_ENTRIES = 600;

interface LedgerProcess {
  child: ChildProcess;
  address: string;
}

// Every process this file starts, so none outlives it whatever fails.
const started: ChildProcess[] = [];

async function startLedger(env: Record<string, string>, port: number): Promise<LedgerProcess> {
  const child = spawn(process.execPath, [builtServiceEntry('ledger')], {
    env: { PATH: process.env['PATH'] ?? '', ...env, GRPC_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  started.push(child);
  // Kept quiet unless it fails to start: earlier tests' leftover events on the shared topic are
  // dead-lettered by this ledger (their tenants are not in its database), which is noise here.
  const log: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => log.push(chunk));
  const address = `127.0.0.1:${port}`;
  try {
    // After a crash the service joins its consumer groups once the dead member's session ends.
    await eventually(
      async () =>
        (await checkHealth(address, '', 1_000).catch(() => 'DOWN')) === 'SERVING'
          ? true
          : undefined,
      60_000,
    );
  } catch (error) {
    throw new Error(`ledger did not start: ${String(error)}\n${log.join('').slice(-4_000)}`);
  }
  return { child, address };
}

// "No event is lost or applied twice" under the worst case: the ledger process is killed with
// SIGKILL (no drain, no offset commit) in the middle of a stream of payment events, and a new
// process picks up from the last committed offset. Inbox + same-transaction posting must make
// every payment post exactly once.
describe('the ledger killed mid-stream of payment events', () => {
  let database: TestDatabase;
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase(['ledger']);
    env = {
      DATABASE_URL: database.serviceUrls.ledger ?? '',
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      GRPC_HOST: '127.0.0.1',
      PLATFORM_ADMIN_TOKEN: adminToken,
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    await Promise.all(
      started.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }),
    );
    await database?.drop();
  });

  async function count(sql: string, params: unknown[]): Promise<number> {
    const client = new Client({ connectionString: database.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(sql, params);
      return Number(rows[0]?.n ?? 0);
    } finally {
      await client.end();
    }
  }

  // Long: after a SIGKILL the group waits out the dead member's session (15 s) before the new
  // process gets its partitions.
  it('posts every payment exactly once after a restart', async () => {
    const first = await startLedger(env, port);
    const { tenantId, ledgerId, vendor, customer } = await setUpBook(first.address, adminToken);

    const kafka = createKafka({ clientId: 'e2e-crash', brokers: testKafkaBrokers() });
    const producer = createEventProducer(kafka);
    await producer.connect();
    const messages = Array.from({ length: EVENTS }, (_, index) => {
      const paymentId = randomUUID();
      const record = encodeEvent(PAYMENTS_EVENTS_TOPIC, {
        key: `order-${index}`,
        id: `payment-captured:${paymentId}`,
        source: '/e2e/orders',
        time: new Date(),
        schema: PaymentCapturedSchema,
        message: create(PaymentCapturedSchema, {
          tenantId,
          paymentId,
          orderId: `order-${index}`,
          vendorExternalId: vendor,
          customerExternalId: customer,
          paymentMethod: 'card',
          lines: [
            {
              product: 'mug',
              netAmount: { amount: '10.00', currency: 'EUR' },
              taxAmount: { amount: '1.90', currency: 'EUR' },
            },
          ],
          captureTime: timestampNow(),
        }),
      });
      return { key: record.key, value: record.value, headers: record.headers };
    });
    for (let start = 0; start < messages.length; start += 500) {
      await producer.send({
        topic: PAYMENTS_EVENTS_TOPIC.name,
        acks: -1,
        messages: messages.slice(start, start + 500),
      });
    }
    await producer.disconnect();

    const entries = () =>
      count('SELECT count(*) AS n FROM ledger.entries WHERE ledger_id = $1', [ledgerId]);
    await eventually(
      async () => ((await entries()) >= KILL_AFTER_ENTRIES ? true : undefined),
      60_000,
    );
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    const atKill = await entries();
    expect(atKill).toBeLessThan(2 * EVENTS); // the kill really came mid-stream

    await startLedger(env, port);
    // Each payment posts a sale and its payment: 2 entries per event.
    await eventually(async () => ((await entries()) >= 2 * EVENTS ? true : undefined), 120_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // room for a wrongful repeat

    expect(await entries()).toBe(2 * EVENTS);
    expect(
      await count(
        'SELECT count(DISTINCT idempotency_key) AS n FROM ledger.entries WHERE ledger_id = $1',
        [ledgerId],
      ),
    ).toBe(2 * EVENTS);
    // Revenue is exactly the nets: 3,000 × 10.00, to the cent.
    const revenue = await count(
      `SELECT sum(CASE WHEN l.side = 'credit' THEN l.amount ELSE -l.amount END) * 100 AS n
         FROM ledger.entry_lines l JOIN ledger.accounts a ON a.id = l.account_id
        WHERE l.ledger_id = $1 AND a.code = '4000'`,
      [ledgerId],
    );
    expect(revenue).toBe(EVENTS * 1000);
  }, 300_000);
});

async function setUpBook(address: string, adminToken: string) {
  const admin = createClient(TenantService, address, {
    token: adminToken,
    defaultDeadlineMs: 10_000,
  });
  const suffix = randomUUID().slice(0, 8);
  const { tenant } = await admin.createTenant({ slug: `crash-${suffix}`, name: 'Crash test' });
  const tenantId = tenant?.id ?? '';
  const { token } = await admin.issueApiKey({ tenantId, label: 'e2e' });
  admin.close();
  const options = { token, defaultDeadlineMs: 10_000 };
  const organizations = createClient(OrganizationService, address, options);
  const ledgers = createClient(LedgerService, address, options);
  const periods = createClient(PeriodService, address, options);
  try {
    const vendor = `V-${suffix}`;
    const customer = `C-${suffix}`;
    const { organization: owner } = await organizations.createOrganization({
      externalId: vendor,
      kind: OrganizationKind.VENDOR,
      name: 'Vendor',
    });
    await organizations.createOrganization({
      externalId: customer,
      kind: OrganizationKind.CUSTOMER,
      name: 'Customer',
    });
    const { ledger } = await ledgers.createLedger({
      requestId: suffix,
      name: 'Book',
      baseCurrency: 'EUR',
      ownerOrganizationId: owner?.id ?? '',
      createDefaultChart: true,
    });
    const ledgerId = ledger?.id ?? '';
    await organizations.setPrimaryLedger({ organizationId: owner?.id ?? '', ledgerId });
    const year = new Date().getUTCFullYear();
    await periods.createFiscalYear({
      ledgerId,
      name: `FY${year}`,
      startMonth: `${year}-01`,
      monthCount: 12,
      journals: [
        { symbol: 'SALES', name: 'Sales' },
        { symbol: 'BANK', name: 'Bank' },
      ],
    });
    return { tenantId, ledgerId, vendor, customer };
  } finally {
    organizations.close();
    ledgers.close();
    periods.close();
  }
}
