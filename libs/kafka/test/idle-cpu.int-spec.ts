import { type Kafka } from 'kafkajs';
import { ensureTopics, EventConsumer, OutboxRelay } from '../src';
import {
  openTestDb,
  recordingLogger,
  TEST_SOURCE,
  testKafka,
  testTopic,
  type TestDb,
  type TestTopic,
} from './support/harness';

// Stock kafkajs 2.2.4 spins on every idle connection (about 6% of a core for this pair before
// patchKafkajsIdleCpu, about 1% after); an outbox poller could spin too. Both run here with their
// production defaults (500 ms poll, 1 s fetch wait).
describe('idle relay and consumer', () => {
  const topic = testTopic('idle', 3);
  let db: TestDb;
  let kafka: Kafka;
  let relay: OutboxRelay;
  let consumer: EventConsumer<TestTopic>;

  beforeAll(async () => {
    kafka = testKafka();
    [db] = await Promise.all([
      openTestDb(),
      ensureTopics(kafka, [topic], { logger: recordingLogger() }),
    ]);
    relay = new OutboxRelay({
      databaseUrl: db.serviceUrl,
      kafka,
      source: TEST_SOURCE,
      logger: recordingLogger(),
    });
    consumer = new EventConsumer({
      kafka,
      topic,
      service: 'ledger',
      em: db.orm.em,
      handler: () => Promise.resolve(),
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
      logger: recordingLogger(),
    });
    await Promise.all([relay.start(), consumer.start()]);
  });
  afterAll(async () => {
    await Promise.all([relay.stop(), consumer.stop()]);
    await db.close();
  });

  it('use under 3% of a core while there is nothing to do', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = process.cpuUsage();
    const started = process.hrtime.bigint();

    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const used = process.cpuUsage(before);
    const elapsedUs = Number(process.hrtime.bigint() - started) / 1_000;
    expect((used.user + used.system) / elapsedUs).toBeLessThan(0.03);
  });
});
