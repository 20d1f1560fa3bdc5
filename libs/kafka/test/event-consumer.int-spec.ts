import { randomUUID } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { type EntityManager } from '@mikro-orm/postgresql';
import { type Kafka, type Producer } from 'kafkajs';
import {
  encodeEvent,
  ensureTopics,
  EventConsumer,
  PermanentEventError,
  TransientEventError,
  type TopicEvent,
} from '../src';
import {
  countFor,
  openTestDb,
  recordingLogger,
  sendRawRecord,
  sendStringEvent,
  sendStringEvents,
  TEST_SOURCE,
  testKafka,
  testProducer,
  testTopic,
  TopicTap,
  waitFor,
  type TestDb,
  type TestTopic,
} from './support/harness';

// The handler obeys the event's text: `ok`, `serialization-failure:<n>` (fails n times with a
// real Postgres 40001), `always-transient`, `blocked:<organization>` (permanent while blocked).
// It writes an effect row first, so a failure that left writes behind would show.
const attempts = new Map<string, number>();
const blocked = new Set<string>();

async function handler(event: TopicEvent<TestTopic>, em: EntityManager): Promise<void> {
  if (event.message.$typeName !== 'google.protobuf.StringValue') return;
  const attempt = (attempts.get(event.id) ?? 0) + 1;
  attempts.set(event.id, attempt);
  const [command, argument = ''] = event.message.value.split(':');
  await em.execute('INSERT INTO effects (event_id, value) VALUES (?, ?)', [event.id, command]);
  switch (command) {
    case 'serialization-failure':
      if (attempt <= Number(argument)) {
        await em.execute(
          "DO $$ BEGIN RAISE EXCEPTION 'simulated conflict' USING ERRCODE = '40001'; END $$",
        );
      }
      break;
    case 'always-transient':
      throw new TransientEventError('the posting rules service is unavailable');
    case 'blocked':
      if (blocked.has(argument)) {
        throw new PermanentEventError(`organization ${argument} has no primary ledger`);
      }
      break;
  }
}

