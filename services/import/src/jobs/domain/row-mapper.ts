import { createHash } from 'node:crypto';
import { Currency, MoneyError, type Money } from '@kontor/money';
import { quoteInput } from '@kontor/errors';
import { type ColumnRef, type ProfileDefinition } from '../../profiles/domain/profile';
import { parseAmount } from './amount';
import { compileDateFormat, parseDate, type DateFormat } from './date-format';

/** Why a row cannot be imported: row number, column, raw value and reason. */
export interface RowError {
  rowNumber: number;
  /** Column name or position; '' for the whole row. */
  column: string;
  rawValue: string;
  reason: string;
}

/** A row's errors in one line: `column: reason ("raw value")`, joined by "; ". */
export function describeErrors(errors: readonly RowError[]): string {
  return errors
    .map(
      (e) =>
        `${e.column ? `${e.column}: ` : ''}${e.reason}${e.rawValue ? ` ("${e.rawValue}")` : ''}`,
    )
    .join('; ');
}

/** What a valid row would post (the ledger is resolved later for counterparty ledgers). */
export interface MappedRow {
  rowNumber: number;
  entryDate: string;
  /** Signed: positive debits the contra account. */
  amount: Money;
  debitAccount: string;
  creditAccount: string;
  counterpartyExternalId: string | null;
  product: string;
  reference: string;
  description: string;
  /** SHA-256 (hex) of tenant, profile and the row's identifying values. */
  identity: string;
}

export type RowOutcome = { ok: true; row: MappedRow } | { ok: false; errors: RowError[] };

interface Columns {
  date: number;
  amount: number | null;
  debit: number | null;
  credit: number | null;
  currency: number | null;
  account: number | null;
  counterparty: number | null;
  product: number | null;
  reference: number | null;
  description: number | null;
  unique: number[];
}

/** A profile bound to one file's columns, ready to map its rows. */
export interface RowPlan {
  definition: ProfileDefinition;
  columns: Columns;
  /** Column names for errors: the header's, or "column 3". */
  names: string[];
  /** Fields every row must have (the header's count, or the first row's). */
  fieldCount: number;
  dateFormats: DateFormat[];
  fixedCurrency: Currency | null;
  identityPrefix: string;
}

const LIMITS = { product: 200, reference: 200, description: 500, counterparty: 200 };

/** Index of a column in the file, or a sentence saying why it is not there. */
function locate(ref: ColumnRef, header: string[] | null, fieldCount: number): number | string {
  if (header === null) {
    const position = Number(ref);

    return position <= fieldCount
      ? position - 1
      : `column ${position} is beyond the ${fieldCount} columns of the first row`;
  }
  const wanted = ref.trim().toLowerCase();
  const index = header.findIndex((name) => name.trim().toLowerCase() === wanted);

  return index >= 0
    ? index
    : `column "${ref}" is not in the header (${header.map((h) => `"${h.trim()}"`).join(', ')})`;
}

/**
 * Binds the profile to a file: its header (or first row's width when it has none). Returns the
 * plan or the problems (a file that does not match its profile fails as a whole, not per row).
 */
export function planRows(
  definition: ProfileDefinition,
  header: string[] | null,
  fieldCount: number,
  identityPrefix: string,
): { plan: RowPlan } | { problems: string[] } {
  const problems: string[] = [];
  const find = (ref: ColumnRef | null): number | null => {
    if (ref === null) return null;
    const found = locate(ref, header, fieldCount);
    if (typeof found === 'string') problems.push(found);

    return typeof found === 'number' ? found : null;
  };
  const amount = definition.amount;
  const columns: Columns = {
    date: find(definition.date) ?? -1,
    amount: amount.kind === 'signed' ? find(amount.amount) : null,
    debit: amount.kind === 'debit-credit' ? find(amount.debit) : null,
    credit: amount.kind === 'debit-credit' ? find(amount.credit) : null,
    currency: 'column' in definition.currency ? find(definition.currency.column) : null,
    account: find(definition.account.column),
    counterparty: find(definition.counterparty),
    product: find(definition.product),
    reference: find(definition.reference),
    description: find(definition.description),
    unique: definition.uniqueColumns.map((ref) => find(ref) ?? -1),
  };
  if (problems.length > 0) return { problems };
  const names = Array.from(
    { length: fieldCount },
    (_, i) => header?.[i]?.trim() || `column ${i + 1}`,
  );

  return {
    plan: {
      definition,
      columns,
      names,
      fieldCount,
      dateFormats: definition.values.dateFormats.map(compileDateFormat),
      fixedCurrency: 'fixed' in definition.currency ? Currency.of(definition.currency.fixed) : null,
      identityPrefix,
    },
  };
}

/** The identity hash of a row: tenant + profile prefix, then the identifying values. */
export function rowIdentity(plan: RowPlan, fields: string[]): string {
  const values =
    plan.columns.unique.length > 0
      ? plan.columns.unique.map((i) => fields[i].trim())
      : fields.map((f) => f.trim());

  return createHash('sha256')
    .update(plan.identityPrefix)
    .update('\u001e')
    .update(values.join('\u001f'))
    .digest('hex');
}

