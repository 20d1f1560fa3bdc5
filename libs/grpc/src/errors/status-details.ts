import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { anyPack, anyUnpack } from '@bufbuild/protobuf/wkt';
import { Metadata, type status as GrpcStatus } from '@grpc/grpc-js';
import { BadRequestSchema, ErrorInfoSchema, StatusSchema } from '@kontor/contracts';
import { type FieldViolation } from '@kontor/errors';

// The trailer that carries a binary google.rpc.Status next to grpc-status / grpc-message; clients
// that understand rich status (grpcurl, Google client libraries, GrpcCallError) decode it.
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

export interface RichStatus {
  readonly code: GrpcStatus;
  readonly message: string;
  readonly reason?: string;
  readonly domain?: string;
  readonly fieldViolations?: readonly FieldViolation[];
}

export function encodeRichStatus(status: RichStatus): Buffer {
  const details = [];
  if (status.reason !== undefined) {
    const info = create(ErrorInfoSchema, { reason: status.reason, domain: status.domain ?? '' });
    details.push(anyPack(ErrorInfoSchema, info));
  }
  if (status.fieldViolations !== undefined && status.fieldViolations.length > 0) {
    const badRequest = create(BadRequestSchema, {
      fieldViolations: status.fieldViolations.map(({ field, description }) => ({
        field,
        description,
      })),
    });
    details.push(anyPack(BadRequestSchema, badRequest));
  }
  const message = create(StatusSchema, { code: status.code, message: status.message, details });
  return Buffer.from(toBinary(StatusSchema, message));
}

// Trailing metadata holding the rich status, ready to send with the error.
export function richStatusMetadata(status: RichStatus): Metadata {
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, encodeRichStatus(status));
  return metadata;
}

export interface DecodedStatusDetails {
  readonly reason?: string;
  readonly domain?: string;
  readonly fieldViolations: FieldViolation[];
}

// Reads ErrorInfo and BadRequest from the trailer; unknown detail types are skipped, and a
// garbled trailer yields no details rather than hiding the call's real status.
export function decodeStatusDetails(metadata: Metadata | undefined): DecodedStatusDetails {
  const raw = metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Buffer)) return { fieldViolations: [] };
  let status;
  try {
    status = fromBinary(StatusSchema, raw);
  } catch {
    return { fieldViolations: [] };
  }
  let reason: string | undefined;
  let domain: string | undefined;
  const fieldViolations: FieldViolation[] = [];
  for (const detail of status.details) {
    const info = anyUnpack(detail, ErrorInfoSchema);
    if (info !== undefined) {
      reason = info.reason;
      domain = info.domain;
    }
    const badRequest = anyUnpack(detail, BadRequestSchema);
    for (const violation of badRequest?.fieldViolations ?? []) {
      fieldViolations.push({ field: violation.field, description: violation.description });
    }
  }
  return { reason, domain, fieldViolations };
}
