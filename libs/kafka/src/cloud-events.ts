import {
  fromBinary,
  isMessage,
  toBinary,
  toJson,
  type DescMessage,
  type JsonValue,
  type MessageShape,
} from '@bufbuild/protobuf';
import { type IHeaders } from 'kafkajs';
import { PoisonMessageError } from './event-errors';
import { type TopicDefinition } from './topic';

// CloudEvents 1.0, Kafka protocol binding, binary content mode: the record value is the
// protobuf payload and the event attributes travel as `ce_*` headers.
export const CE_SPECVERSION = '1.0';
export const PROTOBUF_CONTENT_TYPE = 'application/protobuf';
const ACCEPTED_CONTENT_TYPES = new Set([PROTOBUF_CONTENT_TYPE, 'application/x-protobuf']);

export const CloudEventHeader = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  contentType: 'content-type',
} as const;

export interface EventAttributes {
  /** Unique per source; with `source` it is the consumers' de-duplication key. */
  id: string;
  /** Proto full name of the payload, e.g. `kontor.events.v1.EntryPosted`. */
  type: string;
  /** URI reference of the producer, e.g. `/kontor/ledger`. */
  source: string;
  /** When the event happened (the business write), not when it was sent. */
  time: Date;
}

/** A Kafka record ready to send: key, protobuf value and CloudEvents headers. */
export interface EncodedRecord {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** One event of a topic, as a producer hands it over. */
export interface OutgoingEvent<S extends DescMessage> {
  /** Aggregate id (e.g. the ledger id): records with the same key keep their order. */
  key: string;
  schema: S;
  message: MessageShape<S>;
}

/** An event decoded from a record, with where it was read from. */
export interface ConsumedEvent<S extends DescMessage = DescMessage> {
  id: string;
  source: string;
  type: string;
  /** ce_time, if the producer set it. */
  time: Date | undefined;
  key: string | null;
  schema: S;
  message: MessageShape<S>;
  topic: string;
  partition: number;
  offset: string;
  /** All record headers as text (ce_* included). */
  headers: Record<string, string>;
}

type EventOf<S> = S extends DescMessage ? ConsumedEvent<S> : never;

/** The typed union of the events a topic carries; narrow on `event.message.$typeName`. */
export type TopicEvent<T extends TopicDefinition> = EventOf<T['messages'][number]>;

/** A record as the consumer received it (kafkajs's KafkaMessage plus where it came from). */
export interface IncomingRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

export function cloudEventHeaders(
  attributes: Omit<EventAttributes, 'source'> & { source?: string },
): Record<string, string> {
  const headers: Record<string, string> = {
    [CloudEventHeader.specversion]: CE_SPECVERSION,
    [CloudEventHeader.id]: attributes.id,
    [CloudEventHeader.type]: attributes.type,
    [CloudEventHeader.time]: attributes.time.toISOString(),
    [CloudEventHeader.contentType]: PROTOBUF_CONTENT_TYPE,
  };
  if (attributes.source !== undefined) headers[CloudEventHeader.source] = attributes.source;

  return headers;
}

/** Programmer errors: the event does not belong on this topic or has no aggregate key. */
export function assertEventFitsTopic(
  topic: TopicDefinition,
  event: OutgoingEvent<DescMessage>,
): void {
  if (topic.schemaFor(event.schema.typeName) !== event.schema) {
    throw new Error(
      `topic ${topic.name} does not carry ${event.schema.typeName}; ` +
        `it carries ${topic.messages.map((schema) => schema.typeName).join(', ')}`,
    );
  }
  if (!isMessage(event.message, event.schema)) {
    throw new Error(`the message is not a ${event.schema.typeName}`);
  }
  if (event.key.length === 0) {
    throw new Error(`an event on ${topic.name} needs its aggregate id as the record key`);
  }
}

export function encodeEvent<T extends TopicDefinition, S extends T['messages'][number]>(
  topic: T,
  event: OutgoingEvent<S> & Omit<EventAttributes, 'type'> & { headers?: Record<string, string> },
): EncodedRecord {
  assertEventFitsTopic(topic, event);
  const bytes = toBinary(event.schema, event.message);

  return {
    topic: topic.name,
    key: event.key,
    value: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    headers: {
      ...event.headers,
      ...cloudEventHeaders({ ...event, type: event.schema.typeName }),
    },
  };
}

/** The first value of a header as UTF-8 text. */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const raw = headers?.[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return undefined;

  return typeof value === 'string' ? value : value.toString('utf8');
}

export function headersAsText(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const name of Object.keys(headers ?? {})) {
    const value = headerText(headers, name);
    if (value !== undefined) text[name] = value;
  }

  return text;
}

function requiredHeader(headers: IHeaders | undefined, name: string): string {
  const value = headerText(headers, name);
  if (value === undefined || value.length === 0) {
    throw new PoisonMessageError('missing_header', `the record has no ${name} header`);
  }

  return value;
}

function parseTime(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const time = new Date(text);

  return Number.isNaN(time.getTime()) ? undefined : time;
}

/**
 * Decodes a record of `topic`, choosing the schema by ce_type. Throws PoisonMessageError when
 * the record is not an event this topic carries: a retry could never fix it.
 */
export function decodeEvent<T extends TopicDefinition>(
  topic: T,
  record: IncomingRecord,
): TopicEvent<T> {
  const { headers } = record;
  const specversion = requiredHeader(headers, CloudEventHeader.specversion);
  if (specversion !== CE_SPECVERSION) {
    throw new PoisonMessageError(
      'unsupported_specversion',
      `ce_specversion ${specversion} is not ${CE_SPECVERSION}`,
    );
  }
  const contentType = requiredHeader(headers, CloudEventHeader.contentType);
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (!ACCEPTED_CONTENT_TYPES.has(mediaType)) {
    throw new PoisonMessageError(
      'unsupported_content_type',
      `content-type ${contentType} is not ${PROTOBUF_CONTENT_TYPE}`,
    );
  }
  const id = requiredHeader(headers, CloudEventHeader.id);
  const source = requiredHeader(headers, CloudEventHeader.source);
  const type = requiredHeader(headers, CloudEventHeader.type);
  const schema = topic.schemaFor(type);
  if (schema === undefined) {
    throw new PoisonMessageError('unknown_type', `topic ${topic.name} does not carry ${type}`);
  }
  if (record.value === null) {
    throw new PoisonMessageError('undecodable_payload', `the ${type} record has no value`);
  }
  let message: MessageShape<DescMessage>;
  try {
    message = fromBinary(schema, record.value);
  } catch (error) {
    throw new PoisonMessageError(
      'undecodable_payload',
      `the value is not a valid ${type}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const event: ConsumedEvent = {
    id,
    source,
    type,
    time: parseTime(headerText(headers, CloudEventHeader.time)),
    key: record.key === null ? null : record.key.toString('utf8'),
    schema,
    message,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    headers: headersAsText(headers),
  };

  return event as TopicEvent<T>;
}

/** The payload as proto JSON, safe for logs (int64 becomes a string; JSON.stringify would throw). */
export function eventPayloadJson(event: ConsumedEvent): JsonValue {
  return toJson(event.schema, event.message);
}
