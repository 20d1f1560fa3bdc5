// Domain errors are data: a code from the domain's own enum, a message a person can act on, and the
// fields at fault. Transports decide the status (gRPC maps codes through a per-service table), so
// domain code never imports a transport.

export interface FieldViolation {
  /** Path of the offending input field, e.g. `lines[2].amount` or `base_currency`. */
  field: string;
  /** What is wrong with it and what would be accepted. */
  description: string;
}

export abstract class DomainError<Code extends string = string> extends Error {
  /** The domain this error belongs to, e.g. `kontor.ledger`; with the code it names the reason. */
  abstract readonly domain: string;

  constructor(
    readonly code: Code,
    message: string,
    readonly fieldViolations: readonly FieldViolation[] = [],
  ) {
    super(message);
    this.name = new.target.name;
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
