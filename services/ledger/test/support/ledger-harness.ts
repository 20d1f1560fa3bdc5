import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type GenService, type GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { createClient, type GrpcClient } from '@kontor/grpc';
import { createTestDatabase, testKafkaBrokers, type TestDatabase } from '@kontor/testing';
import { runLedgerForTest, type RunningLedger } from './run-ledger';

export interface TestTenant {
  id: string;
  token: string;
}

export interface LedgerHarness {
  database: TestDatabase;
  address: string;
  adminToken: string;
  /** A gRPC client of this ledger; token = the caller's bearer token (none = anonymous). */
  client<S extends GenServiceMethods>(contract: GenService<S>, token?: string): GrpcClient<S>;
  /** A new tenant with an API key, through the admin API. */
  newTenant(): Promise<TestTenant>;
  /** SQL as the superuser, for assertions behind the service's back. */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Starts a second instance of the service on the same database (concurrency tests). */
  startAnotherInstance(): Promise<RunningLedger>;
  stop(): Promise<void>;
}

/**
 * The ledger service in-process on a fresh database, served over real gRPC on a free port, with
 * its outbox relay publishing to the run's Kafka. One per test file (beforeAll / afterAll).
 */
export async function startLedgerHarness(): Promise<LedgerHarness> {
  const database = await createTestDatabase(['ledger']);
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const env = {
    DATABASE_URL: database.serviceUrls.ledger!,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    PLATFORM_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'warn',
  };
  const instances = [await runLedgerForTest(env)];
  const clients: { close(): void }[] = [];
  const address = instances[0].address;
  const client = <S extends GenServiceMethods>(contract: GenService<S>, token?: string) => {
    const created = createClient(contract, address, { token, defaultDeadlineMs: 30_000 });
    clients.push(created);

    return created;
  };

  return {
    database,
    address,
    adminToken,
    client,
    async newTenant() {
      const admin = client(TenantService, adminToken);
      const slug = `t-${randomUUID().slice(0, 8)}`;
      const { tenant } = await admin.createTenant({ slug, name: `Tenant ${slug}` });
      const { token } = await admin.issueApiKey({ tenantId: tenant!.id, label: 'test' });

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
    async startAnotherInstance() {
      const instance = await runLedgerForTest({ ...env, MIGRATE_ON_START: 'false' });
      instances.push(instance);

      return instance;
    },
    async stop() {
      for (const created of clients) created.close();
      for (const instance of instances) await instance.stop();
      await database.drop();
    },
  };
}
