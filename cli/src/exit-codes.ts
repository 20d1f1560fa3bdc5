import { status } from '@grpc/grpc-js';
import { GrpcCallError } from '@kontor/grpc/client';

// What `kontor` exits with, so scripts can tell "you asked wrong" from "it isn't running".
// 64+ follow sysexits.h, like the services themselves.
export const ExitCode = {
  ok: 0,
  /** Anything not covered below (a bug, an unexpected server error). */
  failed: 1,
  /** The server refused the request: invalid input, a failed precondition, a clash. */
  rejected: 2,
  /** What the command names does not exist (or belongs to another tenant). */
  notFound: 3,
  /** The credential is missing its rights, unknown or revoked. */
  notAuthorized: 4,
  /** Bad flags or arguments. */
  usage: 64,
  /** A file given to the command cannot be read or parsed. */
  badInput: 65,
  /** The server cannot be reached or did not answer in time. */
  unavailable: 69,
  /** No usable connection settings (address, API key, admin token, profile). */
  config: 78,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the user can fix, reported as one line with its exit code. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Ends the command with a code after its output was printed; nothing more to say. */
export class QuietExit extends Error {
  constructor(readonly exitCode: ExitCodeValue) {
    super(`exit ${exitCode}`);
    this.name = 'QuietExit';
  }
}

export const usageError = (message: string) => new CliError(ExitCode.usage, message);
export const configError = (message: string) => new CliError(ExitCode.config, message);
export const inputError = (message: string) => new CliError(ExitCode.badInput, message);

const STATUS_EXIT: Partial<Record<status, ExitCodeValue>> = {
  [status.INVALID_ARGUMENT]: ExitCode.rejected,
  [status.FAILED_PRECONDITION]: ExitCode.rejected,
  [status.ALREADY_EXISTS]: ExitCode.rejected,
  [status.OUT_OF_RANGE]: ExitCode.rejected,
  [status.ABORTED]: ExitCode.rejected,
  [status.NOT_FOUND]: ExitCode.notFound,
  [status.UNAUTHENTICATED]: ExitCode.notAuthorized,
  [status.PERMISSION_DENIED]: ExitCode.notAuthorized,
  [status.UNAVAILABLE]: ExitCode.unavailable,
  [status.DEADLINE_EXCEEDED]: ExitCode.unavailable,
};

export interface FailureReport {
  exitCode: ExitCodeValue;
  /** The first line says what went wrong; the rest name the offending fields. */
  lines: string[];
}

/** Turns any failure into what the user reads: no stack traces, one line plus field details. */
export function describeFailure(error: unknown, verbose = false): FailureReport {
  if (error instanceof QuietExit) return { exitCode: error.exitCode, lines: [] };
  if (error instanceof CliError) return { exitCode: error.exitCode, lines: [error.message] };
  if (error instanceof GrpcCallError) {
    const exitCode = STATUS_EXIT[error.code] ?? ExitCode.failed;
    const lines = [`${error.codeName}: ${error.message}`];
    for (const violation of error.fieldViolations) {
      const line = `${violation.field}: ${violation.description}`;
      // Servers often put the only violation in the message too: say it once.
      if (!error.message.includes(line)) lines.push(`  ${line}`);
    }
    return { exitCode, lines };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`unexpected error: ${message}`];
  if (verbose && error instanceof Error && error.stack) lines.push(error.stack);
  return { exitCode: ExitCode.failed, lines };
}
