import { create, fromBinary } from '@bufbuild/protobuf';
import { StringValueSchema } from '@bufbuild/protobuf/wkt';
import { type EntityManager } from '@mikro-orm/postgresql';
import { type Kafka } from 'kafkajs';
import { enqueueEvent, ensureTopics, OutboxRelay } from '../src';
import {
  openTestDb,
  recordingLogger,
  TEST_SOURCE,
  testKafka,
  testTopic,
  TopicTap,
  waitFor,
  type TestDb,
} from './support/harness';

describe(OutboxRelay.name, () => {
  const topic = testTopic('relay', 3);
  let db: TestDb;
  let kafka: Kafka;
  let tap: TopicTap;
  let sut: OutboxRelay;

  beforeAll(async () => {
    kafka = testKafka();
    [db] = await Promise.all([
      openTestDb(),
      ensureTopics(kafka, [topic], { logger: recordingLogger() }),
    ]);
    tap = await TopicTap.start(kafka, [topic.name]);
    // A long poll interval: only NOTIFY can make publishing fast.
    sut = new OutboxRelay({
      databaseUrl: db.serviceUrl,
      kafka,
      source: TEST_SOURCE,
      pollIntervalMs: 30_000,
      cleanupIntervalMs: 100,
      retentionMs: 60 * 60 * 1000,
      logger: recordingLogger(),
    });
    await sut.start();
  });
  afterAll(async () => {
    await sut.stop();
    await tap.stop();
    await db.close();
  });

  function enqueueNote(em: EntityManager, noteId: string, key = 'ledger-1') {
    return em.transactional(async (tx) => {
      await tx.execute('INSERT INTO notes (id, body) VALUES (?, ?)', [noteId, 'hello']);

      return enqueueEvent(tx, topic, {
        key,
        schema: StringValueSchema,
        message: create(StringValueSchema, { value: noteId }),
      });
    });
  }

  async function outboxRow(eventId: string) {
    const { rows } = await db.admin.query<{ published_at: Date | null }>(
      'SELECT published_at FROM ledger.outbox WHERE event_id = $1',
      [eventId],
    );

    return rows[0];
  }

  it('publishes a committed outbox row once, with CloudEvents headers and the aggregate key', async () => {
    const before = new Date();
    const { id } = await enqueueNote(db.orm.em.fork(), 'note-1', 'ledger-42');

    const [record] = await tap.waitForRecord(topic.name, id);
    await waitFor('the row marked published', async () => (await outboxRow(id))?.published_at);

    expect(record?.key).toBe('ledger-42');
    expect(record?.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: id,
      ce_type: 'google.protobuf.StringValue',
      ce_source: TEST_SOURCE,
      ce_time: expect.any(String) as unknown,
      'content-type': 'application/protobuf',
    });
    expect(new Date(record?.headers['ce_time'] ?? 0).getTime()).toBeGreaterThanOrEqual(
      before.getTime(),
    );
    expect(fromBinary(StringValueSchema, record?.value ?? Buffer.alloc(0)).value).toBe('note-1');
    // Exactly once on the happy path: a marker sent later arrives, the event did not again.
    const marker = await enqueueNote(db.orm.em.fork(), 'note-1-marker', 'ledger-42');
    await tap.waitForRecord(topic.name, marker.id);
    expect(tap.recordsOf(topic.name, id)).toHaveLength(1);
  });

  it('wakes on the commit NOTIFY instead of waiting for the 30 s poll interval', async () => {
    const started = Date.now();
    const { id } = await enqueueNote(db.orm.em.fork(), 'note-fast');

    await tap.waitForRecord(topic.name, id);

    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('publishes nothing for a rolled-back transaction, and the business write is gone too', async () => {
    let rolledBackId = '';
    await expect(
      db.orm.em.fork().transactional(async (tx) => {
        await tx.execute('INSERT INTO notes (id, body) VALUES (?, ?)', ['note-lost', 'x']);
        rolledBackId = (
          await enqueueEvent(tx, topic, {
            key: 'ledger-1',
            schema: StringValueSchema,
            message: create(StringValueSchema, { value: 'lost' }),
          })
        ).id;
        throw new Error('business rule failed after the event was queued');
      }),
    ).rejects.toThrow(/business rule failed/);

    // Same key, so same partition: once the later marker is there, the lost one never will be.
    const marker = await enqueueNote(db.orm.em.fork(), 'note-after-rollback');
    await tap.waitForRecord(topic.name, marker.id);
    expect(tap.recordsOf(topic.name, rolledBackId)).toEqual([]);
    expect(await outboxRow(rolledBackId)).toBeUndefined();
    const notes = await db.admin.query("SELECT 1 FROM ledger.notes WHERE id = 'note-lost'");
    expect(notes.rowCount).toBe(0);
  });

  it('keeps the commit order of events with the same key, within and across batches', async () => {
    // Ids cross from 4 to 5 digits inside one batch, where text order differs from numeric.
    await db.admin.query('ALTER SEQUENCE ledger.outbox_id_seq RESTART WITH 9990');
    const ids = await db.orm.em.fork().transactional(async (tx) => {
      const queued: string[] = [];
      for (let sequence = 0; sequence < 20; sequence++) {
        const event = await enqueueEvent(tx, topic, {
          key: 'ledger-ordered',
          schema: StringValueSchema,
          message: create(StringValueSchema, { value: `batched-${sequence}` }),
        });
        queued.push(event.id);
      }

      return queued;
    });
    for (let sequence = 0; sequence < 20; sequence++) {
      ids.push((await enqueueNote(db.orm.em.fork(), `ordered-${sequence}`, 'ledger-ordered')).id);
    }

    await tap.waitForRecord(topic.name, ids.at(-1) ?? '');

    const published = tap
      .recordsOf(topic.name)
      .filter((record) => record.key === 'ledger-ordered')
      .map((record) => record.headers['ce_id']);
    expect(published).toEqual(ids);
  });

  it('refuses to enqueue outside a transaction, where the event could outlive a failed write', async () => {
    await expect(
      enqueueEvent(db.orm.em.fork(), topic, {
        key: 'ledger-1',
        schema: StringValueSchema,
        message: create(StringValueSchema, { value: 'x' }),
      }),
    ).rejects.toThrow(/inside em.transactional/);
  });

  it('deletes published rows older than the retention period and keeps newer ones', async () => {
    const old = await enqueueNote(db.orm.em.fork(), 'note-old');
    const recent = await enqueueNote(db.orm.em.fork(), 'note-recent');
    await waitFor('both published', async () => (await outboxRow(recent.id))?.published_at);
    await db.admin.query(
      "UPDATE ledger.outbox SET published_at = now() - interval '2 hours' WHERE event_id = $1",
      [old.id],
    );

    // Any commit wakes the relay, which then sweeps (its cleanup interval is 100 ms here).
    await new Promise((resolve) => setTimeout(resolve, 150));
    await enqueueNote(db.orm.em.fork(), 'note-wake');
    await waitFor('the old row deleted', async () => (await outboxRow(old.id)) === undefined);

    expect(await outboxRow(recent.id)).toBeDefined();
  });

  it('lets only one relay per schema publish; a standby takes over when the active one stops', async () => {
    const standby = new OutboxRelay({
      databaseUrl: db.serviceUrl,
      kafka,
      source: TEST_SOURCE,
      standbyRetryMs: 100,
      logger: recordingLogger(),
    });
    await standby.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sut.isActive).toBe(true);
      expect(standby.isActive).toBe(false);

      await sut.stop();
      await waitFor('the standby to take over', () => standby.isActive);
      const { id } = await enqueueNote(db.orm.em.fork(), 'note-standby');
      await tap.waitForRecord(topic.name, id);
    } finally {
      await standby.stop();
      await sut.start();
    }
  });
});
