import { secret } from '@kontor/config';
import { serviceEnvSchema } from '@kontor/service-kit';

export const ledgerEnvSchema = serviceEnvSchema(50051).extend({
  /** The platform admin credential: creates tenants and issues their API keys. */
  PLATFORM_ADMIN_TOKEN: secret(32),
  /**
   * Shared with Kontor's own services (import): a call bearing it acts for the tenant named in
   * its `kontor-tenant-id` metadata. Unset: no service can call the ledger for a tenant.
   */
  INTERNAL_SERVICE_TOKEN: secret(32).optional(),
});

export type LedgerEnv = ReturnType<typeof ledgerEnvSchema.parse>;
