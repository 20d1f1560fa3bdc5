import { type EntityManager } from '@mikro-orm/postgresql';
import { type Kafka, type Producer } from 'kafkajs';
import {
  ensureTopics,
  EventConsumer,
  PermanentEventError,
  replayDeadLetters,
  type TopicEvent,
} from '../src';
import {
  countFor,
  openTestDb,
  recordingLogger,
  sendStringEvent,
  testKafka,
  testProducer,
  testTopic,
  TopicTap,
  waitFor,
  type TestDb,
  type TestTopic,
} from './support/harness';

describe(replayDeadLetters.name, () => {
  const topic = testTopic('replayed', 2);
  const organizationsWithoutLedger = new Set(['org-1']);
  let db: TestDb;
  let kafka: Kafka;
  let producer: Producer;
  let tap: TopicTap;
  let consumer: EventConsumer<TestTopic>;

  async function handler(event: TopicEvent<TestTopic>, em: EntityManager): Promise<void> {
    if (event.message.$typeName !== 'google.protobuf.StringValue') return;
    const organization = event.message.value;
    if (organizationsWithoutLedger.has(organization)) {
      throw new PermanentEventError(`organization ${organization} has no primary ledger`);
    }
    await em.execute('INSERT INTO effects (event_id, value) VALUES (?, ?)', [
      event.id,
      organization,
    ]);
  }

  beforeAll(async () => {
    kafka = testKafka();
    [db] = await Promise.all([
      openTestDb(),
      ensureTopics(kafka, [topic], { logger: recordingLogger() }),
    ]);
    producer = testProducer(kafka);
    await producer.connect();
    tap = await TopicTap.start(kafka, [topic.name, topic.deadLetterTopic]);
    consumer = new EventConsumer({
      kafka,
      topic,
      service: 'ledger',
      em: db.orm.em,
      handler,
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
      fetchWaitMaxMs: 100,
      logger: recordingLogger(),
    });
    await consumer.start();
  });
  afterAll(async () => {
    await consumer.stop();
    await tap.stop();
    await producer.disconnect();
    await db.close();
  });

  it('re-publishes dead letters, oldest first up to the limit, and they apply once the cause is fixed', async () => {
    const first = await sendStringEvent(producer, topic, 'org-1', { key: 'ledger-a' });
    const second = await sendStringEvent(producer, topic, 'org-1', { key: 'ledger-a' });
    await tap.waitForRecord(topic.deadLetterTopic, second);
    organizationsWithoutLedger.delete('org-1');

    const partial = await replayDeadLetters(kafka, topic, { limit: 1, logger: recordingLogger() });
    await waitFor('first applied', async () => (await countFor(db, 'effects', first)) > 0);

    expect(partial).toEqual({ replayed: 1, remaining: 1 });
    expect(await countFor(db, 'effects', second)).toBe(0);

    const rest = await replayDeadLetters(kafka, topic, { limit: 100, logger: recordingLogger() });
    await waitFor('second applied', async () => (await countFor(db, 'effects', second)) > 0);

    expect(rest).toEqual({ replayed: 1, remaining: 0 });
    expect(await countFor(db, 'effects', first)).toBe(1);
    const [original, replayed] = tap.recordsOf(topic.name, first);
    expect(replayed?.key).toBe('ledger-a');
    expect(replayed?.value).toEqual(original?.value);
    expect(replayed?.headers).toEqual(original?.headers);
  });

  it('replays nothing when every dead letter was replayed already', async () => {
    await expect(
      replayDeadLetters(kafka, topic, { limit: 100, logger: recordingLogger() }),
    ).resolves.toEqual({ replayed: 0, remaining: 0 });
  });

  it('does not apply a replayed event twice if it had been applied after all', async () => {
    const id = await sendStringEvent(producer, topic, 'org-2', { key: 'ledger-b' });
    await waitFor('applied', async () => (await countFor(db, 'effects', id)) > 0);
    // An operator copies an already applied record into the DLQ, e.g. from a stale dump.
    const [record] = tap.recordsOf(topic.name, id);
    await producer.send({
      topic: topic.deadLetterTopic,
      acks: -1,
      messages: [
        { key: record?.key ?? null, value: record?.value ?? null, headers: record?.headers },
      ],
    });

    await expect(
      replayDeadLetters(kafka, topic, { limit: 100, logger: recordingLogger() }),
    ).resolves.toEqual({ replayed: 1, remaining: 0 });
    await tap.waitForRecord(topic.name, id, 2);
    const marker = await sendStringEvent(producer, topic, 'org-3', { key: 'ledger-b' });
    await waitFor('marker applied', async () => (await countFor(db, 'effects', marker)) > 0);

    expect(await countFor(db, 'effects', id)).toBe(1);
  });
});