class RowErrors {
  readonly list: RowError[] = [];

  constructor(
    private readonly plan: RowPlan,
    private readonly rowNumber: number,
  ) {}

  add(index: number | null, raw: string, reason: string): void {
    this.list.push({
      rowNumber: this.rowNumber,
      column: index === null ? '' : this.plan.names[index],
      rawValue: raw.length > 200 ? `${quoteInput(raw, 200)}` : raw,
      reason,
    });
  }
}

function currencyOf(plan: RowPlan, fields: string[], errors: RowErrors): Currency | null {
  if (plan.fixedCurrency) return plan.fixedCurrency;
  const index = plan.columns.currency!;
  const raw = fields[index];
  try {
    return Currency.of(raw.trim());
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    errors.add(index, raw, 'is not an ISO 4217 currency code');

    return null;
  }
}

function amountOf(plan: RowPlan, fields: string[], currency: Currency, errors: RowErrors) {
  const { columns, definition } = plan;
  if (columns.amount !== null) {
    const raw = fields[columns.amount];
    const parsed = parseAmount(raw, definition.values, currency);
    if (!parsed.ok) return void errors.add(columns.amount, raw, `amount ${parsed.reason}`);

    return parsed.money;
  }
  const [debitRaw, creditRaw] = [fields[columns.debit!], fields[columns.credit!]];
  const filled = [debitRaw, creditRaw].map((raw) => raw.trim() !== '');
  if (filled[0] === filled[1]) {
    const which = filled[0] ? 'both' : 'neither';
    errors.add(columns.debit, debitRaw, `${which} of debit and credit is filled: fill exactly one`);

    return undefined;
  }
  const index = filled[0] ? columns.debit! : columns.credit!;
  const parsed = parseAmount(fields[index], definition.values, currency);
  if (!parsed.ok) return void errors.add(index, fields[index], `amount ${parsed.reason}`);

  return filled[0] ? parsed.money.negate() : parsed.money;
}

function accountOf(plan: RowPlan, fields: string[], errors: RowErrors): string | undefined {
  const { account } = plan.definition;
  const index = plan.columns.account;
  if (index === null) return account.code!;
  const value = fields[index].trim();
  const code = Object.hasOwn(account.byValue, value) ? account.byValue[value] : account.code;
  if (code === null) {
    errors.add(index, fields[index], 'has no account mapped in the profile');

    return undefined;
  }

  return code;
}

function textOf(
  plan: RowPlan,
  fields: string[],
  key: keyof typeof LIMITS,
  errors: RowErrors,
): string {
  const index = plan.columns[key];
  if (index === null) return '';
  const value = fields[index].trim();
  if ([...value].length > LIMITS[key]) {
    errors.add(index, value, `is longer than ${LIMITS[key]} characters`);
  }

  return value;
}

/** Maps one record to what it would post, or every error of the row. */
export function mapRow(plan: RowPlan, fields: string[], rowNumber: number): RowOutcome {
  const errors = new RowErrors(plan, rowNumber);
  if (fields.length !== plan.fieldCount) {
    errors.add(
      null,
      fields.join(plan.definition.file.delimiter ?? ','),
      `has ${fields.length} fields, expected ${plan.fieldCount}`,
    );

    return { ok: false, errors: errors.list };
  }
  const dateRaw = fields[plan.columns.date];
  const entryDate = parseDate(dateRaw, plan.dateFormats);
  if (entryDate === undefined) {
    const formats = plan.definition.values.dateFormats.join(' or ');
    errors.add(plan.columns.date, dateRaw, `date does not match ${formats} or is not a real date`);
  }
  const currency = currencyOf(plan, fields, errors);
  const amount = currency === null ? undefined : amountOf(plan, fields, currency, errors);
  if (amount?.isZero()) {
    errors.add(plan.columns.amount ?? plan.columns.credit, '0', 'amount is zero: nothing to post');
  }
  const account = accountOf(plan, fields, errors);
  const counterparty = textOf(plan, fields, 'counterparty', errors);
  if (
    plan.columns.counterparty !== null &&
    counterparty === '' &&
    'fromCounterparty' in plan.definition.ledger
  ) {
    errors.add(plan.columns.counterparty, '', 'is empty: the profile takes the ledger from it');
  }
  const product = textOf(plan, fields, 'product', errors);
  const reference = textOf(plan, fields, 'reference', errors);
  const description = textOf(plan, fields, 'description', errors);
  if (errors.list.length > 0 || amount === undefined || !entryDate || !account) {
    return { ok: false, errors: errors.list };
  }
  const contra = plan.definition.contraAccountCode;
  const positive = amount.isPositive();

  return {
    ok: true,
    row: {
      rowNumber,
      entryDate,
      amount,
      debitAccount: positive ? contra : account,
      creditAccount: positive ? account : contra,
      counterpartyExternalId: counterparty === '' ? null : counterparty,
      product,
      reference,
      description,
      identity: rowIdentity(plan, fields),
    },
  };
}
