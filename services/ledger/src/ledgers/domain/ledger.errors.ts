import { DomainError } from '@kontor/errors';

export enum LedgerErrorCode {
  INVALID_LEDGER = 'INVALID_LEDGER',
  LEDGER_NOT_FOUND = 'LEDGER_NOT_FOUND',
  REQUEST_ID_REUSED = 'REQUEST_ID_REUSED',
  OWNER_ORGANIZATION_NOT_FOUND = 'OWNER_ORGANIZATION_NOT_FOUND',
}

export class LedgerError extends DomainError<LedgerErrorCode> {}
