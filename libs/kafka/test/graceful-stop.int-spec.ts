import { type EntityManager } from '@mikro-orm/postgresql';
import { type Admin, type Kafka, type Producer } from 'kafkajs';
import { ensureTopics, EventConsumer, TransientEventError, type TopicEvent } from '../src';
import {
  countFor,
  openTestDb,
  recordingLogger,
  sendStringEvent,
  testKafka,
  testProducer,
  testTopic,
  waitFor,
  type TestDb,
  type TestTopic,
} from './support/harness';

describe('EventConsumer.stop', () => {
  const topic = testTopic('stopped', 1);
  const calls = new Map<string, number>();
  const finished = new Set<string>();
  let db: TestDb;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  async function handler(event: TopicEvent<TestTopic>, em: EntityManager): Promise<void> {
    if (event.message.$typeName !== 'google.protobuf.StringValue') return;
    const call = (calls.get(event.id) ?? 0) + 1;
    calls.set(event.id, call);
    await em.execute('INSERT INTO effects (event_id, value) VALUES (?, ?)', [event.id, 'x']);
    if (event.message.value === 'slow') await new Promise((resolve) => setTimeout(resolve, 1_500));
    if (event.message.value === 'fails-first' && call === 1) {
      throw new TransientEventError('first attempt fails');
    }
    finished.add(event.id);
  }

  function newConsumer(): EventConsumer<TestTopic> {
    return new EventConsumer({
      kafka,
      topic,
      service: 'ledger',
      em: db.orm.em,
      handler,
      // A long backoff, so stop() lands inside it.
      retry: { attempts: 3, initialDelayMs: 20_000, delayMaxMs: 20_000 },
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
      fetchWaitMaxMs: 100,
      logger: recordingLogger(),
    });
  }

  async function committedOffset(groupId: string): Promise<string | undefined> {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic.name] });

    return offsets?.partitions.find((entry) => entry.partition === 0)?.offset;
  }

  beforeAll(async () => {
    kafka = testKafka();
    [db] = await Promise.all([
      openTestDb(),
      ensureTopics(kafka, [topic], { logger: recordingLogger() }),
    ]);
    admin = kafka.admin();
    producer = testProducer(kafka);
    await Promise.all([admin.connect(), producer.connect()]);
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
    await db.close();
  });

  it('finishes the slow in-flight event and commits its offset; a restart does not apply it again', async () => {
    const sut = newConsumer();
    await sut.start();
    const id = await sendStringEvent(producer, topic, 'slow');
    await waitFor('the slow handler to start', () => calls.get(id) === 1);

    await sut.stop();

    expect(finished.has(id)).toBe(true);
    expect(await countFor(db, 'inbox', id)).toBe(1);
    expect(await committedOffset(sut.groupId)).toBe('1');

    const restarted = newConsumer();
    await restarted.start();
    try {
      const marker = await sendStringEvent(producer, topic, 'fast');
      await waitFor('marker applied', async () => (await countFor(db, 'inbox', marker)) > 0);
      expect(calls.get(id)).toBe(1);
      expect(await countFor(db, 'effects', id)).toBe(1);
    } finally {
      await restarted.stop();
    }
  });

  it('cuts a retry backoff short without committing; the restarted consumer applies the event', async () => {
    const sut = newConsumer();
    await sut.start();
    const before = await committedOffset(sut.groupId);
    const id = await sendStringEvent(producer, topic, 'fails-first');
    await waitFor('the first attempt to fail', () => calls.get(id) === 1);

    const stopping = Date.now();
    await sut.stop();

    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(await committedOffset(sut.groupId)).toBe(before);
    expect(await countFor(db, 'effects', id)).toBe(0);

    const restarted = newConsumer();
    await restarted.start();
    try {
      await waitFor('applied after restart', async () => (await countFor(db, 'inbox', id)) > 0);
      expect(calls.get(id)).toBe(2);
      expect(await countFor(db, 'effects', id)).toBe(1);
    } finally {
      await restarted.stop();
    }
  });
});
