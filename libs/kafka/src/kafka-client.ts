import { Kafka, logLevel } from 'kafkajs';
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
