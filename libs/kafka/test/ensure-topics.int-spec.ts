import { type Admin, type Kafka } from 'kafkajs';
import { ensureTopics } from '../src';
import { recordingLogger, testKafka, testTopic } from './support/harness';

describe(ensureTopics.name, () => {
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  async function partitionCounts(topics: string[]): Promise<Record<string, number>> {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });

    return Object.fromEntries(metadata.map((topic) => [topic.name, topic.partitions.length]));
  }

  it('creates a topic with its configured partitions and a one-partition <topic>.dlq', async () => {
    const topic = testTopic('created', 3);

    const result = await ensureTopics(kafka, [topic], { logger: recordingLogger() });

    expect(result.created).toEqual([topic.name, topic.deadLetterTopic]);
    expect(await partitionCounts([topic.name, topic.deadLetterTopic])).toEqual({
      [topic.name]: 3,
      [topic.deadLetterTopic]: 1,
    });
  });

  it('takes partition counts from partitionsOverride before the topic definition', async () => {
    const topic = testTopic('overridden', 3);

    await ensureTopics(kafka, [topic], {
      partitionsOverride: { [topic.name]: 6, [topic.deadLetterTopic]: 2 },
      logger: recordingLogger(),
    });

    expect(await partitionCounts([topic.name, topic.deadLetterTopic])).toEqual({
      [topic.name]: 6,
      [topic.deadLetterTopic]: 2,
    });
  });

  it('is idempotent: a second run creates nothing and changes nothing', async () => {
    const topic = testTopic('twice', 2);
    await ensureTopics(kafka, [topic], { logger: recordingLogger() });

    const again = await ensureTopics(kafka, [topic], { logger: recordingLogger() });

    expect(again).toEqual({
      created: [],
      existing: [topic.name, topic.deadLetterTopic],
      mismatched: [],
    });
    expect(await partitionCounts([topic.name])).toEqual({ [topic.name]: 2 });
  });

  it('reports but never alters an existing topic whose partition count differs', async () => {
    const topic = testTopic('drifted', 2);
    await ensureTopics(kafka, [topic], { logger: recordingLogger() });
    const logger = recordingLogger();

    const result = await ensureTopics(kafka, [topic], {
      partitionsOverride: { [topic.name]: 4 },
      logger,
    });

    expect(result.mismatched).toEqual([{ topic: topic.name, expected: 4, actual: 2 }]);
    expect(await partitionCounts([topic.name])).toEqual({ [topic.name]: 2 });
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ actual: 2 }) as unknown,
      }),
    );
  });

  it('creates topics requested concurrently by two services exactly once', async () => {
    const topic = testTopic('raced', 2);

    const results = await Promise.all([
      ensureTopics(kafka, [topic], { logger: recordingLogger() }),
      ensureTopics(kafka, [topic], { logger: recordingLogger() }),
    ]);

    expect(results.flatMap((result) => result.mismatched)).toEqual([]);
    expect(await partitionCounts([topic.name])).toEqual({ [topic.name]: 2 });
  });

  it('rejects an override for a topic it does not manage', async () => {
    const topic = testTopic('typo', 1);

    await expect(
      ensureTopics(kafka, [topic], { partitionsOverride: { 'ledger.entires.v1': 3 } }),
    ).rejects.toThrow(/unknown topic "ledger.entires.v1"/);
  });
});
