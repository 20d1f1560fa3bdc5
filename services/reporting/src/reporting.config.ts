import { serviceEnvSchema } from '@kontor/service-kit';

export const reportingEnvSchema = serviceEnvSchema(50054);

export type ReportingEnv = ReturnType<typeof reportingEnvSchema.parse>;
