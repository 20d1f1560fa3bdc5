import { randomBytes } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { DomainError, InvalidArgumentError } from '@kontor/errors';
import { GrpcStatusError } from './grpc-status-error';
import { type RichStatus } from './status-details';

// Any status but OK: what a domain error code may map to.
export type DomainErrorStatus = Exclude<status, status.OK>;

// A service's table from its domain error codes to gRPC statuses. Being a Record over the code
// union, it makes the compiler refuse a code without a status.
export type ErrorStatusTable<Code extends string> = Readonly<Record<Code, DomainErrorStatus>>;

type DomainErrorClass<Code extends string> = abstract new (...args: never[]) => DomainError<Code>;

export interface DomainErrorMapping {
  readonly errorClass: DomainErrorClass<string>;
  readonly statuses: Readonly<Record<string, DomainErrorStatus>>;
}

// Pairs a DomainError subclass with its status table:
//   mapDomainErrors(JournalError, { SYMBOL_TAKEN: status.ALREADY_EXISTS, ... })
// The code type comes from the class alone (NoInfer), so a missing key is a compile error.
export function mapDomainErrors<Code extends string>(
  errorClass: DomainErrorClass<Code>,
  statuses: ErrorStatusTable<NoInfer<Code>>,
): DomainErrorMapping {
  return { errorClass, statuses };
}

export interface ErrorStatusMapperOptions {
  // google.rpc.ErrorInfo.domain of this service's errors, e.g. "ledger.kontor".
  readonly domain: string;
  readonly mappings?: readonly DomainErrorMapping[];
  // Turns other error classes (e.g. a MoneyError from a shared lib) into DomainErrors.
  readonly toDomainError?: (error: unknown) => DomainError | undefined;
}

export interface MappedError {
  readonly status: RichStatus;
  // Set when the error was not expected: the server logs it under this reference, and the client
  // sees only a generic message quoting the reference.
  readonly incidentRef?: string;
}

interface ErrorShapedObject {
  readonly code: unknown;
  readonly message: unknown;
}

// Nest's RpcException carries `{ code, message }` when a service author uses Nest's own idiom.
function isStatusShaped(value: unknown): value is { code: status; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as ErrorShapedObject;
  return typeof code === 'number' && code > 0 && code <= 16 && typeof message === 'string';
}

function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

// Shared error classes every service may throw; a service's own mapping of them wins.
const SHARED_MAPPINGS: readonly DomainErrorMapping[] = [
  mapDomainErrors(InvalidArgumentError, { INVALID_ARGUMENT: status.INVALID_ARGUMENT }),
];

export class ErrorStatusMapper {
  private readonly mappings: readonly DomainErrorMapping[];

  constructor(private readonly options: ErrorStatusMapperOptions) {
    this.mappings = [...(options.mappings ?? []), ...SHARED_MAPPINGS];
  }

  map(error: unknown): MappedError {
    if (error instanceof GrpcStatusError) {
      return { status: { code: error.code, message: error.message, ...error.details } };
    }
    const domainError = isDomainError(error) ? error : this.options.toDomainError?.(error);
    if (domainError !== undefined) return this.mapDomainError(domainError);
    const rpcError: unknown =
      typeof (error as { getError?: unknown })?.getError === 'function'
        ? (error as { getError: () => unknown }).getError()
        : undefined;
    if (isStatusShaped(rpcError)) {
      return { status: { code: rpcError.code, message: rpcError.message } };
    }
    return this.unexpected();
  }

  private mapDomainError(error: DomainError): MappedError {
    const code = this.statusOf(error);
    if (code === undefined) return this.unexpected();
    return {
      status: {
        code,
        message: error.message,
        reason: error.reason,
        domain: this.options.domain,
        fieldViolations: error.fieldViolations,
      },
    };
  }

  // The table of the most specific class in the error's prototype chain that has one.
  private statusOf(error: DomainError): DomainErrorStatus | undefined {
    for (
      let prototype: unknown = Object.getPrototypeOf(error);
      prototype !== null && prototype !== Object.prototype;
      prototype = Object.getPrototypeOf(prototype)
    ) {
      const mapping = this.mappings.find((m) => m.errorClass.prototype === prototype);
      if (mapping === undefined) continue;
      return Object.hasOwn(mapping.statuses, error.code) ? mapping.statuses[error.code] : undefined;
    }
    return undefined;
  }

  private unexpected(): MappedError {
    const incidentRef = randomBytes(6).toString('hex');
    return {
      status: { code: status.INTERNAL, message: `internal error (incident ${incidentRef})` },
      incidentRef,
    };
  }
}
