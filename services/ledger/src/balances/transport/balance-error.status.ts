import { GrpcStatus, type ErrorStatusTable } from '@kontor/grpc';
import { type BalanceErrorCode } from '../domain/balance.errors';

export const BALANCE_ERROR_STATUS: ErrorStatusTable<BalanceErrorCode> = {
  INVALID_QUERY: GrpcStatus.INVALID_ARGUMENT,
  LEDGER_NOT_FOUND: GrpcStatus.NOT_FOUND,
  ACCOUNT_NOT_FOUND: GrpcStatus.NOT_FOUND,
  ORGANIZATION_NOT_FOUND: GrpcStatus.NOT_FOUND,
};
