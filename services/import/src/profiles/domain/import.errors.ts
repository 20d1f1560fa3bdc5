import { DomainError } from '@kontor/errors';

export enum ImportErrorCode {
  INVALID_PROFILE = 'INVALID_PROFILE',
  PROFILE_NOT_FOUND = 'PROFILE_NOT_FOUND',
  PROFILE_NAME_TAKEN = 'PROFILE_NAME_TAKEN',
  PROFILE_VERSION_CONFLICT = 'PROFILE_VERSION_CONFLICT',
  REQUEST_ID_REUSED = 'REQUEST_ID_REUSED',
  JOB_NOT_FOUND = 'JOB_NOT_FOUND',
  JOB_STATE_CONFLICT = 'JOB_STATE_CONFLICT',
  FILE_TOO_LARGE = 'FILE_TOO_LARGE',
  FILE_UNREADABLE = 'FILE_UNREADABLE',
  LEDGER_UNAVAILABLE = 'LEDGER_UNAVAILABLE',
}

/** Every import failure a caller can act on; transport maps the code to a gRPC status. */
export class ImportError extends DomainError<ImportErrorCode> {}
