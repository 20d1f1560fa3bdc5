import { create, toBinary } from '@bufbuild/protobuf';
import {
  Int64ValueSchema,
  StringValueSchema,
  TimestampSchema,
  timestampFromDate,
} from '@bufbuild/protobuf/wkt';
import {
  decodeEvent,
  encodeEvent,
  eventPayloadJson,
  headerText,
  type IncomingRecord,
} from './cloud-events';
import { PoisonMessageError } from './event-errors';
import { defineTopic } from './topic';

const topic = defineTopic({
  name: 'ledger.entries.v1',
  partitions: 3,
  messages: [StringValueSchema, TimestampSchema, Int64ValueSchema],
});
const time = new Date('2025-03-01T12:00:00.000Z');

function encodedString(value: string): IncomingRecord {
  const record = encodeEvent(topic, {
    key: 'ledger-1',
    schema: StringValueSchema,
    message: create(StringValueSchema, { value }),
    id: 'event-1',
    source: '/kontor/ledger',
    time,
  });

  return {
    topic: topic.name,
    partition: 2,
    offset: '41',
    key: Buffer.from(record.key),
    value: record.value,
    headers: record.headers,
  };
}

function withHeaders(record: IncomingRecord, headers: Record<string, string | undefined>) {
  return { ...record, headers: { ...record.headers, ...headers } };
}

function poisonReason(record: IncomingRecord): string {
  try {
    decodeEvent(topic, record);
  } catch (error) {
    if (error instanceof PoisonMessageError) return error.reason;
    throw error;
  }
  throw new Error('decoded a record expected to be poison');
}

describe(encodeEvent.name, () => {
  it('writes CloudEvents binary-mode headers, the aggregate key and the protobuf value', () => {
    const message = create(StringValueSchema, { value: 'posted' });
    const sut = encodeEvent(topic, {
      key: 'ledger-1',
      schema: StringValueSchema,
      message,
      id: 'event-1',
      source: '/kontor/ledger',
      time,
      headers: { traceparent: '00-abc-def-01' },
    });

    expect(sut).toEqual({
      topic: 'ledger.entries.v1',
      key: 'ledger-1',
      value: Buffer.from(toBinary(StringValueSchema, message)),
      headers: {
        ce_specversion: '1.0',
        ce_id: 'event-1',
        ce_type: 'google.protobuf.StringValue',
        ce_source: '/kontor/ledger',
        ce_time: '2025-03-01T12:00:00.000Z',
        'content-type': 'application/protobuf',
        traceparent: '00-abc-def-01',
      },
    });
  });

  it('lets no extra header override a CloudEvents attribute', () => {
    const sut = encodeEvent(topic, {
      key: 'ledger-1',
      schema: StringValueSchema,
      message: create(StringValueSchema),
      id: 'event-1',
      source: '/kontor/ledger',
      time,
      headers: { ce_type: 'forged.Type' },
    });

    expect(sut.headers['ce_type']).toBe('google.protobuf.StringValue');
  });

  it('rejects a message type the topic does not carry', () => {
    const other = defineTopic({
      name: 'ledger.other.v1',
      partitions: 1,
      messages: [TimestampSchema],
    });

    expect(() =>
      encodeEvent(other as unknown as typeof topic, {
        key: 'k',
        schema: StringValueSchema,
        message: create(StringValueSchema),
        id: 'e',
        source: '/kontor/ledger',
        time,
      }),
    ).toThrow(/does not carry google.protobuf.StringValue; it carries google.protobuf.Timestamp/);
  });

  it('rejects a message that is not of the given schema', () => {
    expect(() =>
      encodeEvent(topic, {
        key: 'k',
        schema: StringValueSchema,
        message: create(TimestampSchema) as never,
        id: 'e',
        source: '/kontor/ledger',
        time,
      }),
    ).toThrow(/is not a google.protobuf.StringValue/);
  });

  it('rejects an empty key, since order holds only per aggregate key', () => {
    expect(() =>
      encodeEvent(topic, {
        key: '',
        schema: StringValueSchema,
        message: create(StringValueSchema),
        id: 'e',
        source: '/kontor/ledger',
        time,
      }),
    ).toThrow(/aggregate id as the record key/);
  });
});

