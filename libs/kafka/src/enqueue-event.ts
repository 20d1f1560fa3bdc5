import { randomUUID } from 'node:crypto';
import { toBinary, type DescMessage } from '@bufbuild/protobuf';
import { type EntityManager } from '@mikro-orm/postgresql';
import { assertEventFitsTopic, cloudEventHeaders, type OutgoingEvent } from './cloud-events';
import { type TopicDefinition } from './topic';

/**
 * Prefix of the NOTIFY channel that wakes a schema's relay; the schema name completes it, so
 * services sharing one database never wake each other's relay.
 */
export const OUTBOX_CHANNEL_PREFIX = 'kontor_outbox_';

export interface EnqueueEventInput<S extends DescMessage> extends OutgoingEvent<S> {
  /** ce_id; defaults to a random UUID. Pass one to derive it from the business key. */
  id?: string;
  /** ce_time; defaults to now. */
  time?: Date;
  /** Extra record headers, e.g. `traceparent`. */
  headers?: Record<string, string>;
}

export interface EnqueuedEvent {
  /** ce_id of the event. */
  id: string;
  /** Outbox row id; the relay publishes in this order. */
  outboxId: string;
}

// One round trip: insert the row and queue the wake-up. Postgres delivers NOTIFY only when the
// transaction commits and drops it on rollback, so the relay wakes exactly for committed rows.
const INSERT_OUTBOX_SQL = `WITH inserted AS (
  INSERT INTO outbox (event_id, topic, key, ce_type, payload, headers)
  VALUES (?, ?, ?, ?, ?, ?::jsonb)
  RETURNING id
)
SELECT id::text AS id, pg_notify('${OUTBOX_CHANNEL_PREFIX}' || current_schema(), '') AS notified
FROM inserted`;

/**
 * Writes an event into the outbox inside the caller's transaction, so the event exists if and
 * only if the business write commits. Must be called with the `em` of `em.transactional(...)`.
 */
export async function enqueueEvent<T extends TopicDefinition, S extends T['messages'][number]>(
  em: EntityManager,
  topic: T,
  input: EnqueueEventInput<S>,
): Promise<EnqueuedEvent> {
  if (!em.isInTransaction()) {
    throw new Error(
      'enqueueEvent must run inside em.transactional(...) so the event commits with the write',
    );
  }
  assertEventFitsTopic(topic, input);
  const id = input.id ?? randomUUID();
  const type = input.schema.typeName;
  const bytes = toBinary(input.schema, input.message);
  const headers = {
    ...input.headers,
    ...cloudEventHeaders({ id, type, time: input.time ?? new Date() }),
  };
  const row = await em.execute<{ id: string }>(
    INSERT_OUTBOX_SQL,
    [
      id,
      topic.name,
      input.key,
      type,
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      JSON.stringify(headers),
    ],
    'get',
  );

  return { id, outboxId: row.id };
}
