import { CONSUMED_TOPICS } from '@kontor/events';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type GenService, type GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { createClient, type GrpcClient } from '@kontor/grpc';
import { dropDatabase, localServiceRole, SERVICE_NAMES, type ServiceName } from '@kontor/db';
import {
  serverAdminUrl,
  startPlatform,
  testKafkaBrokers,
  type RunningPlatform,
} from '@kontor/testing';

export interface PlatformFixture {
  database: string;
  adminToken: string;
  address(service: ServiceName): string;
  /** A client of a service, closed by stop(); token = the caller's bearer token, if any. */
  client<S extends GenServiceMethods>(
    service: ServiceName,
    contract: GenService<S>,
    token?: string,
  ): GrpcClient<S>;
  /** Runs SQL as the superuser in the platform's database, to look behind the services' backs. */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  stop(): Promise<void>;
}

/** All four built services on free ports, on a database of their own, against the run's Kafka. */
export async function startPlatformFixture(): Promise<PlatformFixture> {
  const database = `kontor_e2e_${randomBytes(4).toString('hex')}`;
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const output: string[] = [];
  let platform: RunningPlatform;
  try {
    platform = await startPlatform({
      serverUrl: serverAdminUrl(),
      database,
      kafkaBrokers: testKafkaBrokers().join(','),
      adminToken,
      // Earlier test files' events first, so no test spends its time budget on them.
      caughtUp: CONSUMED_TOPICS,
      env: { LOG_LEVEL: 'warn' },
      onOutput: (service, line) => output.push(`${service} | ${line}`),
    });
  } catch (error) {
    // What the services said is the only clue to a failed start.
    console.error(output.join('\n'));
    throw error;
  }
  const clients: { close(): void }[] = [];
  const address = (service: ServiceName) => platform.addresses[service]!;

  return {
    database,
    adminToken,
    address,
    client(service, contract, token) {
      const client = createClient(contract, address(service), { token, defaultDeadlineMs: 10_000 });
      clients.push(client);

      return client;
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
      for (const client of clients) client.close();
      await platform.stop();
      await dropDatabase(
        serverAdminUrl(),
        database,
        SERVICE_NAMES.map((service) => localServiceRole(database, service).role),
      );
    },
  };
}

export { eventually } from '@kontor/testing';
