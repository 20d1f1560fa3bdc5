import { z } from 'zod';
import { secret } from '@kontor/config';
import { serviceEnvSchema } from '@kontor/service-kit';

export const importEnvSchema = serviceEnvSchema(50052).extend({
  /** The ledger's gRPC address; committed rows post through its EntryService. */
  LEDGER_GRPC_ADDRESS: z.string().min(1).default('127.0.0.1:50051'),
  /**
   * Shared with the ledger: lets the import post a job's rows for its tenant (also after a
   * restart, when no caller's key is at hand). Unset: jobs can be validated only against the
   * profile, and committing fails with LEDGER_UNAVAILABLE.
   */
  INTERNAL_SERVICE_TOKEN: secret(32).optional(),
});

export type ImportEnv = ReturnType<typeof importEnvSchema.parse>;
