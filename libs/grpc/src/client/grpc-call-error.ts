import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { type FieldViolation } from '@kontor/errors';
import { decodeStatusDetails } from '../errors/status-details';

// A failed call as the caller sees it: status code, the server's message, and the rich details.
export class GrpcCallError extends Error {
  readonly code: status;
  // e.g. "INVALID_ARGUMENT".
  readonly codeName: string;
  readonly fieldViolations: readonly FieldViolation[];
  // google.rpc.ErrorInfo reason and domain, when the server sent them.
  readonly reason: string | undefined;
  readonly domain: string | undefined;
  readonly metadata: Metadata;

  constructor(code: status, message: string, metadata: Metadata = new Metadata()) {
    super(message);
    this.name = 'GrpcCallError';
    this.code = code;
    this.codeName = status[code] ?? `STATUS_${code}`;
    this.metadata = metadata;
    const details = decodeStatusDetails(metadata);
    this.fieldViolations = details.fieldViolations;
    this.reason = details.reason;
    this.domain = details.domain;
  }

  static from(error: unknown): GrpcCallError {
    if (error instanceof GrpcCallError) return error;
    const candidate = error as Partial<ServiceError> | undefined;
    if (typeof candidate?.code === 'number') {
      return new GrpcCallError(candidate.code, candidate.details ?? '', candidate.metadata);
    }
    const message = error instanceof Error ? error.message : String(error);
    return new GrpcCallError(status.UNKNOWN, message);
  }
}
