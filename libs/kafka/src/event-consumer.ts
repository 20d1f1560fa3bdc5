import { type IsolationLevel } from '@mikro-orm/core';
import { type EntityManager } from '@mikro-orm/postgresql';
import {
  type Consumer,
  type EachBatchPayload,
  type Kafka,
  type KafkaMessage,
  type Producer,
} from 'kafkajs';
import { createEventProducer } from './kafka-client';
import { backoffDelayMs, sleep, type RetryPolicy } from './backoff';
import { decodeEvent, eventPayloadJson, type ConsumedEvent, type TopicEvent } from './cloud-events';
import { deadLetterHeaders, type DeadLetterReason } from './dead-letters';
import { classifyError, describeError, PoisonMessageError, type ErrorClass } from './event-errors';
import { nestLogger, type EventLogger } from './logger';
import { type TopicDefinition } from './topic';

/** Applies one event; runs inside the transaction that also records it in the inbox. */
export type EventHandler<T extends TopicDefinition> = (
  event: TopicEvent<T>,
  em: EntityManager,
) => Promise<void>;

export interface EventConsumerOptions<T extends TopicDefinition> {
  kafka: Kafka;
  topic: T;
  /** The consuming service, e.g. `ledger`; the consumer group is `<service>.<topic>`. */
  service: string;
  /** Forked for every event; the handler receives the transaction's fork. */
  em: EntityManager;
  handler: EventHandler<T>;
  /**
   * Applies consecutive new events at once (inside the group's transaction, after their inbox
   * rows), e.g. with one set-based write; if it throws, the events are applied one by one with
   * `handler`. Without it, the group calls `handler` per event.
   */
  groupHandler?: (events: TopicEvent<T>[], em: EntityManager) => Promise<void>;
  logger?: EventLogger;
  /** Transient failures: default 5 attempts, 200 ms doubling up to 5 s. */
  retry?: Partial<RetryPolicy>;
  /** Decides retry or dead letter; default classifyError. */
  classifyError?: (error: unknown) => ErrorClass;
  /** A new group starts at the oldest record (default) or only sees new ones. */
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How long the broker may hold an empty fetch; bounds how long stop() waits; default 1 s. */
  fetchWaitMaxMs?: number;
  /** Consecutive events applied in one transaction when none fails; default 100, 1 = never. */
  groupEventsMax?: number;
  /** Partitions processed in parallel (each one still in order); default 1. */
  partitionsConsumedConcurrently?: number;
  isolationLevel?: IsolationLevel;
  /** Producer for the dead-letter topic instead of an own one (the caller connects it). */
  producer?: Producer;
}

type Outcome = 'applied' | 'duplicate' | 'dead_lettered' | 'interrupted';

interface RecordPosition {
  topic: string;
  partition: number;
}

const SERVICE_NAME = /^[a-z][a-z0-9-]*$/;
const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 200, delayMaxMs: 5_000 };

// The inbox row and the handler's writes share one transaction: a redelivered event finds its
// row and is skipped, and a failed handler leaves no row, so the event is applied exactly once.
const INSERT_INBOX_SQL = `INSERT INTO inbox (source, event_id, topic, partition, "offset")
VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, event_id) DO NOTHING RETURNING 1 AS inserted`;
// A group's inbox rows in one statement; returns the events not seen before (a duplicate within
// the group is inserted, and so returned, once).
const INSERT_INBOX_GROUP_SQL = `INSERT INTO inbox (source, event_id, topic, partition, "offset")
SELECT source, event_id, topic, partition, "offset" FROM json_to_recordset(?::json)
  AS t(source text, event_id text, topic text, partition integer, "offset" bigint)
ON CONFLICT (source, event_id) DO NOTHING RETURNING source, event_id`;

/**
 * Consumes one topic for one service, applying each event exactly once in effect: inbox row and
 * handler in one database transaction, Kafka offset committed only after that commit. Transient
 * failures are retried with backoff; poison records, PermanentEventError and exhausted retries
 * go to `<topic>.dlq` with the reason, and the partition moves on.
 */
export class EventConsumer<T extends TopicDefinition> {
  readonly groupId: string;
  private readonly logger: EventLogger;
  private readonly retry: RetryPolicy;
  private readonly classify: (error: unknown) => ErrorClass;
  private readonly heartbeatIntervalMs: number;
  private readonly groupEventsMax: number;
  private readonly producer: Producer;
  private readonly ownsProducer: boolean;
  private consumer: Consumer | undefined;
  private stopSignal = new AbortController();