describe(EventConsumer.name, () => {
  const topic = testTopic('consumed', 1);
  const groupedTopic = testTopic('grouped', 1);
  let db: TestDb;
  let kafka: Kafka;
  let producer: Producer;
  let tap: TopicTap;
  let sut: EventConsumer<TestTopic>;

  beforeAll(async () => {
    kafka = testKafka();
    [db] = await Promise.all([
      openTestDb(),
      ensureTopics(kafka, [topic, groupedTopic], { logger: recordingLogger() }),
    ]);
    producer = testProducer(kafka);
    await producer.connect();
    tap = await TopicTap.start(kafka, [topic.deadLetterTopic]);
    sut = new EventConsumer({
      kafka,
      topic,
      service: 'ledger',
      em: db.orm.em,
      handler,
      retry: { attempts: 3, initialDelayMs: 50, delayMaxMs: 200 },
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
      fetchWaitMaxMs: 100,
      logger: recordingLogger(),
    });
    await sut.start();
  });
  afterAll(async () => {
    await sut.stop();
    await tap.stop();
    await producer.disconnect();
    await db.close();
  });

  const applied = (eventId: string) =>
    waitFor(`${eventId} applied`, async () => (await countFor(db, 'inbox', eventId)) > 0);

  it('uses the consumer group <service>.<topic>', () => {
    expect(sut.groupId).toBe(`ledger.${topic.name}`);
  });

  it('applies a record delivered twice with the same ce_source and ce_id once', async () => {
    const id = await sendStringEvent(producer, topic, 'ok');
    await sendStringEvent(producer, topic, 'ok', { id });
    const marker = await sendStringEvent(producer, topic, 'ok');

    await applied(marker);

    expect(await countFor(db, 'effects', id)).toBe(1);
    expect(await countFor(db, 'inbox', id)).toBe(1);
    expect(attempts.get(id)).toBe(1);
  });

  it('sends a record of an unknown ce_type to the DLQ with reason headers, then applies the next', async () => {
    const headers = {
      ce_specversion: '1.0',
      ce_id: 'poison-unknown-type',
      ce_type: 'kontor.events.v1.NotOnThisTopic',
      ce_source: TEST_SOURCE,
      'content-type': 'application/protobuf',
    };
    const sent = await sendRawRecord(
      producer,
      topic.name,
      Buffer.from([0x0a, 0x01, 0x78]),
      headers,
    );
    const next = await sendStringEvent(producer, topic, 'ok');

    await applied(next);
    const [dead] = await tap.waitForRecord(topic.deadLetterTopic, 'poison-unknown-type');

    expect(dead?.headers).toEqual({
      ...headers,
      dlq_reason: 'unknown_type',
      dlq_error: `PoisonMessageError: topic ${topic.name} does not carry kontor.events.v1.NotOnThisTopic`,
      dlq_source_topic: topic.name,
      dlq_partition: String(sent.partition),
      dlq_offset: sent.offset,
      dlq_failed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
    });
    expect(dead?.key).toBe('aggregate-1');
    expect(dead?.value).toEqual(Buffer.from([0x0a, 0x01, 0x78]));
    expect(await countFor(db, 'inbox', 'poison-unknown-type')).toBe(0);
  });

  it('sends an undecodable payload to the DLQ instead of crashing or retrying', async () => {
    await sendRawRecord(producer, topic.name, Buffer.from([0x0a, 0x05, 0x61]), {
      ce_specversion: '1.0',
      ce_id: 'poison-undecodable',
      ce_type: 'google.protobuf.StringValue',
      ce_source: TEST_SOURCE,
      'content-type': 'application/protobuf',
    });
    const next = await sendStringEvent(producer, topic, 'ok');

    await applied(next);
    const [dead] = await tap.waitForRecord(topic.deadLetterTopic, 'poison-undecodable');

    expect(dead?.headers['dlq_reason']).toBe('undecodable_payload');
    expect(tap.recordsOf(topic.deadLetterTopic, 'poison-undecodable')).toHaveLength(1);
  });

  it('retries a serialization failure and applies the event once it succeeds', async () => {
    const id = await sendStringEvent(producer, topic, 'serialization-failure:2');

    await applied(id);

    expect(attempts.get(id)).toBe(3);
    expect(await countFor(db, 'effects', id)).toBe(1);
    expect(tap.recordsOf(topic.deadLetterTopic, id)).toEqual([]);
  });

  it('dead-letters an event whose transient failures outlast the retry budget', async () => {
    const id = await sendStringEvent(producer, topic, 'always-transient');

    const [dead] = await tap.waitForRecord(topic.deadLetterTopic, id);

    expect(attempts.get(id)).toBe(3);
    expect(dead?.headers['dlq_reason']).toBe('retries_exhausted');
    expect(dead?.headers['dlq_error']).toBe(
      'TransientEventError: the posting rules service is unavailable',
    );
    expect(await countFor(db, 'effects', id)).toBe(0);
  });

  it('dead-letters a PermanentEventError at once, leaving neither its writes nor an inbox row', async () => {
    blocked.add('org-9');
    const id = await sendStringEvent(producer, topic, 'blocked:org-9');

    const [dead] = await tap.waitForRecord(topic.deadLetterTopic, id);

    expect(attempts.get(id)).toBe(1);
    expect(dead?.headers['dlq_reason']).toBe('permanent_error');
    expect(dead?.headers['dlq_error']).toBe(
      'PermanentEventError: organization org-9 has no primary ledger',
    );
    expect(await countFor(db, 'effects', id)).toBe(0);
    expect(await countFor(db, 'inbox', id)).toBe(0);
  });

  it('applies a busy batch in one transaction, and falls back to one by one around a failing event', async () => {
    blocked.add('org-7');
    const values = ['ok', 'ok', 'blocked:org-7', 'ok', 'ok'];
    const ids = values.map(() => `event-${randomUUID()}`);
    // One send, so the consumer fetches them as one batch.
    await producer.send({
      topic: topic.name,
      acks: -1,
      messages: values.map((value, i) =>
        encodeEvent(topic, {
          key: 'aggregate-1',
          schema: StringValueSchema,
          message: create(StringValueSchema, { value }),
          id: ids[i],
          source: TEST_SOURCE,
          time: new Date(),
        }),
      ),
    });

    await tap.waitForRecord(topic.deadLetterTopic, ids[2]);
    await applied(ids[4]);

    for (const [i, id] of ids.entries()) {
      expect(await countFor(db, 'effects', id)).toBe(i === 2 ? 0 : 1);
      expect(await countFor(db, 'inbox', id)).toBe(i === 2 ? 0 : 1);
    }
  });

  it('commits consecutive events of a batch in one transaction', async () => {
    const ids = [1, 2, 3].map(() => `event-${randomUUID()}`);
    await sendStringEvents(producer, topic, ids);
    await applied(ids[2]);

    // now() is the transaction's start time: one distinct value means one transaction.
    const { rows } = await db.admin.query<{ at: string }>(
      'SELECT DISTINCT processed_at::text AS at FROM ledger.inbox WHERE event_id = ANY($1)',
      [ids],
    );
    expect(rows).toHaveLength(1);
  });

  it('hands a group handler only new events, once each: not one the inbox has, nor a duplicate twice', async () => {
    const handed: string[][] = [];
    const grouped = new EventConsumer({
      kafka,
      topic: groupedTopic,
      service: 'ledger',
      em: db.orm.em,
      handler,
      // One statement for the whole group, as a read model writes it.
      groupHandler: async (events, em) => {
        handed.push(events.map((event) => event.id));
        await em.execute(
          `INSERT INTO effects (event_id, value)
           SELECT value, 'grouped' FROM json_array_elements_text(?::json)`,
          [JSON.stringify(events.map((event) => event.id))],
        );
      },
      fetchWaitMaxMs: 100,
      logger: recordingLogger(),
    });
    await grouped.start();
    try {
      const [seen, fresh, other] = [1, 2, 3].map(() => `event-${randomUUID()}`);
      await sendStringEvents(producer, groupedTopic, [seen, `event-${randomUUID()}`]);
      await applied(seen);
      // One send, so the consumer fetches them as one batch: a redelivery and a duplicate.
      await sendStringEvents(producer, groupedTopic, [seen, fresh, fresh, other]);
      await applied(other);

      expect(handed.at(-1)).toEqual([fresh, other]);
      for (const id of [seen, fresh, other]) {
        expect(await countFor(db, 'effects', id)).toBe(1);
        expect(await countFor(db, 'inbox', id)).toBe(1);
      }
    } finally {
      await grouped.stop();
    }
  });
});
