import { CONSUMED_TOPICS } from '@kontor/events';
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { type GenService, type GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { dropDatabase, localServiceRole } from '@kontor/db';
import { createClient, type GrpcClient } from '@kontor/grpc';
import {
  serverAdminUrl,
  startPlatform,
  testKafkaBrokers,
  type RunningPlatform,
} from '@kontor/testing';

export interface TestTenant {
  id: string;
  token: string;
}

export type PlatformService = 'ledger' | 'reporting' | 'deals';

export interface ReportingPlatform {
  database: string;
  address(service: PlatformService): string;
  client<S extends GenServiceMethods>(
    service: PlatformService,
    contract: GenService<S>,
    token?: string,
  ): GrpcClient<S>;
  newTenant(): Promise<TestTenant>;
  /** SQL as the superuser in the platform's database. */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  stop(): Promise<void>;
}

/**
 * The built ledger and reporting services (and with `deals: true` the deals service) as child
 * processes on a database of their own and the run's Kafka: reports are tested on the real path
 * (ledger → outbox → Kafka → reporting; deals → deals.settlements.v1 → reporting).
 */
export async function startReportingPlatform(
  options: { deals?: boolean } = {},
): Promise<ReportingPlatform> {
  const SERVICES: PlatformService[] = options.deals
    ? ['ledger', 'deals', 'reporting']
    : ['ledger', 'reporting'];
  const database = `kontor_rep_${randomBytes(4).toString('hex')}`;
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const output: string[] = [];
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({
      serverUrl: serverAdminUrl(),
      database,
      kafkaBrokers: testKafkaBrokers().join(','),
      adminToken,
      services: [...SERVICES],
      // Earlier test files' events first, so no test spends its time budget on them.
      caughtUp: CONSUMED_TOPICS,
      env: { LOG_LEVEL: 'warn' },
      onOutput: (service, line) => output.push(`${service} | ${line}`),
    });
  } catch (error) {
    console.error(output.join('\n'));
    throw error;
  }
  const clients: { close(): void }[] = [];
  const address = (service: PlatformService) => platform.addresses[service]!;
  const client = <S extends GenServiceMethods>(
    service: PlatformService,
    contract: GenService<S>,
    token?: string,
  ) => {
    const created = createClient(contract, address(service), { token, defaultDeadlineMs: 30_000 });
    clients.push(created);

    return created;
  };

  return {
    database,
    address,
    client,
    async newTenant() {
      const admin = client('ledger', TenantService, adminToken);
      const slug = `t-${randomUUID().slice(0, 8)}`;
      const { tenant } = await admin.createTenant({ slug, name: `Tenant ${slug}` });
      const { token } = await admin.issueApiKey({ tenantId: tenant!.id, label: 'test' });

      return { id: tenant!.id, token };
    },
    async query<Row>(sql: string, params: unknown[] = []) {
      const url = new URL(serverAdminUrl());
      url.pathname = `/${database}`;
      const connection = new Client({ connectionString: url.toString() });
      await connection.connect();
      try {
        return (await connection.query(sql, params)).rows as Row[];
      } finally {
        await connection.end();
      }
    },
    async stop() {
      for (const created of clients) created.close();
      const ended = await platform.stop();
      await dropDatabase(
        serverAdminUrl(),
        database,
        SERVICES.map((service) => localServiceRole(database, service).role),
      );
      if (Object.values(ended).some((code) => code !== 0)) {
        console.error(`services ended with ${JSON.stringify(ended)}\n${output.join('\n')}`);
      }
    },
  };
}
