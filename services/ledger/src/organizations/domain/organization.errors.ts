import { DomainError } from '@kontor/errors';

export enum OrganizationErrorCode {
  INVALID_ORGANIZATION = 'INVALID_ORGANIZATION',
  ORGANIZATION_NOT_FOUND = 'ORGANIZATION_NOT_FOUND',
  EXTERNAL_ID_TAKEN = 'EXTERNAL_ID_TAKEN',
  LEDGER_NOT_FOUND = 'LEDGER_NOT_FOUND',
}

export class OrganizationError extends DomainError<OrganizationErrorCode> {}
