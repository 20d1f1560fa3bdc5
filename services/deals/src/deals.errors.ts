import { mapDomainErrors, type DomainErrorMapping } from '@kontor/grpc';
import { DealError } from './settlements/domain/deal.errors';
import { DEAL_ERROR_STATUS } from './settlements/transport/deal-error.status';

/** How the service's domain errors become gRPC statuses (main.ts and in-process tests). */
export const DEALS_ERROR_MAPPINGS: DomainErrorMapping[] = [
  mapDomainErrors(DealError, DEAL_ERROR_STATUS),
];
