import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { kafkajsLogCreator, nestLogger, type EventLogger } from './logger';

export interface KafkaClientOptions {
  /** Shows in broker logs and quotas, e.g. `ledger`. */
  clientId: string;
  brokers: string[];
  logger?: EventLogger;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** A kafkajs client whose own log lines (warn and above) go to the service's logger. */
export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    logLevel: logLevel.WARN,
    logCreator: kafkajsLogCreator(options.logger ?? nestLogger('kafkajs')),
  });
}

/**
 * The one producer configuration for events: idempotent, one request in flight so retries cannot
 * reorder a key's records, never auto-creating topics, and kafkajs 2's default (murmur2, Java
 * compatible) partitioner chosen explicitly.
 */
export function createEventProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}
