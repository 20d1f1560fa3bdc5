import { type IHeaders, type Kafka, type KafkaMessage } from 'kafkajs';
import { createEventProducer } from './kafka-client';
import { describeError, type PoisonReason } from './event-errors';
import { nestLogger, type EventLogger } from './logger';
import { assertTopicName, deadLetterTopicName, type TopicDefinition } from './topic';

/** Why a record went to `<topic>.dlq`: a poison reason, a permanent error, or retries ran out. */
export type DeadLetterReason = PoisonReason | 'permanent_error' | 'retries_exhausted';

export const DeadLetterHeader = {
  reason: 'dlq_reason',
  error: 'dlq_error',
  sourceTopic: 'dlq_source_topic',
  partition: 'dlq_partition',
  offset: 'dlq_offset',
  failedAt: 'dlq_failed_at',
} as const;

const DEAD_LETTER_HEADER_PREFIX = 'dlq_';

export interface DeadLetterContext {
  reason: DeadLetterReason;
  error: unknown;
  sourceTopic: string;
  partition: number;
  offset: string;
  failedAt: Date;
}

/** The original headers without any earlier `dlq_*` ones (a replayed record may fail again). */
export function withoutDeadLetterHeaders(headers: IHeaders | undefined): IHeaders {
  const kept: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!name.startsWith(DEAD_LETTER_HEADER_PREFIX)) kept[name] = value;
  }

  return kept;
}

/** Original headers plus the `dlq_*` ones that say where the record came from and why. */
export function deadLetterHeaders(
  headers: IHeaders | undefined,
  context: DeadLetterContext,
): IHeaders {
  return {
    ...withoutDeadLetterHeaders(headers),
    [DeadLetterHeader.reason]: context.reason,
    [DeadLetterHeader.error]: describeError(context.error),
    [DeadLetterHeader.sourceTopic]: context.sourceTopic,
    [DeadLetterHeader.partition]: String(context.partition),
    [DeadLetterHeader.offset]: context.offset,
    [DeadLetterHeader.failedAt]: context.failedAt.toISOString(),
  };
}

export interface ReplayDeadLettersOptions {
  /** Most records to re-publish in this run. */
  limit: number;
  /** Remembers how far replays got; default `kontor.replay.<topic>.dlq`. */
  groupId?: string;
  /** Gives up waiting for records after this long; default 60 s. */
  timeoutMs?: number;
  logger?: EventLogger;
}

export interface ReplayDeadLettersResult {
  replayed: number;
  /** Records that were in the dead-letter topic when the replay began and are still unreplayed. */
  remaining: number;
}

interface PartitionRange {
  next: bigint;
  end: bigint;
}

async function pendingRanges(
  kafka: Kafka,
  topic: string,
  groupId: string,
): Promise<Map<number, PartitionRange>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedBy = new Map(
      (committed?.partitions ?? []).map((entry) => [entry.partition, BigInt(entry.offset)]),
    );
    const ranges = new Map<number, PartitionRange>();
    for (const { partition, low, high } of ends) {
      const lowOffset = BigInt(low);
      const done = committedBy.get(partition) ?? -1n;
      ranges.set(partition, { next: done > lowOffset ? done : lowOffset, end: BigInt(high) });
    }

    return ranges;
  } finally {
    await admin.disconnect();
  }
}

/** The records of one fetched batch still to replay: inside the range and the limit. */
function selectForReplay(
  messages: KafkaMessage[],
  range: PartitionRange,
  room: number,
): KafkaMessage[] {
  const selected: KafkaMessage[] = [];
  for (const message of messages) {
    const offset = BigInt(message.offset);
    if (offset < range.next) continue;
    if (offset >= range.end || selected.length >= room) break;
    selected.push(message);
  }

  return selected;
}

function countPending(ranges: Map<number, PartitionRange>): number {
  let pending = 0n;
  for (const { next, end } of ranges.values()) if (end > next) pending += end - next;

  return Number(pending);
}

/**
 * Re-publishes up to `limit` records from `<topic>.dlq` to `<topic>` with their original key,
 * value and headers (the `dlq_*` ones removed), oldest first, and remembers the position in a
 * consumer group so the next run continues after them. Records that reach the dead-letter topic
 * after the replay began are left for the next run. Consumers de-duplicate by ce_id, so an
 * event that had been applied after all is not applied twice.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  topic: TopicDefinition | string,
  options: ReplayDeadLettersOptions,
): Promise<ReplayDeadLettersResult> {
  const target = typeof topic === 'string' ? topic : topic.name;
  assertTopicName(target);
  const source = deadLetterTopicName(target);
  const groupId = options.groupId ?? `kontor.replay.${source}`;
  const logger = options.logger ?? nestLogger('DeadLetters');
  const ranges = await pendingRanges(kafka, source, groupId);
  const pending = countPending(ranges);
  if (pending === 0 || options.limit <= 0) return { replayed: 0, remaining: pending };

  const producer = createEventProducer(kafka);
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 500 });
  let replayed = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const caughtUp = (): boolean =>
    replayed >= options.limit || [...ranges.values()].every((range) => range.next >= range.end);
  try {
    await producer.connect();
    await consumer.connect();
    await consumer.subscribe({ topic: source, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const range = ranges.get(batch.partition);
        if (range === undefined) return;
        const selected = selectForReplay(batch.messages, range, options.limit - replayed);
        const last = selected.at(-1);
        if (last !== undefined) {
          await producer.send({
            topic: target,
            acks: -1,
            messages: selected.map((message) => ({
              key: message.key,
              value: message.value,
              headers: withoutDeadLetterHeaders(message.headers),
            })),
          });
          range.next = BigInt(last.offset) + 1n;
          payload.resolveOffset(last.offset);
          await payload.commitOffsetsIfNecessary({
            topics: [
              {
                topic: source,
                partitions: [{ partition: batch.partition, offset: range.next.toString() }],
              },
            ],
          });
          replayed += selected.length;
        }
        if (caughtUp()) finish();
      },
    });
    if (caughtUp()) finish();
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(finish, timeoutMs);
    await finished;
    clearTimeout(timer);
    if (!caughtUp()) logger.warn('dead-letter replay timed out', { topic: source, timeoutMs });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  logger.info('replayed dead letters', { topic: source, replayed });

  return { replayed, remaining: pending - replayed };
}
