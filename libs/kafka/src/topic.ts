import { type DescMessage } from '@bufbuild/protobuf';

// `<domain>.<dataset>.v<major>`, lower case, dots as the only separator: Kafka warns that '.' and
// '_' collide in metric names, so one separator keeps every name unambiguous.
const SEGMENT = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const TOPIC_NAME = new RegExp(`^${SEGMENT}\\.${SEGMENT}\\.v[1-9][0-9]{0,3}$`);
// Kafka's own limit is 249 characters; keep room for the `.dlq` suffix.
const TOPIC_NAME_LENGTH_MAX = 200;
const PARTITIONS_MAX = 1_000;

export const DEAD_LETTER_SUFFIX = '.dlq';

export interface TopicSpec<M extends readonly DescMessage[]> {
  /** `<domain>.<dataset>.v<major>`, e.g. `ledger.entries.v1`. */
  name: string;
  /** Partition count used when the topic is created (see ensureTopics for overrides). */
  partitions: number;
  /** The protobuf messages this topic may carry; ce_type picks one of them on decode. */
  messages: M;
  /** Extra topic configs applied on creation, e.g. `{ 'retention.ms': '604800000' }`. */
  config?: Readonly<Record<string, string>>;
}

export interface TopicDefinition<M extends readonly DescMessage[] = readonly DescMessage[]> {
  readonly name: string;
  readonly partitions: number;
  readonly messages: M;
  readonly config: Readonly<Record<string, string>>;
  /** `<name>.dlq`: where records that cannot be applied go, with the reason in headers. */
  readonly deadLetterTopic: string;
  /** The schema whose proto full name is `typeName`, if the topic carries it. */
  schemaFor(typeName: string): M[number] | undefined;
}

export class InvalidTopicError extends Error {
  override readonly name = 'InvalidTopicError';
}

/** Throws InvalidTopicError unless `name` follows `<domain>.<dataset>.v<major>`. */
export function assertTopicName(name: string): void {
  if (name.length > TOPIC_NAME_LENGTH_MAX) {
    throw new InvalidTopicError(
      `topic name "${name}" is longer than ${TOPIC_NAME_LENGTH_MAX} characters`,
    );
  }
  if (!TOPIC_NAME.test(name)) {
    throw new InvalidTopicError(
      `topic name "${name}" must look like <domain>.<dataset>.v<major> ` +
        '(lower-case letters, digits and inner hyphens, dots as separators, e.g. ledger.entries.v1)',
    );
  }
}

export function deadLetterTopicName(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

export function assertPartitionCount(topic: string, partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > PARTITIONS_MAX) {
    throw new InvalidTopicError(
      `topic "${topic}" needs a whole number of partitions from 1 to ${PARTITIONS_MAX}, got ${partitions}`,
    );
  }
}

/**
 * Declares a topic and the protobuf messages it carries, checked once at module load so a typo
 * fails at boot rather than on the first event.
 */
export function defineTopic<const M extends readonly DescMessage[]>(
  spec: TopicSpec<M>,
): TopicDefinition<M> {
  assertTopicName(spec.name);
  assertPartitionCount(spec.name, spec.partitions);
  if (spec.messages.length === 0) {
    throw new InvalidTopicError(`topic "${spec.name}" must carry at least one message type`);
  }
  const byTypeName = new Map<string, M[number]>();
  for (const schema of spec.messages) {
    if (byTypeName.has(schema.typeName)) {
      throw new InvalidTopicError(`topic "${spec.name}" lists ${schema.typeName} twice`);
    }
    byTypeName.set(schema.typeName, schema);
  }

  return Object.freeze({
    name: spec.name,
    partitions: spec.partitions,
    messages: spec.messages,
    config: Object.freeze({ ...spec.config }),
    deadLetterTopic: deadLetterTopicName(spec.name),
    schemaFor: (typeName: string) => byTypeName.get(typeName),
  });
}