describe(decodeEvent.name, () => {
  it('picks the schema by ce_type and returns a typed event with its position', () => {
    const sut = decodeEvent(topic, encodedString('posted'));

    expect(sut).toMatchObject({
      id: 'event-1',
      source: '/kontor/ledger',
      type: 'google.protobuf.StringValue',
      time,
      key: 'ledger-1',
      topic: 'ledger.entries.v1',
      partition: 2,
      offset: '41',
      schema: StringValueSchema,
    });
    switch (sut.message.$typeName) {
      case 'google.protobuf.StringValue':
        expect(sut.message.value).toBe('posted');
        break;
      case 'google.protobuf.Timestamp':
      case 'google.protobuf.Int64Value':
        throw new Error(`decoded as ${sut.message.$typeName}`);
    }
  });

  it('decodes another message type of the same topic', () => {
    const record = encodeEvent(topic, {
      key: 'ledger-1',
      schema: TimestampSchema,
      message: timestampFromDate(time),
      id: 'event-2',
      source: '/kontor/ledger',
      time,
    });
    const sut = decodeEvent(topic, {
      topic: topic.name,
      partition: 0,
      offset: '0',
      key: null,
      value: record.value,
      headers: record.headers,
    });

    expect(sut.schema).toBe(TimestampSchema);
    expect(sut.key).toBeNull();
    expect(sut.message).toEqual(timestampFromDate(time));
  });

  it('reads header values that arrive as buffers', () => {
    const record = encodedString('posted');
    const buffers = Object.fromEntries(
      Object.entries(record.headers ?? {}).map(([name, value]) => [
        name,
        Buffer.from(String(value)),
      ]),
    );

    expect(decodeEvent(topic, { ...record, headers: buffers }).id).toBe('event-1');
  });

  it('treats an unknown ce_type as poison', () => {
    expect(
      poisonReason(withHeaders(encodedString('x'), { ce_type: 'kontor.events.v1.Nope' })),
    ).toBe('unknown_type');
  });

  it('treats a payload that is not valid protobuf as poison', () => {
    // Field 1, length-delimited, claims 5 bytes but carries 1.
    const record = { ...encodedString('x'), value: Buffer.from([0x0a, 0x05, 0x61]) };

    expect(poisonReason(record)).toBe('undecodable_payload');
  });

  it('treats a record without a value as poison', () => {
    expect(poisonReason({ ...encodedString('x'), value: null })).toBe('undecodable_payload');
  });

  it.each(['ce_id', 'ce_source', 'ce_type', 'ce_specversion', 'content-type'])(
    'treats a record without %s as poison',
    (header) => {
      expect(poisonReason(withHeaders(encodedString('x'), { [header]: undefined }))).toBe(
        'missing_header',
      );
    },
  );

  it('treats another CloudEvents spec version as poison', () => {
    expect(poisonReason(withHeaders(encodedString('x'), { ce_specversion: '0.3' }))).toBe(
      'unsupported_specversion',
    );
  });

  it('treats a JSON content type as poison', () => {
    expect(
      poisonReason(withHeaders(encodedString('x'), { 'content-type': 'application/json' })),
    ).toBe('unsupported_content_type');
  });

  it('accepts content-type parameters and the x-protobuf alias', () => {
    const record = withHeaders(encodedString('x'), {
      'content-type': 'application/x-protobuf; proto=google.protobuf.StringValue',
    });

    expect(decodeEvent(topic, record).message).toMatchObject({ value: 'x' });
  });
});

describe(eventPayloadJson.name, () => {
  it('renders an int64 payload for logs where JSON.stringify would throw', () => {
    const record = encodeEvent(topic, {
      key: 'ledger-1',
      schema: Int64ValueSchema,
      message: create(Int64ValueSchema, { value: 9_007_199_254_740_993n }),
      id: 'event-3',
      source: '/kontor/ledger',
      time,
    });
    const event = decodeEvent(topic, {
      topic: topic.name,
      partition: 0,
      offset: '0',
      key: null,
      value: record.value,
      headers: record.headers,
    });

    expect(() => JSON.stringify(event.message)).toThrow(/BigInt/);
    expect(eventPayloadJson(event)).toBe('9007199254740993');
    expect(headerText(record.headers, 'ce_type')).toBe('google.protobuf.Int64Value');
  });
});
