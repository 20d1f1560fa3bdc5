import { type ServiceDatabaseRole } from './provision';

// Which schema each service owns. One place, so provisioning, deploy manifests and tests agree.
export const SERVICE_SCHEMAS = {
  ledger: 'ledger',
  import: 'imports',
  deals: 'deals',
  reporting: 'reporting',
} as const;

export type ServiceName = keyof typeof SERVICE_SCHEMAS;
export const SERVICE_NAMES = Object.keys(SERVICE_SCHEMAS) as ServiceName[];

/**
 * Roles for local development and tests: `<database>_<service>` with a fixed password. Production
 * roles and passwords come from the deployment's secrets instead.
 */
export function localServiceRole(database: string, service: ServiceName): ServiceDatabaseRole {
  const role = `${database}_${service}`;

  return { schema: SERVICE_SCHEMAS[service], role, password: `${role}-local` };
}
