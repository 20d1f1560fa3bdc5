import { type status as GrpcStatus } from '@grpc/grpc-js';
import { type FieldViolation } from '@kontor/errors';

// An error that already knows its gRPC status: raised by the transport itself (authentication,
// binding problems) and produced from DomainErrors by the status table.
export class GrpcStatusError extends Error {
  constructor(
    readonly code: GrpcStatus,
    message: string,
    readonly details: {
      readonly reason?: string;
      readonly domain?: string;
      readonly fieldViolations?: readonly FieldViolation[];
    } = {},
  ) {
    super(message);
    this.name = 'GrpcStatusError';
  }
}
