import { StringValueSchema, TimestampSchema } from '@bufbuild/protobuf/wkt';
import { assertTopicName, deadLetterTopicName, defineTopic, InvalidTopicError } from './topic';

describe('topic names', () => {
  it.each([
    'ledger.entries.v1',
    'payments.events.v1',
    'deals.settlements.v12',
    'billing.credit-notes.v2',
  ])('accepts %s', (name) => {
    expect(() => assertTopicName(name)).not.toThrow();
  });

  it.each([
    ['no version', 'ledger.entries'],
    ['version zero', 'ledger.entries.v0'],
    ['underscore separator', 'ledger_entries.v1'],
    ['underscore inside a segment', 'ledger.journal_entries.v1'],
    ['upper case', 'Ledger.entries.v1'],
    ['too many segments', 'kontor.ledger.entries.v1'],
    ['a dead-letter topic', 'ledger.entries.v1.dlq'],
    ['empty segment', 'ledger..v1'],
    ['trailing hyphen', 'ledger.entries-.v1'],
    ['empty', ''],
  ])('rejects %s (%s)', (_case, name) => {
    expect(() => assertTopicName(name)).toThrow(InvalidTopicError);
  });

  it('rejects a name longer than 200 characters', () => {
    expect(() => assertTopicName(`ledger.${'e'.repeat(200)}.v1`)).toThrow(/longer than 200/);
  });

  it('names the dead-letter topic <topic>.dlq', () => {
    expect(deadLetterTopicName('ledger.entries.v1')).toBe('ledger.entries.v1.dlq');
  });
});

describe(defineTopic.name, () => {
  it('finds the schema of each message by its proto full name', () => {
    const sut = defineTopic({
      name: 'ledger.entries.v1',
      partitions: 3,
      messages: [StringValueSchema, TimestampSchema],
    });

    expect(sut.schemaFor('google.protobuf.Timestamp')).toBe(TimestampSchema);
    expect(sut.schemaFor('google.protobuf.StringValue')).toBe(StringValueSchema);
    expect(sut.schemaFor('google.protobuf.Int64Value')).toBeUndefined();
    expect(sut.deadLetterTopic).toBe('ledger.entries.v1.dlq');
  });

  it('rejects an invalid name at definition time', () => {
    expect(() =>
      defineTopic({ name: 'ledger_entries', partitions: 1, messages: [StringValueSchema] }),
    ).toThrow(/<domain>\.<dataset>\.v<major>/);
  });

  it.each([0, -1, 1.5, Number.NaN, 1_001])('rejects %p partitions', (partitions) => {
    expect(() =>
      defineTopic({ name: 'ledger.entries.v1', partitions, messages: [StringValueSchema] }),
    ).toThrow(/whole number of partitions/);
  });

  it('rejects a topic without message types', () => {
    expect(() => defineTopic({ name: 'ledger.entries.v1', partitions: 1, messages: [] })).toThrow(
      /at least one message type/,
    );
  });

  it('rejects the same message type listed twice', () => {
    expect(() =>
      defineTopic({
        name: 'ledger.entries.v1',
        partitions: 1,
        messages: [StringValueSchema, StringValueSchema],
      }),
    ).toThrow(/lists google.protobuf.StringValue twice/);
  });
});
