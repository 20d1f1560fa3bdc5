import { GrpcStatus, type ErrorStatusTable } from '@kontor/grpc';
import { type ReportErrorCode } from '../domain/report.errors';

export const REPORT_ERROR_STATUS: ErrorStatusTable<ReportErrorCode> = {
  INVALID_QUERY: GrpcStatus.INVALID_ARGUMENT,
  LEDGER_NOT_FOUND: GrpcStatus.NOT_FOUND,
  ACCOUNT_NOT_FOUND: GrpcStatus.NOT_FOUND,
  CUSTOMER_NOT_FOUND: GrpcStatus.NOT_FOUND,
  ORGANIZATION_NOT_FOUND: GrpcStatus.NOT_FOUND,
  NOT_CURRENT_YET: GrpcStatus.DEADLINE_EXCEEDED,
};
