import { DomainError } from '@kontor/errors';

export enum BalanceErrorCode {
  INVALID_QUERY = 'INVALID_QUERY',
  LEDGER_NOT_FOUND = 'LEDGER_NOT_FOUND',
  ACCOUNT_NOT_FOUND = 'ACCOUNT_NOT_FOUND',
  ORGANIZATION_NOT_FOUND = 'ORGANIZATION_NOT_FOUND',
}

export class BalanceError extends DomainError<BalanceErrorCode> {}

/** One bad field of a read request: INVALID_QUERY naming it. */
export function invalidQuery(field: string, description: string): BalanceError {
  return new BalanceError(BalanceErrorCode.INVALID_QUERY, `${field}: ${description}`, {
    fieldViolations: [{ field, description }],
  });
}

/**
 * A trial balance whose debits and credits differ is a bug in the write path (or data corrupted
 * behind its back), never a result: deliberately not a DomainError, so the transport answers
 * INTERNAL with an incident reference and logs this message and stack.
 */
export class UnbalancedTrialBalanceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnbalancedTrialBalanceError';
  }
}
