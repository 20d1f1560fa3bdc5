import { DomainError } from '@kontor/errors';

export enum TenantErrorCode {
  INVALID_TENANT = 'INVALID_TENANT',
  TENANT_SLUG_TAKEN = 'TENANT_SLUG_TAKEN',
  TENANT_NOT_FOUND = 'TENANT_NOT_FOUND',
  API_KEY_NOT_FOUND = 'API_KEY_NOT_FOUND',
  INVALID_API_KEY_LABEL = 'INVALID_API_KEY_LABEL',
}

export class TenantError extends DomainError<TenantErrorCode> {}
