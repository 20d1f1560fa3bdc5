import { CONSUMED_TOPICS } from '@kontor/events';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { type INestMicroservice } from '@nestjs/common';
import { type GenService, type GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { ImportService } from '@kontor/contracts/imports/v1/import_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import {
  API_KEY_VERIFIER,
  checkHealth,
  createClient,
  createGrpcMicroservice,
  GrpcCallError,
  GrpcStatus,
  type GrpcClient,
} from '@kontor/grpc';
import {
  builtServiceEntry,
  createTestDatabase,
  serverAdminUrl,
  startPlatform,
  testKafkaBrokers,
  type RunningPlatform,
  type TestDatabase,
} from '@kontor/testing';
import { AppModule } from '../../src/app.module';
import { importEnvSchema } from '../../src/import.config';
import { IMPORT_CHANNEL_OPTIONS, IMPORT_ERRORS, IMPORT_SERVICES } from '../../src/imports.module';

export interface TestTenant {
  id: string;
  token: string;
}

export interface ImportPlatform {
  database: TestDatabase;
  ledgerAddress: string;
  importAddress: string;
  client<S extends GenServiceMethods>(
    contract: GenService<S>,
    token: string,
    address?: string,
  ): GrpcClient<S>;
  /** A tenant with an API key the import service already accepts. */
  newTenant(): Promise<TestTenant>;
  /** SQL as the superuser on the test database (both schemas). */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** The import service's environment, to start another (spawned) instance on the same data. */
  importEnv: Record<string, string>;
  /** The spawned import process (spawned platforms only). */
  importProcess(): ChildProcess | undefined;
  /** The in-process import service's Nest app (in-process platforms only). */
  importApp(): INestMicroservice | undefined;
  /** SIGKILL to the spawned import, then a new one on the same port and data. */
  killAndRestartImport(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real ledger (built, spawned by startPlatform) and the import service in-process on a fresh
 * database and the run's Kafka, sharing an internal service token.
 */
export interface ImportPlatformOptions {
  /** Run the built import service as a child process (kill-and-resume) instead of in-process. */
  spawned?: boolean;
}

export async function startImportPlatform(
  options: ImportPlatformOptions = {},
): Promise<ImportPlatform> {
  const database = await createTestDatabase(['ledger', 'import']);
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const serviceToken = `kontor_service_${randomBytes(24).toString('base64url')}`;
  const ledger: RunningPlatform = await startPlatform({
    serverUrl: serverAdminUrl(),
    database: database.name,
    kafkaBrokers: testKafkaBrokers().join(','),
    adminToken,
    services: ['ledger'],
    // Earlier test files' events first, so no test spends its time budget on them.
    caughtUp: CONSUMED_TOPICS,
    env: { LOG_LEVEL: 'warn' },
    internalServiceToken: serviceToken,
    onOutput: (_service, line) => {
      if (/"level":"(error|fatal)"/.test(line)) process.stderr.write(`ledger | ${line}\n`);
    },
  });
  const ledgerAddress = ledger.addresses.ledger!;
  const importEnv = {
    DATABASE_URL: database.serviceUrls.import!,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    GRPC_HOST: '127.0.0.1',
    GRPC_PORT: '0',
    LOG_LEVEL: 'warn',
    LEDGER_GRPC_ADDRESS: ledgerAddress,
    INTERNAL_SERVICE_TOKEN: serviceToken,
  };
  const app = options.spawned
    ? await runImportSpawned(importEnv)
    : await runImportInProcess(importEnv);
  const clients: { close(): void }[] = [];
  const client = <S extends GenServiceMethods>(
    contract: GenService<S>,
    token: string,
    address = app.address,
  ) => {
    const created = createClient(contract, address, { token, defaultDeadlineMs: 120_000 });
    clients.push(created);

    return created;
  };

  return {
    database,
    ledgerAddress,
    importAddress: app.address,
    client,
    importEnv,
    async newTenant() {
      const admin = client(TenantService, adminToken, ledgerAddress);
      const slug = `t-${randomUUID().slice(0, 8)}`;
      const { tenant } = await admin.createTenant({ slug, name: `Tenant ${slug}` });
      const { token } = await admin.issueApiKey({ tenantId: tenant!.id, label: 'test' });
      await untilAccepted(client(ImportService, token));

      return { id: tenant!.id, token };
    },
    query: (sql, params) => query(database.adminUrl, sql, params),
    importProcess: () => app.child,
    importApp: () => app.app,
    async killAndRestartImport() {
      const child = app.child!;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      app.child = await spawnImport(importEnv, app.port);
    },
    async stop() {
      for (const created of clients) created.close();
      await app.close();
      await ledger.stop();
      await database.drop();
    },
  };
}

async function runImportInProcess(rawEnv: Record<string, string>) {
  const env = importEnvSchema.parse(rawEnv);
  const { app, server } = await createGrpcMicroservice(AppModule.forRoot(env), {
    address: `${env.GRPC_HOST}:${env.GRPC_PORT}`,
    services: IMPORT_SERVICES,
    auth: { verifier: API_KEY_VERIFIER },
    errors: { domain: 'import.kontor', mappings: IMPORT_ERRORS },
    channelOptions: IMPORT_CHANNEL_OPTIONS,
    shutdownGraceMs: 5_000,
    nest: { logger: ['error'] },
  });
  await app.listen();

  return {
    address: `${env.GRPC_HOST}:${server.boundPort}`,
    port: server.boundPort!,
    child: undefined as ChildProcess | undefined,
    app: app as INestMicroservice | undefined,
    close: () => app.close(),
  };
}

async function runImportSpawned(env: Record<string, string>) {
  const port = await freePort();
  const running = {
    address: `127.0.0.1:${port}`,
    port,
    child: (await spawnImport(env, port)) as ChildProcess | undefined,
    app: undefined as INestMicroservice | undefined,
    async close() {
      const child = running.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };

  return running;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** The key reaches the import service's replica through Kafka: wait until it is accepted. */
async function untilAccepted(imports: GrpcClient<(typeof ImportService)['method']>) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await imports.listProfiles({});
      return;
    } catch (error) {
      const unknownKey =
        error instanceof GrpcCallError && error.code === GrpcStatus.UNAUTHENTICATED;
      if (!unknownKey || attempt > 150) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

export async function query<Row>(url: string, sql: string, params: unknown[] = []): Promise<Row[]> {
  const connection = new Client({ connectionString: url });
  await connection.connect();
  try {
    return (await connection.query(sql, params)).rows as Row[];
  } finally {
    await connection.end();
  }
}

/** The built import service as its own process (kill-and-resume tests). */
export async function spawnImport(
  env: Record<string, string>,
  port: number,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [builtServiceEntry('import')], {
    env: { ...process.env, ...env, GRPC_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) =>
    process.stderr.write(`import(child) | ${chunk.toString()}`),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`import exited with ${child.exitCode}`);
    const status = await checkHealth(`127.0.0.1:${port}`, '', 1_000).catch(() => 'UNREACHABLE');
    if (status === 'SERVING') return child;
    if (Date.now() > deadline) throw new Error('spawned import service not SERVING after 60 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
