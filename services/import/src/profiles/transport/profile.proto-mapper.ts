import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { type MessageInitShape } from '@bufbuild/protobuf';
import {
  FileEncoding,
  NegativeStyle as ProtoNegativeStyle,
  type ColumnRef as ProtoColumnRef,
  type ImportProfileSchema,
  type ProfileDefinition as ProtoDefinition,
  type ProfileDefinitionSchema,
} from '@kontor/contracts/imports/v1/import_profile_pb';
import { InvalidArgumentError } from '@kontor/errors';
import {
  type Encoding,
  type NegativeStyle,
  type ProfileDefinition,
  type ValueFormat,
} from '../domain/profile';
import { type ProfileRecord } from '../persistence/profile.repository';

const ENCODING: Record<FileEncoding, Encoding> = {
  [FileEncoding.UNSPECIFIED]: 'utf-8',
  [FileEncoding.UTF8]: 'utf-8',
  [FileEncoding.UTF16]: 'utf-16',
  [FileEncoding.WINDOWS_1252]: 'windows-1252',
  [FileEncoding.ISO_8859_1]: 'iso-8859-1',
};
const NEGATIVE: Record<
  Exclude<ProtoNegativeStyle, ProtoNegativeStyle.UNSPECIFIED>,
  NegativeStyle
> = {
  [ProtoNegativeStyle.LEADING_MINUS]: 'leading-minus',
  [ProtoNegativeStyle.PARENTHESES]: 'parentheses',
  [ProtoNegativeStyle.TRAILING_MINUS]: 'trailing-minus',
  [ProtoNegativeStyle.CR_SUFFIX]: 'cr-suffix',
};
const reverse = <K extends string | number, V extends string>(table: Record<K, V>) =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [v, Number(k)])) as Record<V, K>;
const ENCODING_OUT = { ...reverse(ENCODING), 'utf-8': FileEncoding.UTF8 };
const NEGATIVE_OUT = reverse(NEGATIVE);

const ref = (column: ProtoColumnRef | undefined): string | null =>
  column && column.column.trim() !== '' ? column.column.trim() : null;
const refOut = (column: string | null) => (column === null ? undefined : { column });

function separator<T extends string>(
  field: string,
  value: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const normalized = value === '\u00a0' ? ' ' : value;
  if (normalized === '') return fallback;
  if (!(allowed as readonly string[]).includes(normalized)) {
    throw new InvalidArgumentError(
      field,
      `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`,
    );
  }

  return normalized as T;
}

function values(proto: ProtoDefinition['values']): ValueFormat {
  const styles = (proto?.negativeStyles ?? []).map((style) => {
    if (style === ProtoNegativeStyle.UNSPECIFIED) {
      throw new InvalidArgumentError('values.negative_styles', 'unspecified is not a style');
    }

    return NEGATIVE[style];
  });

  return {
    decimalSeparator: separator(
      'values.decimal_separator',
      proto?.decimalSeparator ?? '',
      ['.', ','],
      '.',
    ),
    thousandsSeparator: separator(
      'values.thousands_separator',
      proto?.thousandsSeparator ?? '',
      ['', ',', '.', ' ', "'"],
      '',
    ),
    negativeStyles: styles.length === 0 ? ['leading-minus'] : [...new Set(styles)],
    dateFormats: proto?.dateFormats.length ? [...proto.dateFormats] : ['YYYY-MM-DD'],
  };
}

/** The wire definition as the domain's, with defaults applied; the domain validates it. */
export function fromProtoDefinition(proto: ProtoDefinition | undefined): ProfileDefinition {
  if (!proto) throw new InvalidArgumentError('definition', 'is required');
  const file = proto.file;
  const quote = file?.quote || '"';
  const amount = proto.amount;
  const debit = ref(amount?.debit);
  const credit = ref(amount?.credit);

  return {
    file: {
      delimiter: file?.delimiter ? file.delimiter : null,
      quote,
      escape: file?.escape || quote,
      encoding: ENCODING[file?.encoding ?? FileEncoding.UNSPECIFIED] ?? 'utf-8',
      hasHeader: file?.hasHeader ?? false,
      skipRows: file?.skipRows ?? 0,
    },
    values: values(proto.values),
    date: ref(proto.date) ?? '',
    amount:
      debit !== null || credit !== null
        ? { kind: 'debit-credit', debit: debit ?? '', credit: credit ?? '' }
        : { kind: 'signed', amount: ref(amount?.amount) ?? '' },
    currency:
      ref(proto.currency) !== null
        ? { column: ref(proto.currency)! }
        : { fixed: proto.fixedCurrency.toUpperCase() },
    ledger: proto.ledgerFromCounterparty
      ? { fromCounterparty: true }
      : { ledgerId: proto.ledgerId.toLowerCase() },
    journalSymbol: proto.journalSymbol,
    account: {
      code: proto.account?.accountCode ? proto.account.accountCode : null,
      column: ref(proto.account?.column),
      byValue: Object.fromEntries(
        (proto.account?.byValue ?? []).map((b) => [b.value.trim(), b.accountCode]),
      ),
    },
    contraAccountCode: proto.contraAccountCode,
    counterparty: ref(proto.counterparty),
    product: ref(proto.product),
    reference: ref(proto.reference),
    description: ref(proto.description),
    uniqueColumns: proto.uniqueColumns.map((c) => ref(c)).filter((c): c is string => c !== null),
    transactionType: proto.transactionType,
  };
}

export function toProtoDefinition(
  d: ProfileDefinition,
): MessageInitShape<typeof ProfileDefinitionSchema> {
  return {
    file: {
      delimiter: d.file.delimiter ?? '',
      quote: d.file.quote,
      escape: d.file.escape,
      encoding: ENCODING_OUT[d.file.encoding],
      hasHeader: d.file.hasHeader,
      skipRows: d.file.skipRows,
    },
    values: {
      decimalSeparator: d.values.decimalSeparator,
      thousandsSeparator: d.values.thousandsSeparator,
      negativeStyles: d.values.negativeStyles.map((s) => NEGATIVE_OUT[s]),
      dateFormats: d.values.dateFormats,
    },
    date: refOut(d.date),
    amount:
      d.amount.kind === 'signed'
        ? { amount: refOut(d.amount.amount) }
        : { debit: refOut(d.amount.debit), credit: refOut(d.amount.credit) },
    currency: 'column' in d.currency ? refOut(d.currency.column) : undefined,
    fixedCurrency: 'fixed' in d.currency ? d.currency.fixed : '',
    ledgerId: 'ledgerId' in d.ledger ? d.ledger.ledgerId : '',
    ledgerFromCounterparty: 'fromCounterparty' in d.ledger,
    journalSymbol: d.journalSymbol,
    account: {
      accountCode: d.account.code ?? '',
      column: refOut(d.account.column),
      byValue: Object.entries(d.account.byValue).map(([value, accountCode]) => ({
        value,
        accountCode,
      })),
    },
    contraAccountCode: d.contraAccountCode,
    counterparty: refOut(d.counterparty),
    product: refOut(d.product),
    reference: refOut(d.reference),
    description: refOut(d.description),
    uniqueColumns: d.uniqueColumns.map((column) => ({ column })),
    transactionType: d.transactionType,
  };
}

export function toProtoProfile(p: ProfileRecord): MessageInitShape<typeof ImportProfileSchema> {
  return {
    id: p.id,
    version: p.version,
    name: p.name,
    definition: toProtoDefinition(p.definition),
    createTime: timestampFromDate(p.createdAt),
  };
}
