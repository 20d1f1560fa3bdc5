import { GrpcStatus, type ErrorStatusTable } from '@kontor/grpc';
import { type AccountErrorCode } from '../domain/account.errors';

export const ACCOUNT_ERROR_STATUS: ErrorStatusTable<AccountErrorCode> = {
  INVALID_ACCOUNT: GrpcStatus.INVALID_ARGUMENT,
  ACCOUNT_NOT_FOUND: GrpcStatus.NOT_FOUND,
  ACCOUNT_CODE_TAKEN: GrpcStatus.ALREADY_EXISTS,
  LEDGER_NOT_FOUND: GrpcStatus.NOT_FOUND,
};