  constructor(private readonly options: EventConsumerOptions<T>) {
    if (!SERVICE_NAME.test(options.service)) {
      throw new Error(`service "${options.service}" must match ${SERVICE_NAME}`);
    }
    this.groupId = `${options.service}.${options.topic.name}`;
    this.logger = options.logger ?? nestLogger(`EventConsumer ${this.groupId}`);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.classify = options.classifyError ?? classifyError;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3_000;
    this.groupEventsMax = Math.max(1, options.groupEventsMax ?? 100);
    this.ownsProducer = options.producer === undefined;
    this.producer = options.producer ?? createEventProducer(options.kafka);
  }

  /** Joins the consumer group and starts consuming; resolves once partitions are assigned. */
  async start(): Promise<void> {
    if (this.consumer !== undefined) return;
    this.stopSignal = new AbortController();
    const consumer = this.options.kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      // How long a crashed member holds its partitions; heartbeats continue inside long batches.
      sessionTimeout: this.options.sessionTimeoutMs ?? 15_000,
      heartbeatInterval: this.heartbeatIntervalMs,
      maxWaitTimeInMs: this.options.fetchWaitMaxMs ?? 1_000,
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.logger.error('consumer crashed', {
        error: describeError(payload.error),
        restart: payload.restart,
      });
    });
    try {
      if (this.ownsProducer) await this.producer.connect();
      await consumer.connect();
      await consumer.subscribe({
        topic: this.options.topic.name,
        fromBeginning: this.options.fromBeginning ?? true,
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.consumeBatch(payload),
      });
    } catch (error) {
      // Leave nothing half-started, so a later start() tries again from scratch.
      await consumer.disconnect().catch(() => undefined);
      if (this.ownsProducer) await this.producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.consumer = consumer;
    this.logger.info('consumer started', { groupId: this.groupId });
  }

  /**
   * Finishes the event in flight (its transaction and offset commit), then leaves the group.
   * Only a retry backoff is cut short: that event was not applied and will be redelivered.
   */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    if (consumer === undefined) return;
    this.stopSignal.abort();
    await consumer.stop();
    await consumer.disconnect();
    this.consumer = undefined;
    if (this.ownsProducer) await this.producer.disconnect();
    this.logger.info('consumer stopped', { groupId: this.groupId });
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const position = { topic: batch.topic, partition: batch.partition };
    const heartbeat = (): Promise<void> => payload.heartbeat();
    const stopped = () =>
      !payload.isRunning() || payload.isStale() || this.stopSignal.signal.aborted;
    const commit = async (message: KafkaMessage) => {
      payload.resolveOffset(message.offset);
      // Committed only now that the transaction has committed: a crash before this line makes
      // Kafka redeliver the records, and the inbox turns the redelivery into a no-op.
      await payload.commitOffsetsIfNecessary({
        topics: [
          {
            topic: batch.topic,
            partitions: [
              { partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() },
            ],
          },
        ],
      });
      await heartbeat();
    };
    for (let start = 0; start < batch.messages.length; start += this.groupEventsMax) {
      if (stopped()) return;
      const group = batch.messages.slice(start, start + this.groupEventsMax);
      const applied = await this.whileHeartbeating(heartbeat, () =>
        this.applyGroup(position, group),
      );
      if (applied) {
        await commit(group[group.length - 1]);
        continue;
      }
      // Something in the group failed: one by one, each with its own retries and dead letter.
      for (const message of group) {
        if (stopped()) return;
        const outcome = await this.whileHeartbeating(heartbeat, () =>
          this.consumeRecord(position, message),
        );
        if (outcome === 'interrupted') return;
        await commit(message);
      }
    }
  }

  /**
   * Applies consecutive events in one transaction (each still recorded in the inbox and applied
   * at most once), so a busy partition pays for one commit per group rather than per event.
   * False, with nothing written, if any event is poison or fails: the caller then goes one by one.
   */
  private async applyGroup(position: RecordPosition, messages: KafkaMessage[]): Promise<boolean> {
    if (messages.length < 2) return false;
    const events: TopicEvent<T>[] = [];
    for (const message of messages) {
      try {
        events.push(decodeEvent(this.options.topic, { ...position, ...message }));
      } catch (error) {
        if (error instanceof PoisonMessageError) return false;
        throw error;
      }
    }
    try {
      await this.options.em.fork().transactional(
        async (em) => {
          const groupHandler = this.options.groupHandler;
          if (!groupHandler) {
            for (const event of events) await this.applyInTransaction(event, em);
            return;
          }
          const fresh = await this.recordGroupInInbox(events, em);
          if (fresh.length > 0) await groupHandler(fresh, em);
        },
        { isolationLevel: this.options.isolationLevel },
      );

      return true;
    } catch (error) {
      this.logger.info('a grouped apply failed; applying its events one by one', {
        ...position,
        events: events.length,
        error: describeError(error),
      });

      return false;
    }
  }

  /** Keeps the group membership alive while one slow event is applied. */
  private async whileHeartbeating<R>(
    heartbeat: () => Promise<void>,
    work: () => Promise<R>,
  ): Promise<R> {
    const timer = setInterval(() => {
      heartbeat().catch((error: unknown) =>
        this.logger.warn('heartbeat failed while applying an event', {
          error: describeError(error),
        }),
      );
    }, this.heartbeatIntervalMs);
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }

  private async consumeRecord(position: RecordPosition, message: KafkaMessage): Promise<Outcome> {
    let event: TopicEvent<T>;
    try {
      event = decodeEvent(this.options.topic, { ...position, ...message });
    } catch (error) {
      if (!(error instanceof PoisonMessageError)) throw error;
      await this.deadLetter(position, message, error.reason, error);

      return 'dead_lettered';
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.applyOnce(event)) ? 'applied' : 'duplicate';
      } catch (error) {
        if (this.classify(error) === 'permanent') {
          await this.deadLetter(position, message, 'permanent_error', error, event);

          return 'dead_lettered';
        }
        if (attempt >= this.retry.attempts) {
          await this.deadLetter(position, message, 'retries_exhausted', error, event);

          return 'dead_lettered';
        }
        const delayMs = backoffDelayMs(this.retry, attempt);
        this.logger.warn('transient failure applying an event; retrying', {
          ...this.describeEvent(event),
          attempt,
          delayMs,
          error: describeError(error),
        });
        if (!(await sleep(delayMs, this.stopSignal.signal))) return 'interrupted';
      }
    }
  }

  /** True if applied now, false if the inbox already had it. */
  private applyOnce(event: TopicEvent<T>): Promise<boolean> {
    return this.options.em.fork().transactional((em) => this.applyInTransaction(event, em), {
      isolationLevel: this.options.isolationLevel,
    });
  }

  private async applyInTransaction(event: TopicEvent<T>, em: EntityManager): Promise<boolean> {
    if (!(await this.recordInInbox(event, em))) return false;
    await this.options.handler(event, em);

    return true;
  }

  /** False if the inbox already had the event: it was applied before. */
  private async recordInInbox(event: TopicEvent<T>, em: EntityManager): Promise<boolean> {
    const inserted = await em.execute<unknown[]>(INSERT_INBOX_SQL, [
      event.source,
      event.id,
      event.topic,
      event.partition,
      event.offset,
    ]);

    return inserted.length > 0;
  }

  /** Records a group's events in the inbox at once; returns those it did not have, in order. */
  private async recordGroupInInbox(
    events: TopicEvent<T>[],
    em: EntityManager,
  ): Promise<TopicEvent<T>[]> {
    const key = (source: string, eventId: string) => JSON.stringify([source, eventId]);
    const inserted = await em.execute<{ source: string; event_id: string }[]>(
      INSERT_INBOX_GROUP_SQL,
      [
        JSON.stringify(
          events.map((event) => ({
            source: event.source,
            event_id: event.id,
            topic: event.topic,
            partition: event.partition,
            offset: event.offset,
          })),
        ),
      ],
    );
    const fresh = new Set(inserted.map((row) => key(row.source, row.event_id)));

    // Set.delete is true once per key: a duplicate within the group is applied once.
    return events.filter((event) => fresh.delete(key(event.source, event.id)));
  }

  private async deadLetter(
    position: RecordPosition,
    message: KafkaMessage,
    reason: DeadLetterReason,
    error: unknown,
    event?: ConsumedEvent,
  ): Promise<void> {
    const headers = deadLetterHeaders(message.headers, {
      reason,
      error,
      sourceTopic: position.topic,
      partition: position.partition,
      offset: message.offset,
      failedAt: new Date(),
    });
    await this.producer.send({
      topic: this.options.topic.deadLetterTopic,
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.logger.error('event sent to the dead-letter topic', {
      ...position,
      offset: message.offset,
      reason,
      error: describeError(error),
      ...(event === undefined
        ? {}
        : { ...this.describeEvent(event), payload: eventPayloadJson(event) }),
    });
  }

  private describeEvent(event: ConsumedEvent): Record<string, unknown> {
    return { eventId: event.id, source: event.source, type: event.type, key: event.key };
  }
}
