import { GrpcStatus, type ErrorStatusTable } from '@kontor/grpc';
import { type ImportErrorCode } from '../domain/import.errors';

export const IMPORT_ERROR_STATUS: ErrorStatusTable<ImportErrorCode> = {
  INVALID_PROFILE: GrpcStatus.INVALID_ARGUMENT,
  PROFILE_NOT_FOUND: GrpcStatus.NOT_FOUND,
  PROFILE_NAME_TAKEN: GrpcStatus.ALREADY_EXISTS,
  PROFILE_VERSION_CONFLICT: GrpcStatus.FAILED_PRECONDITION,
  REQUEST_ID_REUSED: GrpcStatus.ALREADY_EXISTS,
  JOB_NOT_FOUND: GrpcStatus.NOT_FOUND,
  JOB_STATE_CONFLICT: GrpcStatus.FAILED_PRECONDITION,
  FILE_TOO_LARGE: GrpcStatus.RESOURCE_EXHAUSTED,
  FILE_UNREADABLE: GrpcStatus.INVALID_ARGUMENT,
  LEDGER_UNAVAILABLE: GrpcStatus.UNAVAILABLE,
};
