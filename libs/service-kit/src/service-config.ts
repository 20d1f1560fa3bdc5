import { z } from 'zod';
import { booleanFlag, kafkaBrokers, logLevel, port, postgresUrl } from '@kontor/config';

// The variables every Kontor service reads. Each service extends this with its own; the deploy
// manifests are checked against the same definitions.
export function serviceEnvSchema(grpcPortDefault: number) {
  return z.object({
    /** The service's own database role (it can touch only the service's schema). */
    DATABASE_URL: postgresUrl,
    /** Comma-separated host:port list. */
    KAFKA_BROKERS: kafkaBrokers,
    GRPC_PORT: port(grpcPortDefault),
    /** Interface to listen on; 0.0.0.0 in containers. */
    GRPC_HOST: z.string().min(1).default('0.0.0.0'),
    LOG_LEVEL: logLevel,
    /** Apply pending migrations at start; deploys may run `migrate` as a separate job instead. */
    MIGRATE_ON_START: booleanFlag(true),
    /** How long in-flight calls and events may take to finish at shutdown. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    /** Partition counts overriding the catalogue, e.g. `ledger.ledgers.v1=12,ledger.tenants.v1=6`. */
    KAFKA_TOPIC_PARTITIONS: z
      .string()
      .default('')
      .transform((value, context) => parsePartitions(value, context)),
  });
}

export type ServiceEnv = z.infer<ReturnType<typeof serviceEnvSchema>>;

function parsePartitions(value: string, context: z.RefinementCtx): Record<string, number> {
  const partitions: Record<string, number> = {};
  for (const pair of value.split(',').filter((part) => part.trim() !== '')) {
    const match = /^\s*([a-z0-9.-]+)=(\d{1,4})\s*$/.exec(pair);
    if (!match?.[1] || !match[2]) {
      context.addIssue({ code: 'custom', message: `"${pair}" is not topic=partitions` });
      continue;
    }
    partitions[match[1]] = Number(match[2]);
  }

  return partitions;
}
