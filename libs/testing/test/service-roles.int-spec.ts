import { Client } from 'pg';
import { localServiceRole, provisionServiceRoles } from '@kontor/db';
import { createTestDatabase, serverAdminUrl, type TestDatabase } from '../src';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<Record<string, unknown>>(sql);
    return result.rows;
  } finally {
    await client.end();
  }
}

describe('service database roles', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(['ledger', 'reporting']);
  });
  afterAll(() => database.drop());

  it('lets a service create and use tables in its own schema by default', async () => {
    const url = database.serviceUrls.ledger!;
    await query(url, 'CREATE TABLE accounts (id int primary key)');
    await query(url, 'INSERT INTO accounts VALUES (1)');
    const rows = await query(database.adminUrl, 'SELECT id FROM ledger.accounts');
    expect(rows).toEqual([{ id: 1 }]);
  });

  it("refuses a service access to another service's schema", async () => {
    await query(database.serviceUrls.ledger!, 'CREATE TABLE IF NOT EXISTS secrets (id int)');
    await expect(
      query(database.serviceUrls.reporting!, 'SELECT * FROM ledger.secrets'),
    ).rejects.toThrow(/permission denied for schema ledger/);
  });

  it('refuses a service to create tables in the public schema', async () => {
    await expect(
      query(database.serviceUrls.reporting!, 'CREATE TABLE public.leak (id int)'),
    ).rejects.toThrow(/permission denied for schema public/);
  });

  it('provisioning the same database again keeps its data', async () => {
    await provisionServiceRoles(serverAdminUrl(), database.name, [
      localServiceRole(database.name, 'ledger'),
    ]);
    const rows = await query(database.adminUrl, 'SELECT count(*)::int AS n FROM ledger.accounts');
    expect(rows).toEqual([{ n: 1 }]);
  });
});
