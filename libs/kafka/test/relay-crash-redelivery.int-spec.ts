import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { type EntityManager } from '@mikro-orm/postgresql';
import { type Kafka, type Producer } from 'kafkajs';
import { enqueueEvent, ensureTopics, EventConsumer, OutboxRelay } from '../src';
import {
  countFor,
  openTestDb,
  recordingLogger,
  TEST_SOURCE,
  testKafka,
  testProducer,
  testTopic,
  TopicTap,
  waitFor,
  type TestDb,
  type TestTopic,
} from './support/harness';

// At-least-once publishing meets exactly-once applying: the relay's database session dies after
// Kafka acknowledged the batch but before the rows were marked published, so it sends them again;
// the consumer's inbox turns the second copy into a no-op.
describe('outbox relay crash between send and mark', () => {
  const topic = testTopic('crash', 1);
  let db: TestDb;
  let kafka: Kafka;
  let realProducer: Producer;
  let tap: TopicTap;
  let relay: OutboxRelay;
  let consumer: EventConsumer<TestTopic>;
  const relayLogger = recordingLogger();
  let crashes = 0;

  beforeAll(async () => {
    kafka = testKafka();
    [db] = await Promise.all([
      openTestDb(),
      ensureTopics(kafka, [topic], { logger: recordingLogger() }),
    ]);
    realProducer = testProducer(kafka);
    await realProducer.connect();
    const crashingProducer: Producer = {
      ...realProducer,
      sendBatch: async (batch) => {
        const sent = await realProducer.sendBatch(batch);
        if (crashes === 0) {
          crashes++;
          await db.admin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = $1 AND application_name = 'kontor-outbox-relay'`,
            [db.database.name],
          );
        }

        return sent;
      },
    };
    tap = await TopicTap.start(kafka, [topic.name]);
    relay = new OutboxRelay({
      databaseUrl: db.serviceUrl,
      kafka,
      source: TEST_SOURCE,
      producer: crashingProducer,
      backoff: { initialDelayMs: 50, delayMaxMs: 200 },
      logger: relayLogger,
    });
    consumer = new EventConsumer({
      kafka,
      topic,
      service: 'ledger',
      em: db.orm.em,
      handler: async (event, em: EntityManager) => {
        await em.execute('INSERT INTO effects (event_id, value) VALUES (?, ?)', [event.id, 'x']);
      },
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
      fetchWaitMaxMs: 100,
      logger: recordingLogger(),
    });
    await Promise.all([relay.start(), consumer.start()]);
  });
  afterAll(async () => {
    await relay.stop();
    await consumer.stop();
    await realProducer.disconnect();
    await tap.stop();
    await db.close();
  });

  function enqueue(value: string): Promise<{ id: string }> {
    return db.orm.em.fork().transactional((em) =>
      enqueueEvent(em, topic, {
        key: 'ledger-1',
        schema: StringValueSchema,
        message: create(StringValueSchema, { value }),
      }),
    );
  }

  it('re-sends the rows, and the consumer applies the event once', async () => {
    const { id } = await enqueue('crash me');

    const copies = await tap.waitForRecord(topic.name, id, 2);
    const marker = await enqueue('after the crash');
    await waitFor('marker applied', async () => (await countFor(db, 'inbox', marker.id)) > 0);

    expect(copies.map((copy) => copy.headers['ce_id'])).toEqual([id, id]);
    expect(await countFor(db, 'effects', id)).toBe(1);
    expect(await countFor(db, 'inbox', id)).toBe(1);
    const { rows } = await db.admin.query(
      'SELECT 1 FROM ledger.outbox WHERE event_id = $1 AND published_at IS NOT NULL',
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(relayLogger.lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'outbox relay failed; retrying' }),
    );
  });
});
