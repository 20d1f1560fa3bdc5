import { GrpcStatus, type ErrorStatusTable } from '@kontor/grpc';
import { type LedgerErrorCode } from '../domain/ledger.errors';

export const LEDGER_ERROR_STATUS: ErrorStatusTable<LedgerErrorCode> = {
  INVALID_LEDGER: GrpcStatus.INVALID_ARGUMENT,
  LEDGER_NOT_FOUND: GrpcStatus.NOT_FOUND,
  REQUEST_ID_REUSED: GrpcStatus.ALREADY_EXISTS,
  OWNER_ORGANIZATION_NOT_FOUND: GrpcStatus.NOT_FOUND,
};
