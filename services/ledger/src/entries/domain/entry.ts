import { createHash } from 'node:crypto';
import { FieldViolations, quoteInput } from '@kontor/errors';
import { Money, MoneyError } from '@kontor/money';
import { EntryError, EntryErrorCode } from './entry.errors';

export type EntrySide = 'debit' | 'credit';

export const TRANSACTION_TYPES = [
  'invoice',
  'payment',
  'refund',
  'credit_note',
  'chargeback',
  'fee',
  'revenue',
  'cost',
  'revenue_share',
  'adjustment',
  'transfer',
] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const ENTRY_SOURCES = ['api', 'event', 'import', 'settlement', 'reversal'] as const;
export type EntrySource = (typeof ENTRY_SOURCES)[number];

/** Sources a client may set over the API; the others are set by the ledger itself. */
export const CLIENT_SOURCES: readonly EntrySource[] = ['api', 'import'];

export const MAX_LINES_PER_ENTRY = 500;
export const MAX_ENTRIES_PER_BATCH = 1000;
const MAX_KEY = 200;
const MAX_PAYMENT_METHOD = 50;
const MAX_REFERENCE = 200;
const MAX_DESCRIPTION = 500;
const MAX_DIMENSION = 200;
const MAX_MEMO = 500;
const JOURNAL_SYMBOL = /^[A-Za-z0-9]{1,50}$/;
const ACCOUNT_CODE = /^[A-Za-z0-9.-]{1,20}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An entry as a caller hands it over (wire strings; '' = not set). */
export interface EntryLineInput {
  accountCode: string;
  /** '' when unset. */
  side: EntrySide | '';
  amount: string;
  currency: string;
  counterpartyId: string;
  product: string;
  orderId: string;
  dealId: string;
  memo: string;
}

export interface EntryInput {
  idempotencyKey: string;
  ledgerId: string;
  journalSymbol: string;
  entryDate: string;
  /** '' when unset. */
  transactionType: TransactionType | '';
  paymentMethod: string;
  reference: string;
  description: string;
  lines: readonly EntryLineInput[];
  /** '' = api. */
  source: EntrySource | '';
  dueDate: string;
}

export interface EntryLineCommand {
  accountCode: string;
  side: EntrySide;
  amount: Money;
  counterpartyId: string | null;
  product: string | null;
  orderId: string | null;
  dealId: string | null;
  memo: string | null;
}

/** A validated, normalized entry: what gets posted, and what its digest is computed over. */
export interface EntryCommand {
  idempotencyKey: string;
  ledgerId: string;
  journalSymbol: string;
  entryDate: string;
  transactionType: TransactionType;
  paymentMethod: string | null;
  reference: string | null;
  description: string | null;
  dueDate: string | null;
  source: EntrySource;
  reversesEntryId: string | null;
  lines: EntryLineCommand[];
  /** SHA-256 of the canonical JSON of everything above. */
  digest: Buffer;
}

export interface ValidateOptions {
  /** Sources this caller may set; the input's '' becomes the first. */
  allowedSources: readonly EntrySource[];
  reversesEntryId?: string | null;
}

