import { FieldViolations, quoteInput } from '@kontor/errors';
import { AccountError, AccountErrorCode } from './account.errors';

export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const ACCOUNT_ROLES = ['receivable', 'payable', 'clearing', 'tax'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export const BALANCE_LIMITS = ['no_negative', 'no_positive'] as const;
export type BalanceLimit = (typeof BALANCE_LIMITS)[number];

/** An account of a chart: what a ledger is created with, or what CreateAccount adds. */
export interface AccountSpec {
  code: string;
  name: string;
  type: AccountType;
  role?: AccountRole;
  balanceLimit?: BalanceLimit;
}

export interface NewAccount {
  code: string;
  name: string;
  /** Undefined when the caller did not say. */
  type: AccountType | undefined;
  role?: AccountRole;
  balanceLimit?: BalanceLimit;
}

export const ACCOUNT_CODE = /^[A-Za-z0-9.-]{1,20}$/;
const NAME_LENGTH_MAX = 200;

export function isValidAccountCode(code: string): boolean {
  return ACCOUNT_CODE.test(code);
}

/** Validates an account to create (trimmed); INVALID_ACCOUNT lists every bad field. */
export function validateNewAccount(input: NewAccount): AccountSpec {
  const violations = new FieldViolations();
  const code = input.code.trim();
  if (!isValidAccountCode(code)) {
    violations.add('code', `must be 1-20 letters, digits, "." or "-", got ${quoteInput(code)}`);
  }
  const name = input.name.trim();
  const nameLength = [...name].length;
  if (nameLength === 0 || nameLength > NAME_LENGTH_MAX) {
    violations.add('name', `must be 1-${NAME_LENGTH_MAX} characters, got ${nameLength}`);
  }
  if (input.type === undefined) {
    violations.add('type', `is required: one of ${ACCOUNT_TYPES.join(', ')}`);
  }
  if (!violations.isEmpty || input.type === undefined) {
    throw new AccountError(
      AccountErrorCode.INVALID_ACCOUNT,
      `invalid account: ${violations.summary()}`,
      { fieldViolations: violations.all },
    );
  }

  return { code, name, type: input.type, role: input.role, balanceLimit: input.balanceLimit };
}
