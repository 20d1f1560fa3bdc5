import { ConnectionException, DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';

/**
 * Thrown by a handler when the event can never be applied as it stands (unknown organization,
 * no primary ledger, unbalanced posting). The consumer sends the record to the dead-letter topic
 * at once, without retrying, and moves on; it can be replayed after the cause is fixed.
 */
export class PermanentEventError extends Error {
  override readonly name: string = 'PermanentEventError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Thrown by a handler when a later attempt may succeed (a dependency is briefly unavailable). */
export class TransientEventError extends Error {
  override readonly name: string = 'TransientEventError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type PoisonReason =
  | 'missing_header'
  | 'unsupported_specversion'
  | 'unsupported_content_type'
  | 'unknown_type'
  | 'undecodable_payload';

/** A record that is not a decodable event of its topic: nothing a retry could fix. */
export class PoisonMessageError extends PermanentEventError {
  override readonly name: string = 'PoisonMessageError';

  constructor(
    readonly reason: PoisonReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type ErrorClass = 'transient' | 'permanent';

// SQLSTATEs worth another attempt: the same transaction can succeed once the conflict or the
// outage is gone. See https://www.postgresql.org/docs/current/errcodes-appendix.html.
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57P04', // database_dropped
  '3D000', // invalid_catalog_name: the database is missing (not yet restored, misnamed)
  '57014', // query_canceled (statement_timeout)
  '25P04', // transaction_timeout
]);
// Whole classes: 08 connection exception, 53 insufficient resources, 28 invalid authorization
// (a rotated password or a missing role): an outage of the service's own database is never the
// event's fault, so it must hold the partition, not dead-letter all traffic until it is fixed.
const TRANSIENT_SQLSTATE_CLASSES = ['08', '53', '28'];
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
// pg and knex report a lost connection or an exhausted pool without a code.
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /timeout acquiring a connection/i,
  /connection (?:is )?(?:closed|not open|ended)/i,
  /client has encountered a connection error/i,
];
const CAUSE_DEPTH_MAX = 5;

function isTransientSignal(error: unknown): boolean {
  if (error instanceof TransientEventError) return true;
  if (
    error instanceof DeadlockException ||
    error instanceof LockWaitTimeoutException ||
    error instanceof ConnectionException
  ) {
    return true;
  }
  if (typeof error !== 'object' || error === null) return false;
  const { code, retriable, message, name } = error as {
    code?: unknown;
    retriable?: unknown;
    message?: unknown;
    name?: unknown;
  };
  if (typeof code === 'string') {
    if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code)) return true;
    if (code.length === 5 && TRANSIENT_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  // KafkaJS marks its own errors as retriable or not.
  if (retriable === true) return true;
  if (name === 'KnexTimeoutError') return true;

  return typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * Decides whether a failed event is retried or dead-lettered. An explicit PermanentEventError
 * wins; then the error and its causes are searched for a transient signal (deadlock,
 * serialization failure, lost connection, TransientEventError). Anything else is permanent: a
 * deterministic failure (a bug, a constraint violation) would only fail again, so it goes to
 * the dead-letter topic to be replayed once fixed instead of blocking the partition.
 */
export function classifyError(error: unknown): ErrorClass {
  let current: unknown = error;
  for (let depth = 0; depth < CAUSE_DEPTH_MAX && current !== undefined; depth++) {
    if (current instanceof PermanentEventError) return 'permanent';
    if (isTransientSignal(current)) return 'transient';
    current = current instanceof Error ? current.cause : undefined;
  }

  return 'permanent';
}

/** `Name: message`, the form stored in the `dlq_error` header and in logs. */
export function describeError(error: unknown, lengthMax = 1_000): string {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : `non-error thrown: ${String(error)}`;

  return text.length > lengthMax ? `${text.slice(0, lengthMax - 1)}…` : text;
}
