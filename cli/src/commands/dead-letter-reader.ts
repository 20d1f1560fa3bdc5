import { randomUUID } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { type IHeaders, type Kafka } from 'kafkajs';
import { ALL_TOPICS } from '@kontor/events';
import { CloudEventHeader, DeadLetterHeader, deadLetterTopicName, headerText } from '@kontor/kafka';
import { CliError, ExitCode } from '../exit-codes';
import { connectKafka } from './kafka-access';

const READ_TIMEOUT_MS = 15_000;

export interface DeadLetter {
  partition: number;
  offset: string;
  type: string;
  eventId: string;
  /** The tenant the event is for; empty when the record cannot be decoded as its type. */
  tenantId: string;
  key: string;
  reason: string;
  error: string;
  failedAt: string;
}

/** Which dead letters to show: one tenant's, or every tenant's (the platform admin). */
export type DeadLetterFilter = { tenantId: string } | 'all-tenants';

// The dead-letter headers do not name the tenant, but every Kontor event carries `tenant_id`:
// the payload is decoded with the schema its ce_type names. A record that cannot be decoded
// (the poison kind of dead letter) has no tenant, so only the all-tenants listing shows it.
function tenantOf(topic: string, headers: IHeaders | undefined, value: Buffer | null): string {
  const type = headerText(headers, CloudEventHeader.type) ?? '';
  const schema = ALL_TOPICS.find((known) => known.name === topic)?.schemaFor(type);
  if (!schema || !value) return '';
  try {
    const message = fromBinary(schema, value) as { tenantId?: unknown };
    return typeof message.tenantId === 'string' ? message.tenantId : '';
  } catch {
    return '';
  }
}

/**
 * The dead letters of `topic` not yet replayed: from the replay group's committed offsets (the
 * ones `ReplayDeadLetters` uses) to the end of each partition, up to `limit` of those `filter`
 * lets through. Reads with a throwaway group that never commits, and removes it afterwards.
 */
export async function readDeadLetters(
  kafka: Kafka,
  brokers: string[],
  topic: string,
  limit: number,
  filter: DeadLetterFilter,
): Promise<DeadLetter[]> {
  const dlq = deadLetterTopicName(topic);
  const admin = kafka.admin();
  await connectKafka(admin, brokers);
  try {
    if (!(await admin.listTopics()).includes(dlq)) return [];
    const ranges = await pendingRanges(admin, dlq);
    if (ranges.size === 0) return [];
    const wanted = (letter: DeadLetter) =>
      filter === 'all-tenants' || letter.tenantId === filter.tenantId;
    return await readRanges(kafka, admin, { topic, dlq, ranges, limit, wanted });
  } finally {
    await admin.disconnect();
  }
}

type Admin = ReturnType<Kafka['admin']>;

async function pendingRanges(admin: Admin, dlq: string) {
  const ends = await admin.fetchTopicOffsets(dlq);
  const [committed] = await admin.fetchOffsets({
    groupId: `kontor.replay.${dlq}`,
    topics: [dlq],
  });
  const ranges = new Map<number, { from: bigint; end: bigint }>();
  for (const partition of ends) {
    const low = BigInt(partition.low);
    const done = committed?.partitions.find((p) => p.partition === partition.partition)?.offset;
    const from = done !== undefined && done !== '-1' && BigInt(done) > low ? BigInt(done) : low;
    const end = BigInt(partition.high);
    if (from < end) ranges.set(partition.partition, { from, end });
  }
  return ranges;
}

interface ReadPlan {
  topic: string;
  dlq: string;
  ranges: Map<number, { from: bigint; end: bigint }>;
  limit: number;
  wanted: (letter: DeadLetter) => boolean;
}

async function readRanges(
  kafka: Kafka,
  admin: Admin,
  { topic, dlq, ranges, limit, wanted }: ReadPlan,
): Promise<DeadLetter[]> {
  const groupId = `kontor-cli.inspect.${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const letters: DeadLetter[] = [];
  const open = new Set(ranges.keys());
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: dlq, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new CliError(ExitCode.unavailable, `reading ${dlq} timed out`)),
        READ_TIMEOUT_MS,
      );
      const finish = () => {
        clearTimeout(timer);
        resolve();
      };
      consumer
        .run({
          autoCommit: false,
          eachMessage: ({ partition, message }) => {
            const range = ranges.get(partition);
            const offset = BigInt(message.offset);
            if (!range || offset < range.from || !open.has(partition)) return Promise.resolve();
            const letter: DeadLetter = {
              partition,
              offset: message.offset,
              type: headerText(message.headers, CloudEventHeader.type) ?? '',
              eventId: headerText(message.headers, CloudEventHeader.id) ?? '',
              tenantId: tenantOf(topic, message.headers, message.value),
              key: message.key?.toString('utf8') ?? '',
              reason: headerText(message.headers, DeadLetterHeader.reason) ?? '',
              error: headerText(message.headers, DeadLetterHeader.error) ?? '',
              failedAt: headerText(message.headers, DeadLetterHeader.failedAt) ?? '',
            };
            if (letters.length < limit && wanted(letter)) letters.push(letter);
            if (offset + 1n >= range.end) open.delete(partition);
            if (open.size === 0 || letters.length >= limit) finish();
            return Promise.resolve();
          },
        })
        .then(() => {
          for (const [partition, range] of ranges) {
            consumer.seek({ topic: dlq, partition, offset: range.from.toString() });
          }
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return letters.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
}
