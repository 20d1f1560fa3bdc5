import { type Admin, type ITopicConfig, type Kafka } from 'kafkajs';
import { backoffDelayMs, sleep, type RetryPolicy } from './backoff';
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
/** A topic another client has just created reaches the broker's metadata a moment later. */
const METADATA_RETRY: RetryPolicy = { attempts: 10, initialDelayMs: 100, delayMaxMs: 2_000 };

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
 * The topics' metadata, retried while the broker answers "unknown topic or partition" (or
 * another retriable error): on a fresh KRaft broker a topic created by another service is listed
 * before every broker serves its partitions.
 */
async function topicMetadata(admin: Admin, wanted: WantedTopic[]) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicMetadata({ topics: wanted.map((entry) => entry.topic) });
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt >= METADATA_RETRY.attempts) throw error;
      await sleep(backoffDelayMs(METADATA_RETRY, attempt));
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
    const metadata = await topicMetadata(admin, wanted);
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
