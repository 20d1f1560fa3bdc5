import { PermanentEventError } from './event-errors';
import { deadLetterHeaders, withoutDeadLetterHeaders } from './dead-letters';

describe(deadLetterHeaders.name, () => {
  it('keeps the original headers and adds where the record came from and why', () => {
    const original = { ce_id: Buffer.from('event-1'), ce_type: Buffer.from('kontor.events.v1.X') };

    const sut = deadLetterHeaders(original, {
      reason: 'permanent_error',
      error: new PermanentEventError('organization org-1 has no primary ledger'),
      sourceTopic: 'payments.events.v1',
      partition: 2,
      offset: '41',
      failedAt: new Date('2025-03-01T12:00:00.000Z'),
    });

    expect(sut).toEqual({
      ce_id: Buffer.from('event-1'),
      ce_type: Buffer.from('kontor.events.v1.X'),
      dlq_reason: 'permanent_error',
      dlq_error: 'PermanentEventError: organization org-1 has no primary ledger',
      dlq_source_topic: 'payments.events.v1',
      dlq_partition: '2',
      dlq_offset: '41',
      dlq_failed_at: '2025-03-01T12:00:00.000Z',
    });
  });

  it('replaces the dlq headers of an earlier failure instead of keeping both', () => {
    const sut = deadLetterHeaders(
      { ce_id: 'event-1', dlq_reason: 'retries_exhausted', dlq_offset: '7' },
      {
        reason: 'unknown_type',
        error: new Error('x'),
        sourceTopic: 'payments.events.v1',
        partition: 0,
        offset: '12',
        failedAt: new Date(0),
      },
    );

    expect(sut['dlq_reason']).toBe('unknown_type');
    expect(sut['dlq_offset']).toBe('12');
  });
});

describe(withoutDeadLetterHeaders.name, () => {
  it('strips only the dlq_ headers for a replay', () => {
    expect(
      withoutDeadLetterHeaders({ ce_id: 'e', dlq_reason: 'permanent_error', dlq_error: 'x' }),
    ).toEqual({ ce_id: 'e' });
  });
});
