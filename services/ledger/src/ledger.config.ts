import { secret } from '@kontor/config';
import { serviceEnvSchema } from '@kontor/service-kit';

export const ledgerEnvSchema = serviceEnvSchema(50051).extend({
  /** The platform admin credential: creates tenants and issues their API keys. */
  PLATFORM_ADMIN_TOKEN: secret(32),
});

export type LedgerEnv = ReturnType<typeof ledgerEnvSchema.parse>;
