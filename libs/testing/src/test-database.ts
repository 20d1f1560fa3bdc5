import { randomBytes } from 'node:crypto';
import {
  dropDatabase,
  localServiceRole,
  provisionServiceRoles,
  type ServiceName,
} from '@kontor/db';

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Database name, unique to this test run. */
  name: string;
  /** Superuser URL of the fresh database (for assertions that look behind a service's back). */
  adminUrl: string;
  /** Each requested service's own-role URL, ready to hand to the service as DATABASE_URL. */
  serviceUrls: Partial<Record<ServiceName, string>>;
  drop(): Promise<void>;
}

/** The server the test run was given (npm test sets DATABASE_URL), else the local one. */
export function serverAdminUrl(): string {
  return process.env['DATABASE_URL'] ?? LOCAL_POSTGRES;
}

/**
 * A fresh database with the services' roles and schemas, so each test file starts from nothing
 * and test runs never see each other's rows. Call drop() in afterAll.
 */
export async function createTestDatabase(services: ServiceName[]): Promise<TestDatabase> {
  const name = `kontor_test_${randomBytes(5).toString('hex')}`;
  const serverUrl = serverAdminUrl();
  const roles = services.map((service) => localServiceRole(name, service));
  const provisioned = await provisionServiceRoles(serverUrl, name, roles);
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = `/${name}`;

  return {
    name,
    adminUrl: adminUrl.toString(),
    serviceUrls: Object.fromEntries(services.map((service, i) => [service, provisioned[i]?.url])),
    drop: () =>
      dropDatabase(
        serverUrl,
        name,
        roles.map((role) => role.role),
      ),
  };
}