/** True for a real calendar date written "YYYY-MM-DD" (years 1000-9999). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));

  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function optionalText(
  violations: FieldViolations,
  field: string,
  value: string,
  max: number,
): string | null {
  if (value.length > max) {
    violations.add(field, `must be at most ${max} characters, got ${value.length}`);
  }

  return value === '' ? null : value;
}

function validateLine(
  violations: FieldViolations,
  line: EntryLineInput,
  path: string,
): EntryLineCommand | undefined {
  const before = violations.all.length;
  if (!ACCOUNT_CODE.test(line.accountCode)) {
    violations.add(
      `${path}.account_code`,
      line.accountCode === ''
        ? 'must not be empty'
        : `must be 1-20 letters, digits, "." or "-", got ${quoteInput(line.accountCode)}`,
    );
  }
  if (line.side !== 'debit' && line.side !== 'credit') {
    violations.add(`${path}.side`, 'must be DEBIT or CREDIT');
  }
  let amount: Money | undefined;
  try {
    amount = Money.parse(line.amount, line.currency);
    if (!amount.isPositive()) {
      violations.add(`${path}.amount`, `must be positive, got "${line.amount}"`);
    }
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    const field = error.field === 'currency' ? 'amount.currency' : 'amount';
    const description =
      line.amount === '' && error.field !== 'currency' ? 'must not be empty' : error.message;
    violations.add(`${path}.${field}`, description);
  }
  const counterpartyId = line.counterpartyId === '' ? null : line.counterpartyId.toLowerCase();
  if (counterpartyId !== null && !UUID.test(counterpartyId)) {
    violations.add(
      `${path}.counterparty_id`,
      `must be a UUID, got ${quoteInput(line.counterpartyId)}`,
    );
  }
  const product = optionalText(violations, `${path}.product`, line.product, MAX_DIMENSION);
  const orderId = optionalText(violations, `${path}.order_id`, line.orderId, MAX_DIMENSION);
  const dealId = optionalText(violations, `${path}.deal_id`, line.dealId, MAX_DIMENSION);
  const memo = optionalText(violations, `${path}.memo`, line.memo, MAX_MEMO);
  if (violations.all.length !== before || amount === undefined || line.side === '') return;

  return {
    accountCode: line.accountCode,
    side: line.side,
    amount,
    counterpartyId,
    product,
    orderId,
    dealId,
    memo,
  };
}

function validateHeader(violations: FieldViolations, input: EntryInput, options: ValidateOptions) {
  if (input.idempotencyKey.length < 1 || input.idempotencyKey.length > MAX_KEY) {
    violations.add(
      'idempotency_key',
      input.idempotencyKey === ''
        ? 'must not be empty'
        : `must be at most ${MAX_KEY} characters, got ${input.idempotencyKey.length}`,
    );
  }
  if (!UUID.test(input.ledgerId)) {
    violations.add(
      'ledger_id',
      input.ledgerId === ''
        ? 'must not be empty'
        : `must be a UUID, got ${quoteInput(input.ledgerId)}`,
    );
  }
  if (!JOURNAL_SYMBOL.test(input.journalSymbol)) {
    violations.add(
      'journal_symbol',
      input.journalSymbol === ''
        ? 'must not be empty'
        : `must be 1-50 letters or digits, got ${quoteInput(input.journalSymbol)}`,
    );
  }
  if (!isIsoDate(input.entryDate)) {
    violations.add(
      'entry_date',
      input.entryDate === ''
        ? 'must not be empty'
        : `must be a real date "YYYY-MM-DD", got ${quoteInput(input.entryDate)}`,
    );
  }
  if (input.dueDate !== '' && !isIsoDate(input.dueDate)) {
    violations.add(
      'due_date',
      `must be a real date "YYYY-MM-DD", got ${quoteInput(input.dueDate)}`,
    );
  }
  if (!(TRANSACTION_TYPES as readonly string[]).includes(input.transactionType)) {
    violations.add('transaction_type', 'must be set');
  }
  const source = input.source === '' ? options.allowedSources[0] : input.source;
  if (!options.allowedSources.includes(source)) {
    violations.add(
      'source',
      `must be one of ${options.allowedSources.join(', ').toUpperCase()}; ${source.toUpperCase()} is set by the ledger`,
    );
  }

  return source;
}

/** Per currency, debits must equal credits; returns the first currency that does not balance. */
function checkBalanced(lines: readonly EntryLineCommand[]): void {
  const sums = new Map<string, { debit: Money; credit: Money }>();
  for (const line of lines) {
    const code = line.amount.currency.code;
    const sum = sums.get(code) ?? { debit: Money.zero(code), credit: Money.zero(code) };
    sum[line.side] = sum[line.side].plus(line.amount);
    sums.set(code, sum);
  }
  const unbalanced = [...sums.entries()].filter(([, sum]) => !sum.debit.equals(sum.credit));
  if (unbalanced.length === 0) return;
  const parts = unbalanced.map(
    ([code, sum]) => `${code}: debits ${sum.debit.toString()} != credits ${sum.credit.toString()}`,
  );
  throw new EntryError(
    EntryErrorCode.UNBALANCED_ENTRY,
    `entry does not balance: ${parts.join('; ')}`,
    {
      fieldViolations: unbalanced.map(([code, sum]) => ({
        field: 'lines',
        description: `${code} debits ${sum.debit.toString()} must equal credits ${sum.credit.toString()}`,
      })),
    },
  );
}

