// Domain errors are data: a code from the domain's own enum, a message a person can act on, and the
// fields at fault. Transports decide the status (gRPC maps codes through a per-service table), so
// domain code never imports a transport.

export interface FieldViolation {
  /** Path of the offending input field, e.g. `lines[2].amount` or `base_currency`. */
  readonly field: string;
  /** What is wrong with it and what would be accepted. */
  readonly description: string;
}

export interface DomainErrorOptions {
  readonly fieldViolations?: readonly FieldViolation[];
  /** Stable machine-readable reason (google.rpc.ErrorInfo.reason); defaults to the code. */
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

/** Collects every field problem of an input before throwing, so callers fix them in one round. */
export class FieldViolations {
  private readonly violations: FieldViolation[] = [];

  add(field: string, description: string): this {
    this.violations.push({ field, description });

    return this;
  }

  get isEmpty(): boolean {
    return this.violations.length === 0;
  }

  get all(): readonly FieldViolation[] {
    return this.violations;
  }

  /** One-line summary for the error message, e.g. `name: must not be empty; base_currency: …`. */
  summary(): string {
    return this.violations.map((v) => `${v.field}: ${v.description}`).join('; ');
  }
}

/** Input that is malformed whatever the domain: a bad id, a missing field. */
export class InvalidArgumentError extends DomainError<'INVALID_ARGUMENT'> {
  constructor(field: string, description: string) {
    super('INVALID_ARGUMENT', `${field}: ${description}`, {
      fieldViolations: [{ field, description }],
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; checking them up front turns a database type error into a clear answer. */
export function requireUuid(field: string, value: string): string {
  if (!UUID.test(value)) throw new InvalidArgumentError(field, `must be a UUID, got "${value}"`);

  return value.toLowerCase();
}

/**
 * Quotes caller input for an error message, cut short (counted in code points) so a 10 KB value
 * does not come back whole, yet the message still says how long it was.
 */
export function quoteInput(text: string, max = 40): string {
  const chars = [...text];

  return chars.length <= max
    ? `"${text}"`
    : `"${chars.slice(0, max).join('')}…" (${chars.length} characters)`;
}
