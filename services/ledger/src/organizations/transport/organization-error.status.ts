import { GrpcStatus, type ErrorStatusTable } from '@kontor/grpc';
import { type OrganizationErrorCode } from '../domain/organization.errors';

export const ORGANIZATION_ERROR_STATUS: ErrorStatusTable<OrganizationErrorCode> = {
  INVALID_ORGANIZATION: GrpcStatus.INVALID_ARGUMENT,
  ORGANIZATION_NOT_FOUND: GrpcStatus.NOT_FOUND,
  EXTERNAL_ID_TAKEN: GrpcStatus.ALREADY_EXISTS,
  LEDGER_NOT_FOUND: GrpcStatus.NOT_FOUND,
};
