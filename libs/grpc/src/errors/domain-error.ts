// Domain errors are data: a code from the domain's own enum, a message a person can act on, and
// optionally the offending fields. They carry no transport knowledge; a per-service table maps
// each code to a gRPC status (see mapDomainErrors), so domain code stays free of @grpc imports.

export interface FieldViolation {
  // Path to the field in the request, e.g. "lines[1].amount".
  readonly field: string;
  // What is wrong with it, e.g. "must be positive".
  readonly description: string;
}

export interface DomainErrorOptions {
  readonly fieldViolations?: readonly FieldViolation[];
  // Stable machine-readable reason for google.rpc.ErrorInfo; defaults to the code.
  readonly reason?: string;
  readonly cause?: unknown;
}

export class DomainError<Code extends string = string> extends Error {
  readonly fieldViolations: readonly FieldViolation[];
  readonly reason: string;

  constructor(
    readonly code: Code,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.fieldViolations = options.fieldViolations ?? [];
    this.reason = options.reason ?? code;
  }
}
