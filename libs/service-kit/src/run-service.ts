import {
  ConsoleLogger,
  type DynamicModule,
  type INestMicroservice,
  Logger,
  type LogLevel,
} from '@nestjs/common';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { type DescService } from '@bufbuild/protobuf';
import { ConfigError, loadConfig, postgresUrl } from '@kontor/config';
import { migrateUp } from '@kontor/db';
import {
  API_KEY_VERIFIER,
  createGrpcMicroservice,
  type ErrorStatusMapperOptions,
  type KontorGrpcServerOptions,
} from '@kontor/grpc';
import { z, type ZodType } from 'zod';
import { type ServiceEnv } from './service-config';

export interface ServiceRunOptions<Env extends ServiceEnv> {
  service: string;
  envSchema: ZodType<Env>;
  appModule: (env: Env) => DynamicModule;
  /** The ORM options for the `migrate` command, built from the database URL alone. */
  ormOptions: (databaseUrl: string) => Options;
  grpc: {
    services: readonly DescService[];
    errors: ErrorStatusMapperOptions;
    adminToken?: (env: Env) => string;
    /** The secret other Kontor services present to act for a tenant (see @kontor/grpc). */
    internalServiceToken?: (env: Env) => string | undefined;
    /** grpc-js server options, e.g. a larger grpc.max_receive_message_length for uploads. */
    channelOptions?: KontorGrpcServerOptions['channelOptions'];
  };
}

const LOG_LEVELS: Record<ServiceEnv['LOG_LEVEL'], LogLevel[]> = {
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
};

// Exit codes from sysexits.h, so a supervisor can tell bad config from a crash.
const EXIT_USAGE = 64;
const EXIT_CONFIG = 78;
const EXIT_SOFTWARE = 70;
// Beyond the gRPC drain: consumers finishing an event, the relay's batch, closing the pool.
export const SHUTDOWN_SLACK_MS = 10_000;

/**
 * The entry point of every service: `serve` (default) runs the gRPC server with its events;
 * `migrate` applies pending migrations and exits (the deploy job before a rollout).
 */
export async function runService<Env extends ServiceEnv>(
  options: ServiceRunOptions<Env>,
): Promise<void> {
  const command = process.argv[2] ?? 'serve';
  try {
    if (command === 'migrate') return await migrate(options);
    if (command === 'serve') return await serve(options);
    console.error(`usage: ${options.service} [serve|migrate]`);
    process.exitCode = EXIT_USAGE;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = EXIT_CONFIG;
  }
}

async function migrate<Env extends ServiceEnv>(options: ServiceRunOptions<Env>): Promise<void> {
  const env = loadConfig(options.service, z.object({ DATABASE_URL: postgresUrl }));
  const orm = await MikroORM.init(options.ormOptions(env.DATABASE_URL));
  try {
    const applied = await migrateUp(orm);
    new Logger('Migrations').log(
      `${options.service}: applied ${applied.length} migrations ${applied.join(', ')}`,
    );
  } finally {
    await orm.close();
  }
}

async function serve<Env extends ServiceEnv>(options: ServiceRunOptions<Env>): Promise<void> {
  const env = loadConfig(options.service, options.envSchema);
  const logger = new ConsoleLogger(options.service, {
    json: true,
    logLevels: LOG_LEVELS[env.LOG_LEVEL],
  });
  const { app, server } = await createGrpcMicroservice(options.appModule(env), {
    address: `${env.GRPC_HOST}:${env.GRPC_PORT}`,
    services: options.grpc.services,
    auth: {
      verifier: API_KEY_VERIFIER,
      adminToken: options.grpc.adminToken?.(env),
      internalServiceToken: options.grpc.internalServiceToken?.(env),
    },
    errors: options.grpc.errors,
    channelOptions: options.grpc.channelOptions,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    nest: { logger },
  });
  await app.listen();
  logger.log(`${options.service} serving gRPC on ${env.GRPC_HOST}:${server.boundPort}`);
  stopOnSignals(app, logger, env.SHUTDOWN_GRACE_MS);
}

// Our own signal handling rather than Nest's shutdown hooks, which re-raise the signal after
// closing: a drained service should exit 0, and one that cannot drain in time should say so.
function stopOnSignals(app: INestMicroservice, logger: ConsoleLogger, graceMs: number): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: draining in-flight calls and events`);
    const overdue = setTimeout(() => {
      logger.error(`shutdown did not finish within ${graceMs + SHUTDOWN_SLACK_MS} ms; exiting`);
      process.exit(EXIT_SOFTWARE);
    }, graceMs + SHUTDOWN_SLACK_MS);
    overdue.unref();
    await app.close();
    logger.log('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, (s) => void stop(s));
}
