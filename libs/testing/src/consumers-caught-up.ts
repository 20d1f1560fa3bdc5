import { Kafka, logLevel, type Admin } from 'kafkajs';

const POLL_MS = 250;

/**
 * Waits until `service`'s consumer groups (`<service>.<topic>`, as EventConsumer names them) have
 * committed up to the end of each topic.
 *
 * Test files share one broker: a service that starts in a later file first works through what
 * earlier files published (a new group reads from the beginning, an old one from its last
 * commit), and one ledger's 20,000 imported entries sit on a single partition. A test waiting
 * for its own event must not spend its time budget on that backlog, so harnesses wait here once.
 */
export async function waitForConsumersCaughtUp(
  brokers: string[],
  service: string,
  topics: readonly string[],
  timeoutMs = 300_000,
): Promise<void> {
  const admin = new Kafka({
    clientId: `test-lag-${service}`,
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const behind = await lagging(admin, service, topics);
      if (behind.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`${service} not caught up after ${timeoutMs} ms: ${behind.join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await admin.disconnect();
  }
}

/** "topic[partition] n behind" for every partition whose group has not committed its end. */
async function lagging(
  admin: Admin,
  service: string,
  topics: readonly string[],
): Promise<string[]> {
  const perTopic = await Promise.all(
    topics.map(async (topic) => {
      const [ends, [committed]] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId: `${service}.${topic}`, topics: [topic] }),
      ]);
      const committedAt = new Map(
        (committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]),
      );

      return ends.flatMap(({ partition, low, high }) => {
        // -1: nothing committed yet, so the group starts at the oldest record.
        const at = committedAt.get(partition) ?? -1n;
        const behind = BigInt(high) - (at < 0n ? BigInt(low) : at);
        return behind > 0n ? [`${topic}[${partition}] ${behind} behind`] : [];
      });
    }),
  );

  return perTopic.flat();
}
