import { DomainError } from '@kontor/errors';

export enum AccountErrorCode {
  INVALID_ACCOUNT = 'INVALID_ACCOUNT',
  ACCOUNT_NOT_FOUND = 'ACCOUNT_NOT_FOUND',
  ACCOUNT_CODE_TAKEN = 'ACCOUNT_CODE_TAKEN',
  LEDGER_NOT_FOUND = 'LEDGER_NOT_FOUND',
}

export class AccountError extends DomainError<AccountErrorCode> {}
