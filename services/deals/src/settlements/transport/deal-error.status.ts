import { GrpcStatus, type ErrorStatusTable } from '@kontor/grpc';
import { type DealErrorCode } from '../domain/deal.errors';

export const DEAL_ERROR_STATUS: ErrorStatusTable<DealErrorCode> = {
  INVALID_DEAL: GrpcStatus.INVALID_ARGUMENT,
  INVALID_PERIOD: GrpcStatus.INVALID_ARGUMENT,
  DEAL_NOT_FOUND: GrpcStatus.NOT_FOUND,
  PARTY_NOT_FOUND: GrpcStatus.NOT_FOUND,
  VERSION_CONFLICT: GrpcStatus.FAILED_PRECONDITION,
  REQUEST_CONFLICT: GrpcStatus.ALREADY_EXISTS,
  PERIOD_NOT_SETTLEABLE: GrpcStatus.FAILED_PRECONDITION,
  SETTLEMENT_NOT_FOUND: GrpcStatus.NOT_FOUND,
};
