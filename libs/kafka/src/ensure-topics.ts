import { type Admin, type ITopicConfig, type Kafka } from 'kafkajs';
import { nestLogger, type EventLogger } from './logger';
import { assertPartitionCount, type TopicDefinition } from './topic';

export interface EnsureTopicsOptions {
  /** Partition counts by topic name (main or `.dlq`), e.g. from the environment. */
  partitionsOverride?: Record<string, number>;
  /** Defaults to 1 (a single broker); production passes 3. */
  replicationFactor?: number;
  /** Partitions of each `<topic>.dlq` unless overridden; default 1 (replay reads it in order). */
  deadLetterPartitions?: number;
  logger?: EventLogger;
}

export interface TopicPartitionsMismatch {
  topic: string;
  expected: number;
  actual: number;
}

export interface EnsureTopicsResult {
  created: string[];
  existing: string[];
  /** Existing topics whose partition count differs from the config; left as they are. */
  mismatched: TopicPartitionsMismatch[];
}

const CREATE_ROUNDS_MAX = 3;

interface WantedTopic {
  topic: string;
  partitions: number;
  config: Readonly<Record<string, string>>;
}

function wantedTopics(
  topics: readonly TopicDefinition[],
  options: EnsureTopicsOptions,
): WantedTopic[] {
  const override = options.partitionsOverride ?? {};
  const wanted: WantedTopic[] = [];
  for (const topic of topics) {
    wanted.push({
      topic: topic.name,
      partitions: override[topic.name] ?? topic.partitions,
      config: topic.config,
    });
    wanted.push({
      topic: topic.deadLetterTopic,
      partitions: override[topic.deadLetterTopic] ?? options.deadLetterPartitions ?? 1,
      config: {},
    });
  }
  for (const { topic, partitions } of wanted) assertPartitionCount(topic, partitions);
  const names = new Set(wanted.map((entry) => entry.topic));
  for (const name of Object.keys(override)) {
    if (!names.has(name)) throw new Error(`partitionsOverride names unknown topic "${name}"`);
  }

  return [...new Map(wanted.map((entry) => [entry.topic, entry])).values()];
}

async function createMissing(
  admin: Admin,
  wanted: WantedTopic[],
  replicationFactor: number,
): Promise<string[]> {
  const created: string[] = [];
  // Another service may create the same topics at the same moment; kafkajs then fails the
  // whole request, so list again and create what is still missing.
  for (let round = 1; ; round++) {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((entry) => !existing.has(entry.topic));
    if (missing.length === 0) return created;
    const request: ITopicConfig[] = missing.map((entry) => ({
      topic: entry.topic,
      numPartitions: entry.partitions,
      replicationFactor,
      configEntries: Object.entries(entry.config).map(([name, value]) => ({ name, value })),
    }));
    try {
      await admin.createTopics({ topics: request, waitForLeaders: true });
      created.push(...missing.map((entry) => entry.topic));

      return created;
    } catch (error) {
      if (round >= CREATE_ROUNDS_MAX) throw error;
    }
  }
}

/**
 * Creates the missing topics and their `<topic>.dlq` with the configured partition counts.
 * Idempotent; an existing topic is never altered (adding partitions would reshuffle keys), a
 * partition count that differs from the config is reported and logged instead.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly TopicDefinition[],
  options: EnsureTopicsOptions = {},
): Promise<EnsureTopicsResult> {
  const logger = options.logger ?? nestLogger('Kafka');
  const wanted = wantedTopics(topics, options);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await createMissing(admin, wanted, options.replicationFactor ?? 1);
    const metadata = await admin.fetchTopicMetadata({ topics: wanted.map((entry) => entry.topic) });
    const actual = new Map(metadata.topics.map((topic) => [topic.name, topic.partitions.length]));
    const mismatched: TopicPartitionsMismatch[] = [];
    for (const entry of wanted) {
      const count = actual.get(entry.topic) ?? 0;
      if (count !== entry.partitions) {
        mismatched.push({ topic: entry.topic, expected: entry.partitions, actual: count });
      }
    }
    for (const mismatch of mismatched) {
      logger.warn('topic partition count differs from the config; left unchanged', {
        ...mismatch,
      });
    }
    if (created.length > 0) logger.info('created topics', { topics: created });
    const createdSet = new Set(created);

    return {
      created,
      existing: wanted.map((entry) => entry.topic).filter((topic) => !createdSet.has(topic)),
      mismatched,
    };
  } finally {
    await admin.disconnect();
  }
}
