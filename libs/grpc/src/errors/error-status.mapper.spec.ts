import { status } from '@grpc/grpc-js';
import { RpcException } from '@nestjs/microservices';
import { DomainError, InvalidArgumentError, requireUuid } from '@kontor/errors';
import { ErrorStatusMapper, mapDomainErrors } from './error-status.mapper';
import { GrpcStatusError } from './grpc-status-error';

enum JournalErrorCode {
  SYMBOL_TAKEN = 'SYMBOL_TAKEN',
  SYMBOL_INVALID = 'SYMBOL_INVALID',
}
class JournalError extends DomainError<JournalErrorCode> {}
class JournalSymbolError extends JournalError {}

enum PeriodErrorCode {
  PERIOD_CLOSED = 'PERIOD_CLOSED',
}
class PeriodError extends DomainError<PeriodErrorCode> {}

describe(ErrorStatusMapper.name, () => {
  const sut = new ErrorStatusMapper({
    domain: 'ledger.kontor',
    mappings: [
      mapDomainErrors(JournalError, {
        SYMBOL_TAKEN: status.ALREADY_EXISTS,
        SYMBOL_INVALID: status.INVALID_ARGUMENT,
      }),
      mapDomainErrors(JournalSymbolError, {
        SYMBOL_TAKEN: status.FAILED_PRECONDITION,
        SYMBOL_INVALID: status.INVALID_ARGUMENT,
      }),
    ],
  });

  it('maps a domain error code through its table, with message, reason, domain and fields', () => {
    const error = new JournalError(
      JournalErrorCode.SYMBOL_TAKEN,
      'journal symbol CASH is taken in 2026',
      {
        fieldViolations: [{ field: 'symbol', description: 'taken' }],
      },
    );
    expect(sut.map(error)).toEqual({
      status: {
        code: status.ALREADY_EXISTS,
        message: 'journal symbol CASH is taken in 2026',
        reason: 'SYMBOL_TAKEN',
        domain: 'ledger.kontor',
        fieldViolations: [{ field: 'symbol', description: 'taken' }],
      },
    });
  });

  it('uses the table of the most specific class that has one', () => {
    const error = new JournalSymbolError(JournalErrorCode.SYMBOL_TAKEN, 'x');
    expect(sut.map(error).status.code).toBe(status.FAILED_PRECONDITION);
  });

  it('treats a domain error without a table as unexpected: INTERNAL with an incident reference', () => {
    const mapped = sut.map(new PeriodError(PeriodErrorCode.PERIOD_CLOSED, 'March 2026 is closed'));
    expect(mapped.status.code).toBe(status.INTERNAL);
    expect(mapped.status.message).toBe(`internal error (incident ${mapped.incidentRef})`);
  });

  it('does not leak the message of an unexpected error', () => {
    const mapped = sut.map(new Error('password=hunter2'));
    expect(mapped.status).toEqual({
      code: status.INTERNAL,
      message: expect.stringMatching(/^internal error/) as unknown,
    });
    expect(JSON.stringify(mapped.status)).not.toContain('hunter2');
  });

  it('does not mistake an inherited object key for a mapped code', () => {
    const mapped = sut.map(new JournalError('toString' as JournalErrorCode, 'x'));
    expect(mapped.status.code).toBe(status.INTERNAL);
  });

  it('keeps the status of a GrpcStatusError and of an RpcException carrying { code, message }', () => {
    expect(
      sut.map(new GrpcStatusError(status.UNAUTHENTICATED, 'who are you')).status,
    ).toMatchObject({
      code: status.UNAUTHENTICATED,
      message: 'who are you',
    });
    expect(sut.map(new RpcException({ code: status.NOT_FOUND, message: 'gone' })).status).toEqual({
      code: status.NOT_FOUND,
      message: 'gone',
    });
  });

  it('maps the shared InvalidArgumentError of @kontor/errors without a service table', () => {
    const error = (() => {
      try {
        return requireUuid('ledger_id', 'abc');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(sut.map(error).status).toMatchObject({
      code: status.INVALID_ARGUMENT,
      reason: 'INVALID_ARGUMENT',
      fieldViolations: [{ field: 'ledger_id', description: 'must be a UUID, got "abc"' }],
    });
  });

  it('maps other error classes through toDomainError', () => {
    class MoneyError extends Error {}
    const withHook = new ErrorStatusMapper({
      domain: 'ledger.kontor',
      mappings: [mapDomainErrors(PeriodError, { PERIOD_CLOSED: status.FAILED_PRECONDITION })],
      toDomainError: (e) =>
        e instanceof MoneyError
          ? new PeriodError(PeriodErrorCode.PERIOD_CLOSED, e.message)
          : undefined,
    });
    expect(withHook.map(new MoneyError('too many digits')).status).toMatchObject({
      code: status.FAILED_PRECONDITION,
      message: 'too many digits',
    });
  });

  it('makes the compiler refuse a table that misses a code', () => {
    // @ts-expect-error: SYMBOL_INVALID has no status.
    mapDomainErrors(JournalError, { SYMBOL_TAKEN: status.ALREADY_EXISTS });
    // @ts-expect-error: OK is not a failure status.
    mapDomainErrors(PeriodError, { PERIOD_CLOSED: status.OK });
  });
});
