import { randomBytes } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { StringValueSchema, TimestampSchema } from '@bufbuild/protobuf/wkt';
import { Migration } from '@mikro-orm/migrations';
import { MikroORM } from '@mikro-orm/postgresql';
import { type IHeaders, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { Pool } from 'pg';
import { migrateUp, serviceOrmConfig } from '@kontor/db';
import { createTestDatabase, testKafkaBrokers, type TestDatabase } from '@kontor/testing';
import {
  createKafka,
  defineTopic,
  encodeEvent,
  headersAsText,
  OutboxInboxMigration,
  type EventLogger,
  type LogFields,
} from '../../src';

/** A lower-case suffix that keeps topics and groups of concurrent runs apart. */
export function runSuffix(): string {
  return randomBytes(4)
    .toString('hex')
    .replace(/^[0-9]/, 'a');
}

export const TEST_SOURCE = '/kontor/kafka-test';

/** A topic of this run carrying two well-known message types. */
export function testTopic(dataset: string, partitions = 1) {
  return defineTopic({
    name: `kafkatest.${dataset}-${runSuffix()}.v1`,
    partitions,
    messages: [StringValueSchema, TimestampSchema],
  });
}
export type TestTopic = ReturnType<typeof testTopic>;

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: LogFields;
}

/** Keeps log lines in memory (tests assert on them); KAFKA_TEST_LOGS=1 also prints them. */
export function recordingLogger(): EventLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const print = process.env['KAFKA_TEST_LOGS'] === '1';
  const add = (level: LogLine['level']) => (message: string, fields?: LogFields) => {
    lines.push({ level, message, fields });
    if (print) console.log(level, message, fields ?? '');
  };

  return { lines, info: add('info'), warn: add('warn'), error: add('error') };
}

export function testKafka(logger: EventLogger = recordingLogger()): Kafka {
  return createKafka({ clientId: 'kafka-int-test', brokers: testKafkaBrokers(), logger });
}

// Tables only the tests use: `notes` is a business write beside the outbox row, `effects`
// records every handler run (no unique key, so a double application would show).
class TestTablesMigration extends Migration {
  override up(): void {
    this.addSql('CREATE TABLE notes (id text PRIMARY KEY, body text NOT NULL)');
    this.addSql(
      'CREATE TABLE effects (id bigserial PRIMARY KEY, event_id text NOT NULL, value text NOT NULL)',
    );
  }
}

export interface TestDb {
  database: TestDatabase;
  orm: MikroORM;
  /** Superuser pool for looking behind the service's back. */
  admin: Pool;
  serviceUrl: string;
  close(): Promise<void>;
}

/** A fresh database, migrated with the library's outbox/inbox migration as a service would. */
export async function openTestDb(): Promise<TestDb> {
  const database = await createTestDatabase(['ledger']);
  const serviceUrl = database.serviceUrls.ledger;
  if (serviceUrl === undefined) throw new Error('no ledger role URL');
  const orm = await MikroORM.init(
    serviceOrmConfig({
      schema: 'ledger',
      databaseUrl: serviceUrl,
      entities: [],
      migrations: [
        { name: 'Migration20250101000000_outbox_inbox', class: OutboxInboxMigration },
        { name: 'Migration20250101000001_test_tables', class: TestTablesMigration },
      ],
    }),
  );
  await migrateUp(orm);
  const admin = new Pool({ connectionString: database.adminUrl, max: 2 });

  return {
    database,
    orm,
    admin,
    serviceUrl,
    close: async () => {
      await orm.close(true);
      await admin.end();
      await database.drop();
    },
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface TappedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Collects every record of some topics from the beginning, with one consumer-group join for a
 * whole test file instead of one per assertion.
 */
export class TopicTap {
  readonly records: TappedRecord[] = [];

  private constructor(private readonly consumer: ReturnType<Kafka['consumer']>) {}

  static async start(kafka: Kafka, topics: string[]): Promise<TopicTap> {
    const consumer = kafka.consumer({
      groupId: `kafkatest.tap-${runSuffix()}`,
      allowAutoTopicCreation: false,
      sessionTimeout: 6_000,
      heartbeatInterval: 500,
      maxWaitTimeInMs: 100,
    });
    const tap = new TopicTap(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        tap.records.push(tapped(topic, partition, message));

        return Promise.resolve();
      },
    });

    return tap;
  }

  recordsOf(topic: string, eventId?: string): TappedRecord[] {
    return this.records.filter(
      (record) =>
        record.topic === topic && (eventId === undefined || record.headers['ce_id'] === eventId),
    );
  }

  waitForRecord(topic: string, eventId: string, count = 1): Promise<TappedRecord[]> {
    return waitFor(`${count} record(s) of ${eventId} on ${topic}`, () => {
      const found = this.recordsOf(topic, eventId);

      return found.length >= count ? found : undefined;
    });
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

function tapped(topic: string, partition: number, message: KafkaMessage): TappedRecord {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString('utf8') ?? null,
    value: message.value,
    headers: headersAsText(message.headers),
  };
}

/** Sends a well-formed StringValue event straight to Kafka, bypassing the outbox. */
export async function sendStringEvent(
  producer: Producer,
  topic: TestTopic,
  value: string,
  options: { id?: string; key?: string } = {},
): Promise<string> {
  const id = options.id ?? `event-${runSuffix()}`;
  const record = encodeEvent(topic, {
    key: options.key ?? 'aggregate-1',
    schema: StringValueSchema,
    message: create(StringValueSchema, { value }),
    id,
    source: TEST_SOURCE,
    time: new Date(),
  });
  await producer.send({ topic: topic.name, acks: -1, messages: [record] });

  return id;
}

/** Sends "ok" events with the given ids in one send, so a consumer fetches them as one batch. */
export async function sendStringEvents(
  producer: Producer,
  topic: TestTopic,
  ids: readonly string[],
): Promise<void> {
  const messages = ids.map((id) =>
    encodeEvent(topic, {
      key: 'aggregate-1',
      schema: StringValueSchema,
      message: create(StringValueSchema, { value: 'ok' }),
      id,
      source: TEST_SOURCE,
      time: new Date(),
    }),
  );
  await producer.send({ topic: topic.name, acks: -1, messages });
}

/** Sends a record with arbitrary headers and value (for poison messages); returns its offset. */
export async function sendRawRecord(
  producer: Producer,
  topic: string,
  value: Buffer,
  headers: IHeaders,
): Promise<{ partition: number; offset: string }> {
  const [sent] = await producer.send({
    topic,
    acks: -1,
    messages: [{ key: 'aggregate-1', value, headers }],
  });
  if (sent?.baseOffset === undefined) throw new Error('the broker returned no offset');

  return { partition: sent.partition, offset: sent.baseOffset };
}

/** Counts rows of a ledger-schema table for one event id. */
export async function countFor(db: TestDb, table: 'effects' | 'inbox', eventId: string) {
  const { rows } = await db.admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ledger.${table} WHERE event_id = $1`,
    [eventId],
  );

  return rows[0]?.n ?? 0;
}

export function testProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
}
