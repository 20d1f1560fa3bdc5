import { Money } from '@kontor/money';
import { agingBucket, daysPastDue } from './aging';
import { csvLine, parseCsv } from './csv';
import { iifAccounts, iifEntry, qboEntry, usDate, type ExportEntry } from './quickbooks';

const entry: ExportEntry = {
  entryId: 'e1',
  entryDate: '2026-01-31',
  journalSymbol: 'SALES',
  number: '7',
  reference: 'INV-7',
  description: 'Desk, "premium"\nJanuary',
  lines: [
    {
      accountCode: '1200',
      accountName: 'Accounts receivable',
      isDebit: true,
      amount: Money.parse('119.00', 'EUR'),
      memo: '',
      counterpartyName: 'Acme',
    },
    {
      accountCode: '4000',
      accountName: 'Sales revenue',
      isDebit: false,
      amount: Money.parse('100.00', 'EUR'),
      memo: '',
      counterpartyName: '',
    },
    {
      accountCode: '2100',
      accountName: '',
      isDebit: false,
      amount: Money.parse('19.00', 'EUR'),
      memo: 'VAT',
      counterpartyName: '',
    },
  ],
};

describe('CSV', () => {
  it('quotes commas, quotes and line breaks and parses back to the same fields', () => {
    const fields = ['plain', 'a,b', 'say "hi"', 'two\r\nlines', '', '-12.50'];
    expect(parseCsv(csvLine(fields) + csvLine(['x']))).toEqual([fields, ['x']]);
  });

  it('defuses spreadsheet formulas but keeps negative numbers', () => {
    expect(csvLine(['=SUM(A1)', '-5.00', '@x'])).toBe("'=SUM(A1),-5.00,'@x\r\n");
  });
});

describe('QuickBooks layouts', () => {
  it('lists the chart for IIF under the names the lines use, typed A/R and A/P by role', () => {
    const chart = iifAccounts([
      { code: '1200', name: 'Accounts receivable', type: 'asset', role: 'receivable' },
      { code: '1300', name: 'Payment clearing', type: 'asset', role: 'clearing' },
      { code: '2000', name: 'Payables', type: 'liability', role: 'payable' },
      { code: '2100', name: '', type: 'liability', role: 'tax' },
      { code: '3000', name: 'Equity', type: 'equity', role: '' },
      { code: '4000', name: 'Sales revenue', type: 'revenue', role: '' },
      { code: '5000', name: 'Fees\tand charges', type: 'expense', role: '' },
    ]);
    const rows = chart
      .split('\r\n')
      .filter(Boolean)
      .map((line) => line.split('\t'));
    expect(rows).toEqual([
      ['!ACCNT', 'NAME', 'ACCNTTYPE'],
      ['ACCNT', '1200 Accounts receivable', 'AR'],
      ['ACCNT', '1300 Payment clearing', 'OCASSET'],
      ['ACCNT', '2000 Payables', 'AP'],
      ['ACCNT', '2100', 'OCLIAB'],
      ['ACCNT', '3000 Equity', 'EQUITY'],
      ['ACCNT', '4000 Sales revenue', 'INC'],
      ['ACCNT', '5000 Fees and charges', 'EXP'],
    ]);
    const accountsOfLines = iifEntry(entry)
      .split('\r\n')
      .filter((line) => /^(TRNS|SPL)\t/.test(line))
      .map((line) => line.split('\t')[4]);
    const listed = new Set(rows.slice(1).map((row) => row[1]));
    expect(accountsOfLines.every((name) => listed.has(name))).toBe(true);
  });

  it('writes IIF: TRNS then SPL lines, signed amounts summing to zero, US dates, one-line memos', () => {
    const lines = iifEntry(entry).split('\r\n').filter(Boolean);
    expect(lines.map((line) => line.split('\t')[0])).toEqual(['TRNS', 'SPL', 'SPL', 'ENDTRNS']);
    const fields = lines.slice(0, 3).map((line) => line.split('\t'));
    expect(fields.map((f) => f[6])).toEqual(['119.00', '-100.00', '-19.00']);
    expect(fields[0].slice(3, 6)).toEqual(['01/31/2026', '1200 Accounts receivable', 'Acme']);
    expect(fields[2][4]).toBe('2100');
    expect(fields[0][8]).toBe('Desk, "premium" January');
    expect(fields[2][8]).toBe('VAT');
  });

  it('writes the QuickBooks Online journal rows with debits and credits in their own columns', () => {
    expect(parseCsv(qboEntry(entry))).toEqual([
      [
        'SALES-7/2026',
        '01/31/2026',
        'EUR',
        '1200 Accounts receivable',
        '119.00',
        '',
        'Desk, "premium"\nJanuary',
        'Acme',
      ],
      [
        'SALES-7/2026',
        '01/31/2026',
        'EUR',
        '4000 Sales revenue',
        '',
        '100.00',
        'Desk, "premium"\nJanuary',
        '',
      ],
      ['SALES-7/2026', '01/31/2026', 'EUR', '2100', '', '19.00', 'VAT', ''],
    ]);
    expect(usDate('2026-12-05')).toBe('12/05/2026');
  });

  it('gives the same journal number in two years two QuickBooks journal numbers (journals number per year)', () => {
    const nextYear = { ...entry, entryId: 'e2', entryDate: '2027-01-02' };
    const journalOf = (text: string) => new Set(parseCsv(text).map((row) => row[0]));

    expect([...journalOf(qboEntry(entry)), ...journalOf(qboEntry(nextYear))]).toEqual([
      'SALES-7/2026',
      'SALES-7/2027',
    ]);
  });
});

describe('aging buckets', () => {
  it('puts the boundaries where the seeds say: current, 1-30, 31-60, 61-90, over 90', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91].map(agingBucket)).toEqual([
      'current',
      'days_1_30',
      'days_1_30',
      'days_31_60',
      'days_31_60',
      'days_61_90',
      'days_61_90',
      'days_over_90',
    ]);
    expect(daysPastDue('2026-02-28', '2026-03-01')).toBe(1);
    expect(daysPastDue('2026-07-10', '2026-06-30')).toBe(-10);
  });
});
