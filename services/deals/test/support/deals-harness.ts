import { CONSUMED_TOPICS } from '@kontor/events';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type GenService, type GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { DealService } from '@kontor/contracts/deals/v1/deal_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { createClient, GrpcCallError, GrpcStatus, type GrpcClient } from '@kontor/grpc';
import {
  createTestDatabase,
  serverAdminUrl,
  startPlatform,
  testKafkaBrokers,
  waitForConsumersCaughtUp,
  type RunningPlatform,
  type TestDatabase,
} from '@kontor/testing';
import { runDealsForTest, type RunningDeals } from './run-deals';

export interface TestTenant {
  id: string;
  token: string;
}

export interface DealsHarness {
  database: TestDatabase;
  /** A client of the (built, spawned) ledger service. */
  ledger<S extends GenServiceMethods>(contract: GenService<S>, token: string): GrpcClient<S>;
  /** A client of the in-process deals service. */
  deals(token?: string): GrpcClient<typeof DealService.method>;
  /** A tenant with an API key, known to the deals service's key replica when this returns. */
  newTenant(): Promise<TestTenant>;
  /** SQL as the superuser on the test database. */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Stops the deals service and starts it again on the same database (restart tests). */
  restartDeals(): Promise<void>;
  stop(): Promise<void>;
}

/** For beforeAll: starting the harness includes working through earlier test files' events. */
export const HARNESS_START_TIMEOUT_MS = 360_000;

const POLL_MS = 100;
const POLL_ATTEMPTS = 600;

/**
 * Polls until `probe` returns a value (not undefined): for state that arrives through Kafka.
 * A probe's error fails at once; after POLL_ATTEMPTS it gives up, so a broken flow fails rather
 * than hangs.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let attempt = 0; attempt < POLL_ATTEMPTS; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/**
 * The real stack for deals tests: a fresh database, the built ledger spawned as a process, and
 * the deals service in-process (so a test can restart it), all on the run's Kafka.
 */
export async function startDealsHarness(): Promise<DealsHarness> {
  const database = await createTestDatabase(['ledger', 'deals']);
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const kafkaBrokers = testKafkaBrokers().join(',');
  const platform: RunningPlatform = await startPlatform({
    serverUrl: serverAdminUrl(),
    database: database.name,
    kafkaBrokers,
    adminToken,
    services: ['ledger'],
    caughtUp: CONSUMED_TOPICS,
    env: { LOG_LEVEL: 'warn' },
    onOutput: (service, line) => {
      if (/"level":"(error|fatal)"/.test(line)) process.stderr.write(`${service} | ${line}\n`);
    },
  });
  const env = {
    DATABASE_URL: database.serviceUrls.deals!,
    KAFKA_BROKERS: kafkaBrokers,
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    LOG_LEVEL: 'warn',
  };
  let deals: RunningDeals = await runDealsForTest(env);
  // Earlier test files' events come first: work through them before any test starts its clock.
  await waitForConsumersCaughtUp(testKafkaBrokers(), 'deals', CONSUMED_TOPICS.deals);
  const clients: { close(): void }[] = [];
  const keep = <C extends { close(): void }>(client: C) => {
    clients.push(client);

    return client;
  };
  const dealsClient = (token?: string) =>
    keep(createClient(DealService, deals.address, { token, defaultDeadlineMs: 60_000 }));
  const ledger = <S extends GenServiceMethods>(contract: GenService<S>, token: string) =>
    keep(createClient(contract, platform.addresses.ledger!, { token, defaultDeadlineMs: 30_000 }));

  return {
    database,
    ledger,
    deals: dealsClient,
    async newTenant() {
      const admin = ledger(TenantService, adminToken);
      const slug = `t-${randomUUID().slice(0, 8)}`;
      const { tenant } = await admin.createTenant({ slug, name: `Tenant ${slug}` });
      const { token } = await admin.issueApiKey({ tenantId: tenant!.id, label: 'test' });
      const client = dealsClient(token);
      await eventually(async () => {
        try {
          await client.listDeals({});

          return true;
        } catch (error) {
          if (error instanceof GrpcCallError && error.code === GrpcStatus.UNAUTHENTICATED) {
            return undefined;
          }
          throw error;
        }
      }, 'the API key to reach the deals service');

      return { id: tenant!.id, token };
    },
    async query<Row>(sql: string, params: unknown[] = []) {
      const connection = new Client({ connectionString: database.adminUrl });
      await connection.connect();
      try {
        return (await connection.query(sql, params)).rows as Row[];
      } finally {
        await connection.end();
      }
    },
    async restartDeals() {
      await deals.stop();
      deals = await runDealsForTest({ ...env, MIGRATE_ON_START: 'false' });
    },
    async stop() {
      for (const client of clients) client.close();
      await deals.stop();
      await platform.stop();
      await database.drop();
    },
  };
}
