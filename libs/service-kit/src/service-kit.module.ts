import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type MigrationObject } from '@mikro-orm/core';
import { type EntityManager, MikroORM, type Options } from '@mikro-orm/postgresql';
import { type Kafka } from 'kafkajs';
import { migrateUp, serviceOrmConfig, SERVICE_SCHEMAS, type ServiceName } from '@kontor/db';
import { API_KEY_VERIFIER } from '@kontor/grpc';
import {
  createKafka,
  ensureTopics,
  EventConsumer,
  type EventConsumerOptions,
  nestLogger,
  OutboxRelay,
  type EventHandler,
  type TopicDefinition,
  type TopicEvent,
} from '@kontor/kafka';
import { LEDGER_TENANTS_TOPIC } from '@kontor/events';
import { applyApiKeyIssued, applyApiKeyRevoked, SqlApiKeyVerifier } from '@kontor/tenancy';
import { type ServiceEnv } from './service-config';

export const KAFKA = Symbol('KAFKA');
export const EVENT_CONSUMERS = Symbol('EVENT_CONSUMERS');
const SERVICE_KIT_OPTIONS = Symbol('SERVICE_KIT_OPTIONS');

/** A topic this service consumes and what it does with each event (inside the inbox transaction). */
export interface ConsumerBinding<T extends TopicDefinition = TopicDefinition> {
  topic: T;
  handle: EventHandler<T>;
  /** Optional: applies consecutive events at once (see EventConsumer's groupHandler). */
  handleGroup?: (events: TopicEvent<T>[], em: EntityManager) => Promise<void>;
  /** Optional tuning of the consumer (EventConsumer's defaults otherwise). */
  tuning?: ConsumerTuning;
}

/** Group size and partition parallelism of one consumer (see EventConsumerOptions). */
export type ConsumerTuning = Pick<
  EventConsumerOptions<TopicDefinition>,
  'groupEventsMax' | 'partitionsConsumedConcurrently'
>;

export function consumeTopic<T extends TopicDefinition>(
  topic: T,
  handle: EventHandler<T>,
  handleGroup?: ConsumerBinding<T>['handleGroup'],
  tuning?: ConsumerTuning,
): ConsumerBinding {
  return { topic, handle, handleGroup, tuning } as unknown as ConsumerBinding;
}

export interface ServiceKitOptions {
  service: ServiceName;
  env: ServiceEnv;
  entities: NonNullable<Options['entities']>;
  migrations: MigrationObject[];
  /** Topics this service publishes to or consumes (created if missing). */
  topics: TopicDefinition[];
  /** Runs the outbox relay: the service publishes events. */
  publishesEvents: boolean;
  /**
   * Keeps a replica of API key hashes from `ledger.tenants.v1` so callers are authenticated
   * locally; every service but the ledger (which owns the keys) needs it.
   */
  replicatesApiKeys: boolean;
}

export interface ServiceOrmParts {
  service: ServiceName;
  databaseUrl: string;
  entities: NonNullable<Options['entities']>;
  migrations: MigrationObject[];
}

export function ormOptions(options: ServiceOrmParts): Options {
  return serviceOrmConfig({
    schema: SERVICE_SCHEMAS[options.service],
    databaseUrl: options.databaseUrl,
    entities: options.entities,
    migrations: options.migrations,
  });
}

/** Starts the service's Kafka side once the app is up and stops it before the database closes. */
@Injectable()
class EventRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventRuntime.name);
  private readonly consumers: EventConsumer<TopicDefinition>[] = [];
  private relay: OutboxRelay | null = null;

  constructor(
    @Inject(SERVICE_KIT_OPTIONS) private readonly options: ServiceKitOptions,
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly orm: MikroORM,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { service, env, topics } = this.options;
    const allTopics = this.options.replicatesApiKeys ? [...topics, LEDGER_TENANTS_TOPIC] : topics;
    await ensureTopics(this.kafka, allTopics, {
      partitionsOverride: env.KAFKA_TOPIC_PARTITIONS,
      logger: nestLogger('Topics'),
    });
    if (this.options.publishesEvents) {
      this.relay = new OutboxRelay({
        databaseUrl: env.DATABASE_URL,
        kafka: this.kafka,
        source: `/kontor/${service}`,
        logger: nestLogger('OutboxRelay'),
      });
      await this.relay.start();
    }
    const consumers = this.bindings().map(
      (binding) =>
        new EventConsumer({
          kafka: this.kafka,
          topic: binding.topic,
          service,
          em: this.orm.em,
          handler: binding.handle,
          groupHandler: binding.handleGroup,
          ...binding.tuning,
          logger: nestLogger(`Consumer ${binding.topic.name}`),
        }),
    );
    this.consumers.push(...consumers);
    // Together: after a crash each group waits out the dead member's session before it admits
    // the new one, and one at a time those waits would add up.
    await Promise.all(consumers.map((consumer) => consumer.start()));
    this.logger.log(
      `events: ${this.consumers.length} consumers, relay ${this.relay ? 'on' : 'off'}`,
    );
  }

  // Runs after the gRPC server drained; consumers finish their in-flight event before stopping.
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    await this.relay?.stop();
  }

  // A service that consumes nothing simply provides no EVENT_CONSUMERS; several modules of one
  // service may each provide theirs (each: true collects them all, not just the first found).
  private registeredBindings(): ConsumerBinding[] {
    try {
      return this.moduleRef
        .get<ConsumerBinding[]>(EVENT_CONSUMERS, { strict: false, each: true })
        .flat();
    } catch {
      return [];
    }
  }

  private bindings(): ConsumerBinding[] {
    const own = this.registeredBindings();
    if (!this.options.replicatesApiKeys) return own;
    const apiKeys = consumeTopic(LEDGER_TENANTS_TOPIC, async (event, em) => {
      switch (event.message.$typeName) {
        case 'kontor.events.v1.ApiKeyIssued':
          return applyApiKeyIssued(em, event.message);
        case 'kontor.events.v1.ApiKeyRevoked':
          return applyApiKeyRevoked(em, event.message);
      }
    });

    return [...own, apiKeys];
  }
}

@Injectable()
class OrmCloser implements OnApplicationShutdown {
  constructor(private readonly orm: MikroORM) {}

  async onApplicationShutdown(): Promise<void> {
    await this.orm.close();
  }
}

/** Database, Kafka, API key verification and event plumbing shared by every Kontor service. */
@Module({})
export class ServiceKitModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    return {
      module: ServiceKitModule,
      global: true,
      providers: [
        { provide: SERVICE_KIT_OPTIONS, useValue: options },
        {
          provide: MikroORM,
          useFactory: async () => {
            const orm = await MikroORM.init(
              ormOptions({ ...options, databaseUrl: options.env.DATABASE_URL }),
            );
            if (options.env.MIGRATE_ON_START) {
              const applied = await migrateUp(orm);
              new Logger('Migrations').log(
                `applied ${applied.length}: ${applied.join(', ') || 'none pending'}`,
              );
            }

            return orm;
          },
        },
        {
          provide: KAFKA,
          useFactory: () =>
            createKafka({
              clientId: options.service,
              brokers: options.env.KAFKA_BROKERS,
              logger: nestLogger('kafkajs'),
            }),
        },
        {
          provide: API_KEY_VERIFIER,
          useFactory: (orm: MikroORM) => new SqlApiKeyVerifier(orm),
          inject: [MikroORM],
        },
        EventRuntime,
        OrmCloser,
      ],
      exports: [MikroORM, KAFKA, API_KEY_VERIFIER],
    };
  }
}
