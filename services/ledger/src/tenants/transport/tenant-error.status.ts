import { GrpcStatus, type ErrorStatusTable } from '@kontor/grpc';
import { type TenantErrorCode } from '../domain/tenant.errors';

export const TENANT_ERROR_STATUS: ErrorStatusTable<TenantErrorCode> = {
  INVALID_TENANT: GrpcStatus.INVALID_ARGUMENT,
  INVALID_API_KEY_LABEL: GrpcStatus.INVALID_ARGUMENT,
  TENANT_SLUG_TAKEN: GrpcStatus.ALREADY_EXISTS,
  TENANT_NOT_FOUND: GrpcStatus.NOT_FOUND,
  API_KEY_NOT_FOUND: GrpcStatus.NOT_FOUND,
};
