import { patchKafkajsIdleCpu } from './kafkajs-idle-cpu.fix';

// Every user of this library gets kafkajs without its idle busy loop (see the fix's comment).
patchKafkajsIdleCpu();

export { backoffDelayMs, sleep, type RetryPolicy } from './backoff';
export {
  CE_SPECVERSION,
  CloudEventHeader,
  cloudEventHeaders,
  decodeEvent,
  encodeEvent,
  eventPayloadJson,
  headerText,
  headersAsText,
  PROTOBUF_CONTENT_TYPE,
  type ConsumedEvent,
  type EncodedRecord,
  type EventAttributes,
  type IncomingRecord,
  type OutgoingEvent,
  type TopicEvent,
} from './cloud-events';
export {
  DeadLetterHeader,
  deadLetterHeaders,
  replayDeadLetters,
  withoutDeadLetterHeaders,
  type DeadLetterContext,
  type DeadLetterReason,
  type ReplayDeadLettersOptions,
  type ReplayDeadLettersResult,
} from './dead-letters';
export {
  enqueueEvent,
  OUTBOX_CHANNEL_PREFIX,
  type EnqueuedEvent,
  type EnqueueEventInput,
} from './enqueue-event';
export {
  ensureTopics,
  type EnsureTopicsOptions,
  type EnsureTopicsResult,
  type TopicPartitionsMismatch,
} from './ensure-topics';
export { EventConsumer, type EventConsumerOptions, type EventHandler } from './event-consumer';
export {
  classifyError,
  describeError,
  PermanentEventError,
  PoisonMessageError,
  TransientEventError,
  type ErrorClass,
  type PoisonReason,
} from './event-errors';
export { createEventProducer, createKafka, type KafkaClientOptions } from './kafka-client';
export { patchKafkajsIdleCpu } from './kafkajs-idle-cpu.fix';
export { kafkajsLogCreator, nestLogger, type EventLogger, type LogFields } from './logger';
export {
  OUTBOX_INBOX_DOWN_SQL_V1,
  OUTBOX_INBOX_UP_SQL_V1,
  OutboxInboxMigration,
} from './outbox-inbox.migration';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';
export {
  assertTopicName,
  DEAD_LETTER_SUFFIX,
  deadLetterTopicName,
  defineTopic,
  InvalidTopicError,
  type TopicDefinition,
  type TopicSpec,
} from './topic';
