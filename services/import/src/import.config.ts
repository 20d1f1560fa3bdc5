import { serviceEnvSchema } from '@kontor/service-kit';

export const importEnvSchema = serviceEnvSchema(50052);

export type ImportEnv = ReturnType<typeof importEnvSchema.parse>;
