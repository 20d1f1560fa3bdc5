import { Currency, MoneyError } from '@kontor/money';
import { FieldViolations } from '@kontor/errors';
import { compileDateFormat } from '../../jobs/domain/date-format';
import { ImportError, ImportErrorCode } from './import.errors';

export const ENCODINGS = ['utf-8', 'utf-16', 'windows-1252', 'iso-8859-1'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const NEGATIVE_STYLES = [
  'leading-minus',
  'parentheses',
  'trailing-minus',
  'cr-suffix',
] as const;
export type NegativeStyle = (typeof NEGATIVE_STYLES)[number];

/** A column: a header name (files with a header) or a 1-based position written as digits. */
export type ColumnRef = string;

export interface FileFormat {
  /** One character; null detects it from the first lines. */
  delimiter: string | null;
  quote: string;
  escape: string;
  encoding: Encoding;
  hasHeader: boolean;
  skipRows: number;
}

export interface ValueFormat {
  decimalSeparator: '.' | ',';
  /** '' for none; ' ' also accepts no-break spaces. */
  thousandsSeparator: '' | ',' | '.' | ' ' | "'";
  negativeStyles: NegativeStyle[];
  dateFormats: string[];
}

export type AmountColumns =
  | { kind: 'signed'; amount: ColumnRef }
  | { kind: 'debit-credit'; debit: ColumnRef; credit: ColumnRef };

export interface AccountMapping {
  /** Fixed code, or the fallback when column is set and a value is not in byValue. */
  code: string | null;
  column: ColumnRef | null;
  byValue: Record<string, string>;
}

/**
 * Everything a job needs to turn a file into entries. Positive amounts debit the contra account
 * and credit the mapped account (money received); negative amounts the other way round.
 */
export interface ProfileDefinition {
  file: FileFormat;
  values: ValueFormat;
  date: ColumnRef;
  amount: AmountColumns;
  currency: { column: ColumnRef } | { fixed: string };
  ledger: { ledgerId: string } | { fromCounterparty: true };
  journalSymbol: string;
  account: AccountMapping;
  contraAccountCode: string;
  counterparty: ColumnRef | null;
  product: ColumnRef | null;
  reference: ColumnRef | null;
  description: ColumnRef | null;
  /** Columns identifying a row across files; empty: the whole row's content. */
  uniqueColumns: ColumnRef[];
  /** The ledger's TransactionType number; opaque here. */
  transactionType: number;
}

export const MAX_SKIP_ROWS = 1_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POSITION = /^[1-9][0-9]{0,3}$/;
const ACCOUNT_CODE = /^[A-Za-z0-9.\-_]{1,50}$/;

function checkChar(v: FieldViolations, field: string, value: string, optional: boolean): void {
  if (optional && value === '') return;
  if ([...value].length !== 1 || value === '\n' || value === '\r') {
    v.add(field, `must be one character other than a line break, got "${value}"`);
  }
}

function checkColumn(
  v: FieldViolations,
  field: string,
  column: ColumnRef | null,
  hasHeader: boolean,
): void {
  if (column === null) return;
  if (column.trim() === '') return void v.add(field, 'must name a column');
  if (!hasHeader && !POSITION.test(column)) {
    v.add(
      field,
      `the file has no header: name the column by its 1-based position, not "${column}"`,
    );
  }
}

function checkFile(v: FieldViolations, file: FileFormat): void {
  if (file.delimiter !== null) checkChar(v, 'file.delimiter', file.delimiter, false);
  checkChar(v, 'file.quote', file.quote, false);
  checkChar(v, 'file.escape', file.escape, false);
  if (file.delimiter !== null && file.delimiter === file.quote) {
    v.add('file.quote', 'must differ from the delimiter');
  }
  if (!Number.isInteger(file.skipRows) || file.skipRows < 0 || file.skipRows > MAX_SKIP_ROWS) {
    v.add('file.skip_rows', `must be 0-${MAX_SKIP_ROWS}`);
  }
}

function checkValues(v: FieldViolations, values: ValueFormat): void {
  if (values.decimalSeparator === values.thousandsSeparator) {
    v.add('values.thousands_separator', 'must differ from the decimal separator');
  }
  if (values.negativeStyles.length === 0) {
    v.add('values.negative_styles', 'name at least one style');
  }
  if (values.dateFormats.length === 0) v.add('values.date_formats', 'name at least one format');
  values.dateFormats.forEach((format, i) => {
    const problem = compileDateFormat(format).problem;
    if (problem !== undefined) v.add(`values.date_formats[${i}]`, problem);
  });
}

function checkAccounts(v: FieldViolations, d: ProfileDefinition): void {
  const { account } = d;
  if (account.column === null && account.code === null) {
    v.add('account', 'set a fixed account_code or a column with by_value');
  }
  if (account.column !== null && Object.keys(account.byValue).length === 0 && !account.code) {
    v.add('account.by_value', 'map at least one value to an account code');
  }
  for (const [value, code] of Object.entries(account.byValue)) {
    if (!ACCOUNT_CODE.test(code)) v.add(`account.by_value[${value}]`, `bad account code "${code}"`);
  }
  if (account.code !== null && !ACCOUNT_CODE.test(account.code)) {
    v.add('account.account_code', `bad account code "${account.code}"`);
  }
  if (!ACCOUNT_CODE.test(d.contraAccountCode)) {
    v.add('contra_account_code', 'must be an account code (1-50 letters, digits, . - _)');
  }
}

function checkTarget(v: FieldViolations, d: ProfileDefinition): void {
  if ('fixed' in d.currency) {
    try {
      Currency.of(d.currency.fixed);
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      v.add('fixed_currency', `"${d.currency.fixed}" is not an ISO 4217 currency`);
    }
  }
  if ('ledgerId' in d.ledger && !UUID.test(d.ledger.ledgerId)) {
    v.add('ledger_id', 'must be a UUID (or set ledger_from_counterparty)');
  }
  if ('fromCounterparty' in d.ledger && d.counterparty === null) {
    v.add('ledger_from_counterparty', 'needs a counterparty column');
  }
  if (!/^[A-Za-z0-9_-]{1,20}$/.test(d.journalSymbol)) {
    v.add('journal_symbol', 'must be a journal symbol (1-20 letters, digits, _ -)');
  }
}

/** Throws INVALID_PROFILE naming every problem of the definition at once. */
export function assertValidProfile(name: string, d: ProfileDefinition): void {
  const v = new FieldViolations();
  if (name.trim() === '' || name.length > 200) v.add('name', 'must be 1-200 characters');
  checkFile(v, d.file);
  checkValues(v, d.values);
  const hasHeader = d.file.hasHeader;
  checkColumn(v, 'date', d.date, hasHeader);
  if (d.amount.kind === 'signed') checkColumn(v, 'amount.amount', d.amount.amount, hasHeader);
  else {
    checkColumn(v, 'amount.debit', d.amount.debit, hasHeader);
    checkColumn(v, 'amount.credit', d.amount.credit, hasHeader);
  }
  if ('column' in d.currency) checkColumn(v, 'currency', d.currency.column, hasHeader);
  checkColumn(v, 'account.column', d.account.column, hasHeader);
  for (const key of ['counterparty', 'product', 'reference', 'description'] as const) {
    checkColumn(v, key, d[key], hasHeader);
  }
  d.uniqueColumns.forEach((c, i) => checkColumn(v, `unique_columns[${i}]`, c, hasHeader));
  checkAccounts(v, d);
  checkTarget(v, d);
  if (!v.isEmpty) {
    throw new ImportError(ImportErrorCode.INVALID_PROFILE, `invalid profile: ${v.summary()}`, {
      fieldViolations: v.all,
    });
  }
}
