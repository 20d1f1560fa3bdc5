import { type Money } from '@kontor/money';
import { csvLine } from './csv';

// Journal entries in the two layouts QuickBooks imports:
// - QuickBooks Desktop IIF: tab-separated; a header block (!TRNS, !SPL, !ENDTRNS) and per entry
//   one TRNS line (its first line), SPL lines (the others) and ENDTRNS. Amounts are signed:
//   debits positive, credits negative, so each transaction sums to zero. Dates MM/DD/YYYY.
// - QuickBooks Online journal-entry CSV import: one row per line with Journal No, Journal Date,
//   Account, Debits, Credits, Description, Name; rows of one entry share the Journal No.
// Accounts are named "code name" so they map one to one onto the chart in QuickBooks. The IIF file
// starts with the chart (!ACCNT) so QuickBooks creates missing accounts with the right type
// instead of asking, and posts receivable/payable lines to A/R and A/P accounts.

export interface ExportLine {
  accountCode: string;
  accountName: string;
  isDebit: boolean;
  amount: Money;
  memo: string;
  counterpartyName: string;
}

export interface ExportEntry {
  entryId: string;
  entryDate: string;
  journalSymbol: string;
  number: string;
  reference: string;
  description: string;
  lines: ExportLine[];
}

export interface ExportAccount {
  code: string;
  name: string;
  /** asset, liability, equity, revenue or expense. */
  type: string;
  /** receivable, payable, clearing, tax or empty. */
  role: string;
}

const IIF_ACCOUNT_TYPE_BY_ROLE: Record<string, string> = { receivable: 'AR', payable: 'AP' };
const IIF_ACCOUNT_TYPE: Record<string, string> = {
  asset: 'OCASSET',
  liability: 'OCLIAB',
  equity: 'EQUITY',
  revenue: 'INC',
  expense: 'EXP',
};

/** QuickBooks Desktop account type of a Kontor account; other current asset when unknown. */
export function iifAccountType(account: ExportAccount): string {
  return IIF_ACCOUNT_TYPE_BY_ROLE[account.role] ?? IIF_ACCOUNT_TYPE[account.type] ?? 'OCASSET';
}

export const IIF_HEADER =
  '!TRNS\tTRNSID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO\r\n' +
  '!SPL\tSPLID\tTRNSTYPE\tDATE\tACCNT\tNAME\tAMOUNT\tDOCNUM\tMEMO\r\n' +
  '!ENDTRNS\r\n';

export const QBO_HEADER = csvLine([
  'Journal No',
  'Journal Date',
  'Currency',
  'Account',
  'Debits',
  'Credits',
  'Description',
  'Name',
]);

/** "2026-01-31" → "01/31/2026". */
export function usDate(date: string): string {
  return `${date.slice(5, 7)}/${date.slice(8, 10)}/${date.slice(0, 4)}`;
}

const accountLabel = (account: { accountCode: string; accountName: string }) =>
  account.accountName ? `${account.accountCode} ${account.accountName}` : account.accountCode;

// IIF fields cannot hold tabs or line breaks, and a leading quote changes parsing.
const iifField = (value: string) => value.replace(/[\t\r\n]+/g, ' ').replace(/^"/, "'");

/** The !ACCNT list: one ACCNT line per account, named as the transaction lines name it. */
export function iifAccounts(accounts: ExportAccount[]): string {
  const lines = accounts.map((account) =>
    [
      'ACCNT',
      iifField(accountLabel({ accountCode: account.code, accountName: account.name })),
      iifAccountType(account),
    ].join('\t'),
  );
  return ['!ACCNT\tNAME\tACCNTTYPE', ...lines].map((line) => `${line}\r\n`).join('');
}

// Journals number their entries per fiscal year, so "SALES-7" recurs every year: the year of the
// entry date keeps a multi-year export's journal numbers apart (QuickBooks Online merges rows
// that share one).
export const journalNo = (entry: ExportEntry) =>
  `${entry.journalSymbol}-${entry.number}/${entry.entryDate.slice(0, 4)}`;

export function iifEntry(entry: ExportEntry): string {
  const docnum = iifField(entry.reference || journalNo(entry));
  const lines = entry.lines.map((line, index) => {
    const signed = line.isDebit ? line.amount : line.amount.negate();

    return [
      index === 0 ? 'TRNS' : 'SPL',
      '',
      'GENERAL JOURNAL',
      usDate(entry.entryDate),
      iifField(accountLabel(line)),
      iifField(line.counterpartyName),
      signed.toString(),
      docnum,
      iifField(line.memo || entry.description),
    ].join('\t');
  });

  return `${lines.join('\r\n')}\r\nENDTRNS\r\n`;
}

export function qboEntry(entry: ExportEntry): string {
  return entry.lines
    .map((line) =>
      csvLine([
        journalNo(entry),
        usDate(entry.entryDate),
        line.amount.currency.code,
        accountLabel(line),
        line.isDebit ? line.amount.toString() : '',
        line.isDebit ? '' : line.amount.toString(),
        line.memo || entry.description,
        line.counterpartyName,
      ]),
    )
    .join('');
}
