import { serviceEnvSchema } from '@kontor/service-kit';

export const dealsEnvSchema = serviceEnvSchema(50053);

export type DealsEnv = ReturnType<typeof dealsEnvSchema.parse>;
