import { type Kafka } from 'kafkajs';
import { createKafka } from '@kontor/kafka';
import { CliError, ExitCode } from '../exit-codes';

// Quiet: kafkajs's own chatter would drown the one line a CLI user should see.
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

export function cliKafka(brokers: string[]): Kafka {
  return createKafka({
    clientId: 'kontor-cli',
    brokers,
    logger: silent,
    connectionTimeoutMs: 3_000,
  });
}

/** Connects a producer, consumer or admin, or says in one line which brokers did not answer. */
export async function connectKafka(client: { connect(): Promise<void> }, brokers: string[]) {
  try {
    await client.connect();
  } catch (error) {
    throw new CliError(
      ExitCode.unavailable,
      `cannot reach Kafka at ${brokers.join(',')} (${(error as Error).message}); ` +
        'pass --kafka-brokers or set KONTOR_KAFKA_BROKERS',
    );
  }
}
