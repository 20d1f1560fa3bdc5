import { ALL_TOPICS } from '@kontor/events';
import { type K8sObject, ofKind, overlayNames, renderOverlay } from './support/render';
import { catalogueTopics } from './support/services';

// The Strimzi KafkaTopics are the catalogue (libs/events) as the cluster sees it: every topic and
// its dead-letter topic, the catalogue's configs, explicit retention, and replication the
// cluster can honour. Partition counts are checked per service in service-env.spec.ts (they may
// be raised in an overlay, together with the services' KAFKA_TOPIC_PARTITIONS).

interface KafkaTopic extends K8sObject {
  spec: { topicName: string; partitions: number; replicas: number; config: Record<string, string> };
}

// Kafka's own default retention, which a topic created without retention.ms gets.
const KAFKA_DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;

it('lists every topic the catalogue exports in ALL_TOPICS (what the CLI reads dead letters by)', () => {
  expect(ALL_TOPICS.map((t) => t.name).sort()).toEqual(
    catalogueTopics()
      .map((t) => t.name)
      .sort(),
  );
});

describe.each(overlayNames())('overlay %s', (overlay) => {
  const topics = (): KafkaTopic[] => ofKind<KafkaTopic>(renderOverlay(overlay), 'KafkaTopic');
  const byName = (name: string): KafkaTopic | undefined =>
    topics().find((topic) => topic.spec.topicName === name);

  it('declares exactly the catalogue topics and their .dlq topics', () => {
    const expected = catalogueTopics().flatMap((t) => [t.name, t.deadLetterTopic]);
    expect(
      topics()
        .map((t) => t.spec.topicName)
        .sort(),
    ).toEqual(expected.sort());
    for (const topic of topics()) expect(topic.metadata.name).toBe(topic.spec.topicName);
  });

  it('applies the catalogue configs and makes retention explicit', () => {
    for (const definition of catalogueTopics()) {
      const topic = byName(definition.name);
      expect({ topic: definition.name, ...topic?.spec.config }).toMatchObject({
        topic: definition.name,
        'retention.ms': String(KAFKA_DEFAULT_RETENTION_MS),
        ...definition.config,
      });
    }
  });

  it('keeps dead letters in one partition at least as long as the topic they come from', () => {
    for (const definition of catalogueTopics()) {
      const source = Number(byName(definition.name)?.spec.config['retention.ms']);
      const dlq = byName(definition.deadLetterTopic);
      const retention = Number(dlq?.spec.config['retention.ms']);
      expect({ dlq: definition.deadLetterTopic, partitions: dlq?.spec.partitions }).toEqual({
        dlq: definition.deadLetterTopic,
        partitions: 1,
      });
      if (source !== -1) expect(retention === -1 || retention >= source).toBe(true);
    }
  });

  it('points every service at the Strimzi bootstrap service of a plaintext listener', () => {
    const objects = renderOverlay(overlay);
    const [kafka] = ofKind<
      K8sObject & { spec: { kafka: { listeners: { port: number; tls: boolean }[] } } }
    >(objects, 'Kafka');
    const common = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('kontor-common'),
    ) as (K8sObject & { data: Record<string, string> }) | undefined;
    const plainPorts = (kafka?.spec.kafka.listeners ?? []).filter((l) => !l.tls).map((l) => l.port);
    const brokers = (common?.data.KAFKA_BROKERS ?? '').split(',');
    expect(brokers).toHaveLength(1);
    const [host, port] = (brokers[0] ?? '').split(':');
    // Strimzi names the bootstrap Service <cluster>-kafka-bootstrap; the services speak no TLS.
    expect(host).toBe(`${kafka?.metadata.name}-kafka-bootstrap`);
    expect(plainPorts).toContain(Number(port));
  });

  it('replicates every topic so that one broker may fail without losing writes', () => {
    const kafka = ofKind<K8sObject & { spec: { kafka: { config: Record<string, unknown> } } }>(
      renderOverlay(overlay),
      'Kafka',
    );
    const pools = ofKind<K8sObject & { spec: { replicas: number; roles: string[] } }>(
      renderOverlay(overlay),
      'KafkaNodePool',
    );
    const brokers = pools
      .filter((pool) => pool.spec.roles.includes('broker'))
      .reduce((sum, pool) => sum + pool.spec.replicas, 0);
    expect(kafka).toHaveLength(1);
    for (const topic of topics()) {
      const minInSync = Number(topic.spec.config['min.insync.replicas']);
      expect(topic.metadata.labels?.['strimzi.io/cluster']).toBe(kafka[0]?.metadata.name);
      expect(topic.spec.replicas).toBeLessThanOrEqual(brokers);
      // One copy in dev (one broker); elsewhere a copy can be lost with writes still accepted.
      if (brokers > 1) expect(topic.spec.replicas).toBeGreaterThan(minInSync);
      expect(minInSync).toBeLessThanOrEqual(topic.spec.replicas);
    }
  });
});
