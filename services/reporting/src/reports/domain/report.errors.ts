import { DomainError } from '@kontor/errors';

export enum ReportErrorCode {
  INVALID_QUERY = 'INVALID_QUERY',
  LEDGER_NOT_FOUND = 'LEDGER_NOT_FOUND',
  ACCOUNT_NOT_FOUND = 'ACCOUNT_NOT_FOUND',
  CUSTOMER_NOT_FOUND = 'CUSTOMER_NOT_FOUND',
  ORGANIZATION_NOT_FOUND = 'ORGANIZATION_NOT_FOUND',
  NOT_CURRENT_YET = 'NOT_CURRENT_YET',
}

export class ReportError extends DomainError<ReportErrorCode> {}

/** A bad report parameter, naming the field. */
export function invalidQuery(field: string, description: string): ReportError {
  return new ReportError(ReportErrorCode.INVALID_QUERY, `${field}: ${description}`, {
    fieldViolations: [{ field, description }],
  });
}
