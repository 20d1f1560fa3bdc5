import { DomainError } from '@kontor/errors';

export enum DealErrorCode {
  INVALID_DEAL = 'INVALID_DEAL',
  INVALID_PERIOD = 'INVALID_PERIOD',
  DEAL_NOT_FOUND = 'DEAL_NOT_FOUND',
  PARTY_NOT_FOUND = 'PARTY_NOT_FOUND',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  REQUEST_CONFLICT = 'REQUEST_CONFLICT',
  PERIOD_NOT_SETTLEABLE = 'PERIOD_NOT_SETTLEABLE',
  SETTLEMENT_NOT_FOUND = 'SETTLEMENT_NOT_FOUND',
}

export class DealError extends DomainError<DealErrorCode> {}

/** One error naming every bad field, so a caller fixes a deal in one round. */
export function invalidDeal(
  violations: readonly { field: string; description: string }[],
): DealError {
  return new DealError(
    DealErrorCode.INVALID_DEAL,
    `invalid deal: ${violations.map((v) => `${v.field}: ${v.description}`).join('; ')}`,
    { fieldViolations: violations },
  );
}
