import {
  ConnectionException,
  DeadlockException,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import {
  classifyError,
  describeError,
  PermanentEventError,
  PoisonMessageError,
  TransientEventError,
} from './event-errors';

function pgError(code: string, message = `pg error ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe(classifyError.name, () => {
  it.each([
    ['a TransientEventError', new TransientEventError('ledger service briefly unavailable')],
    ['a serialization failure', pgError('40001')],
    ['a deadlock', pgError('40P01')],
    ['a lock timeout', pgError('55P03')],
    ['a server shutting down', pgError('57P01')],
    ['a connection failure (class 08)', pgError('08006')],
    ['too many connections (class 53)', pgError('53300')],
    ['a missing or rejected database role (class 28)', pgError('28000')],
    ['a missing database', pgError('3D000')],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['a lost connection without code', new Error('Connection terminated unexpectedly')],
    [
      'an exhausted knex pool',
      Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), {
        name: 'KnexTimeoutError',
      }),
    ],
    ["MikroORM's DeadlockException", new DeadlockException(pgError('40P01'))],
    ["MikroORM's ConnectionException", new ConnectionException(new Error('down'))],
    [
      'a retriable KafkaJS error',
      Object.assign(new Error('leader not available'), { retriable: true }),
    ],
    ['a transient cause', new Error('posting failed', { cause: pgError('40001') })],
  ])('retries %s', (_case, error) => {
    expect(classifyError(error)).toBe('transient');
  });

  it.each([
    ['a PermanentEventError', new PermanentEventError('organization org-1 has no primary ledger')],
    ['a poison message', new PoisonMessageError('unknown_type', 'unknown type')],
    [
      'a PermanentEventError caused by a transient one',
      new PermanentEventError('give up', { cause: pgError('40001') }),
    ],
    ['a unique violation', new UniqueConstraintViolationException(pgError('23505'))],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a thrown string', 'nope'],
    ['undefined', undefined],
  ])('dead-letters %s without retrying', (_case, error) => {
    expect(classifyError(error)).toBe('permanent');
  });
});

describe(describeError.name, () => {
  it('names the error class and message', () => {
    expect(describeError(new PermanentEventError('no primary ledger'))).toBe(
      'PermanentEventError: no primary ledger',
    );
  });

  it('truncates long messages for headers', () => {
    expect(describeError(new Error('x'.repeat(5_000)), 100)).toHaveLength(100);
  });

  it('describes a thrown non-error', () => {
    expect(describeError(42)).toBe('non-error thrown: 42');
  });
});
