import { spawn } from 'node:child_process';
import { Client } from 'pg';
import {
  builtServiceEntry,
  createTestDatabase,
  serverAdminUrl,
  startPlatform,
  testKafkaBrokers,
  type TestDatabase,
} from '@kontor/testing';

interface Exit {
  code: number | null;
  output: string;
}

function runLedger(args: string[], env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtServiceEntry('ledger'), ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

// What an operator meets before any rpc: the process's own contract for config and migrations.
describe('a service process', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(['ledger']);
  });
  afterAll(() => database.drop());

  it('refuses to start with bad config, naming every problem, with exit code 78', async () => {
    const { code, output } = await runLedger([], { KAFKA_BROKERS: 'no-port', GRPC_PORT: 'x' });

    expect(code).toBe(78);
    expect(output).toContain('Invalid configuration for ledger');
    expect(output).toContain('DATABASE_URL: is required but missing');
    expect(output).toContain('PLATFORM_ADMIN_TOKEN: is required but missing');
    expect(output).toMatch(/KAFKA_BROKERS\.0: each broker must be host:port/);
    expect(output).toMatch(/GRPC_PORT: /);
    expect(output).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('applies its migrations with `migrate` and exits, and a second run applies none', async () => {
    const env = { DATABASE_URL: database.serviceUrls.ledger! };

    const first = await runLedger(['migrate'], env);
    const second = await runLedger(['migrate'], env);

    expect(first.code).toBe(0);
    expect(first.output).toMatch(/applied [1-9]\d* migrations Migration/);
    expect(second.code).toBe(0);
    expect(second.output).toMatch(/applied 0 migrations/);
    const client = new Client({ connectionString: database.adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'ledger' ORDER BY 1`,
      );
      // The service's own tables, its migrations table and the outbox/inbox, all in its schema.
      expect(rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining([
          'entries',
          'inbox',
          'ledgers',
          'mikro_orm_migrations',
          'outbox',
          'tenants',
        ]),
      );
    } finally {
      await client.end();
    }
  });

  it('rejects an unknown command with a usage line and exit code 64', async () => {
    const { code, output } = await runLedger(['serv'], {});

    expect(code).toBe(64);
    expect(output).toContain('usage: ledger [serve|migrate]');
  });

  it('drains and exits with code 0 on SIGTERM', async () => {
    const platform = await startPlatform({
      serverUrl: serverAdminUrl(),
      database: database.name,
      kafkaBrokers: testKafkaBrokers().join(','),
      adminToken: 'kontor_admin_test_token_0123456789abcdef',
      services: ['ledger'],
      onOutput: () => undefined,
    });

    await expect(platform.stop()).resolves.toEqual({ ledger: 0 });
  });
});