/**
 * Validates an entry into a normalized command, collecting every field problem.
 * @throws EntryError INVALID_ENTRY (field violations), UNBALANCED_ENTRY (naming the currency)
 */
export function validateEntry(input: EntryInput, options: ValidateOptions): EntryCommand {
  const violations = new FieldViolations();
  const source = validateHeader(violations, input, options);
  const paymentMethod = optionalText(
    violations,
    'payment_method',
    input.paymentMethod,
    MAX_PAYMENT_METHOD,
  );
  const reference = optionalText(violations, 'reference', input.reference, MAX_REFERENCE);
  const description = optionalText(violations, 'description', input.description, MAX_DESCRIPTION);
  if (input.lines.length < 2 || input.lines.length > MAX_LINES_PER_ENTRY) {
    violations.add(
      'lines',
      `must have 2 to ${MAX_LINES_PER_ENTRY} lines, got ${input.lines.length}`,
    );
  }
  const lines = input.lines
    .slice(0, MAX_LINES_PER_ENTRY)
    .map((line, index) => validateLine(violations, line, `lines[${index}]`));
  if (!violations.isEmpty) {
    throw new EntryError(EntryErrorCode.INVALID_ENTRY, `invalid entry: ${violations.summary()}`, {
      fieldViolations: violations.all,
    });
  }
  const valid = lines as EntryLineCommand[];
  try {
    checkBalanced(valid);
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    throw new EntryError(EntryErrorCode.INVALID_ENTRY, `lines: ${error.message}`, {
      fieldViolations: [{ field: 'lines', description: error.message }],
    });
  }
  const command: Omit<EntryCommand, 'digest'> = {
    idempotencyKey: input.idempotencyKey,
    ledgerId: input.ledgerId.toLowerCase(),
    journalSymbol: input.journalSymbol.toUpperCase(),
    entryDate: input.entryDate,
    transactionType: input.transactionType as TransactionType,
    paymentMethod,
    reference,
    description,
    dueDate: input.dueDate === '' ? null : input.dueDate,
    source,
    reversesEntryId: options.reversesEntryId ?? null,
    lines: valid,
  };

  return { ...command, digest: entryDigest(command) };
}

/**
 * SHA-256 over a canonical JSON of the normalized command (fixed key order, amounts in their
 * canonical form): two requests with the same meaning have the same digest.
 */
export function entryDigest(command: Omit<EntryCommand, 'digest'>): Buffer {
  const canonical = JSON.stringify([
    command.idempotencyKey,
    command.ledgerId,
    command.journalSymbol,
    command.entryDate,
    command.transactionType,
    command.paymentMethod,
    command.reference,
    command.description,
    command.dueDate,
    command.source,
    command.reversesEntryId,
    command.lines.map((line) => [
      line.accountCode,
      line.side,
      line.amount.toString(),
      line.amount.currency.code,
      line.counterpartyId,
      line.product,
      line.orderId,
      line.dealId,
      line.memo,
    ]),
  ]);

  return createHash('sha256').update(canonical).digest();
}

/** Signed balance movement of a line: debit − credit. */
export function signedAmount(line: { side: EntrySide; amount: Money }): Money {
  return line.side === 'debit' ? line.amount : line.amount.negate();
}

export type BalanceLimit = 'no_negative' | 'no_positive';

/** Whether a balance (debit − credit) is allowed under an account's limit. */
export function withinLimit(limit: BalanceLimit | null, balance: Money): boolean {
  if (limit === 'no_negative') return !balance.isNegative();
  if (limit === 'no_positive') return !balance.isPositive();

  return true;
}

/** The reversal's lines: every line on the other side. */
export function reversedLines(lines: readonly EntryLineCommand[]): EntryLineCommand[] {
  return lines.map((line) => ({ ...line, side: line.side === 'debit' ? 'credit' : 'debit' }));
}
