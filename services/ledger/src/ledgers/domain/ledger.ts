import { Currency, MoneyError } from '@kontor/money';
import { FieldViolations } from '@kontor/errors';
import { LedgerError, LedgerErrorCode } from './ledger.errors';

export interface NewLedger {
  requestId: string;
  name: string;
  baseCurrency: string;
  /** Organization owning the book; empty or absent = none. */
  ownerOrganizationId?: string;
  /** Whether to create the default chart of accounts with the ledger. */
  createDefaultChart?: boolean;
}

/** A validated ledger request: the owner is a normalized UUID or null. */
export interface ValidLedger {
  requestId: string;
  name: string;
  baseCurrency: string;
  ownerOrganizationId: string | null;
  createDefaultChart: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const NAME_LENGTH_MAX = 200;
const REQUEST_ID_LENGTH_MAX = 200;

/**
 * Validates a ledger to create and returns it normalized (trimmed name, upper-case currency).
 * Rejects with INVALID_LEDGER listing every bad field.
 */
export function validateNewLedger(input: NewLedger): ValidLedger {
  const violations = new FieldViolations();
  const requestId = input.requestId.trim();
  if (requestId.length === 0 || requestId.length > REQUEST_ID_LENGTH_MAX) {
    violations.add(
      'request_id',
      `must be 1-${REQUEST_ID_LENGTH_MAX} characters (an idempotency key)`,
    );
  }
  const name = input.name.trim();
  if (name.length === 0 || name.length > NAME_LENGTH_MAX) {
    violations.add('name', `must be 1-${NAME_LENGTH_MAX} characters, got ${name.length}`);
  }
  let baseCurrency = input.baseCurrency;
  try {
    baseCurrency = Currency.of(input.baseCurrency).code;
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    violations.add('base_currency', `"${input.baseCurrency}" is not an ISO 4217 currency code`);
  }
  const owner = input.ownerOrganizationId ?? '';
  if (owner !== '' && !UUID.test(owner)) {
    violations.add('owner_organization_id', `must be a UUID or empty, got "${owner.slice(0, 60)}"`);
  }
  if (!violations.isEmpty) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_LEDGER,
      `invalid ledger: ${violations.summary()}`,
      { fieldViolations: violations.all },
    );
  }

  return {
    requestId,
    name,
    baseCurrency,
    ownerOrganizationId: owner === '' ? null : owner.toLowerCase(),
    createDefaultChart: input.createDefaultChart ?? false,
  };
}

/** A retry must repeat the original request exactly; anything else is a reused key. */
export function isSameLedgerRequest(original: ValidLedger, retry: ValidLedger): boolean {
  return (
    original.name === retry.name &&
    original.baseCurrency === retry.baseCurrency &&
    original.ownerOrganizationId === retry.ownerOrganizationId &&
    original.createDefaultChart === retry.createDefaultChart
  );
}
