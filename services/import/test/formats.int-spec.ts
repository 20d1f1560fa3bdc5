import iconv from 'iconv-lite';
import { FileEncoding, NegativeStyle } from '@kontor/contracts/imports/v1/import_profile_pb';
import { JobState } from '@kontor/contracts/imports/v1/import_service_pb';
import { setUpBook, type Book } from './support/book';
import {
  startImportPlatform,
  type ImportPlatform,
  type TestTenant,
} from './support/import-platform';
import {
  counts,
  createProfile,
  importFile,
  importsOf,
  type Definition,
  type Imports,
} from './support/jobs';
import { importedInLedger } from './support/ledger-books';

jest.setTimeout(180_000);

let platform: ImportPlatform;
let tenant: TestTenant;
let imports: Imports;
let book: Book;

beforeAll(async () => {
  platform = await startImportPlatform();
  tenant = await platform.newTenant();
  imports = importsOf(platform, tenant);
  book = await setUpBook(platform, tenant);
});

afterAll(() => platform?.stop());

const base = () => ({
  fixedCurrency: 'EUR',
  ledgerId: book.ledgerId,
  journalSymbol: 'BANK',
  account: { accountCode: '4000' },
  contraAccountCode: '1100',
});

const bom = (bytes: number[], body: Buffer) => Buffer.concat([Buffer.from(bytes), body]);

interface FormatCase {
  name: string;
  definition: () => Definition;
  file: () => Buffer;
  /** Signed sum of the rows as written, in EUR. */
  sum: string;
  rows: number;
}

const CASES: FormatCase[] = [
  {
    name: 'a Windows-1252 bank export: banner rows, ";", 1.234,56, DD.MM.YYYY, debit and credit columns',
    definition: () => ({
      ...base(),
      file: { delimiter: ';', encoding: FileEncoding.WINDOWS_1252, hasHeader: true, skipRows: 2 },
      values: { decimalSeparator: ',', thousandsSeparator: '.', dateFormats: ['DD.MM.YYYY'] },
      date: { column: 'Buchungstag' },
      amount: { debit: { column: 'Soll' }, credit: { column: 'Haben' } },
      description: { column: 'Verwendungszweck' },
      reference: { column: 'Beleg' },
      uniqueColumns: [{ column: 'Beleg' }],
    }),
    file: () =>
      iconv.encode(
        [
          'Kontoauszug März 2026 "Girokonto',
          'Erstellt am 01.04.2026',
          'Buchungstag;Soll;Haben;Verwendungszweck;Beleg',
          '02.03.2026;;1.234,56;Zahlung Müller GmbH;B-1',
          '03.03.2026;12,30;;Gebühr für Überweisung;B-2',
          '04.03.2026;;0,74;"Zins; März";B-3',
          '',
        ].join('\r\n'),
        'windows-1252',
      ),
    sum: '1223.00',
    rows: 3,
  },
  {
    name: 'a UTF-8 payout report with a BOM: detected ",", 1,234.56, M/D/YYYY, (12.50) and 12.50-, currency column',
    definition: () => ({
      ...base(),
      fixedCurrency: '',
      currency: { column: 'Currency' },
      file: { hasHeader: true },
      values: {
        thousandsSeparator: ',',
        dateFormats: ['M/D/YYYY'],
        negativeStyles: [
          NegativeStyle.PARENTHESES,
          NegativeStyle.TRAILING_MINUS,
          NegativeStyle.LEADING_MINUS,
        ],
      },
      date: { column: 'Date' },
      amount: { amount: { column: 'Net' } },
      reference: { column: 'Payout' },
      uniqueColumns: [{ column: 'Payout' }],
    }),
    file: () =>
      bom(
        [0xef, 0xbb, 0xbf],
        Buffer.from(
          'Date,Net,Currency,Payout\n3/9/2026,"1,234.56",eur,P-1\n3/10/2026,(12.50),EUR,P-2\n3/11/2026,2.00-,EUR,P-3\n3/12/2026,-0.06,EUR,P-4\n\n\n',
        ),
      ),
    sum: '1220.00',
    rows: 4,
  },
  {
    name: 'a UTF-16 statement with a BOM: tabs, no header (positions), 1 234,56 with no-break spaces, CR suffix',
    definition: () => ({
      ...base(),
      file: { delimiter: '\t', encoding: FileEncoding.UTF16, hasHeader: false },
      values: {
        decimalSeparator: ',',
        thousandsSeparator: ' ',
        dateFormats: ['YYYY-MM-DD'],
        negativeStyles: [NegativeStyle.CR_SUFFIX],
      },
      date: { column: '1' },
      amount: { amount: { column: '3' } },
      description: { column: '2' },
    }),
    file: () =>
      bom(
        [0xff, 0xfe],
        iconv.encode(
          '2026-03-01\tVente à Paris\t1\u00a0234,56\n2026-03-02\tRemboursement\t34,56 CR\n2026-03-03\t€ frais\t10,00 DR\n',
          'utf-16le',
        ),
      ),
    sum: '1210.00',
    rows: 3,
  },
  {
    name: "an ISO-8859-1 file: '|', quote ' and escape \\, account by category, YYYYMMDD",
    definition: () => ({
      ...base(),
      file: {
        delimiter: '|',
        quote: "'",
        escape: '\\',
        encoding: FileEncoding.ISO_8859_1,
        hasHeader: true,
      },
      values: { dateFormats: ['YYYYMMDD'] },
      date: { column: 'day' },
      amount: { amount: { column: 'amount' } },
      account: {
        column: { column: 'category' },
        byValue: [
          { value: 'SUB', accountCode: '4000' },
          { value: 'FEE', accountCode: '4100' },
        ],
      },
      description: { column: 'text' },
      product: { column: 'product' },
    }),
    file: () =>
      iconv.encode(
        "day|amount|category|text|product\n20260305|100.00|SUB|'O\\'Brien | Söhne'|plan-a\n20260306|5.00|FEE|fee|\n",
        'iso-8859-1',
      ),
    sum: '105.00',
    rows: 2,
  },
];

describe('every format option of a profile', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('imports %s exactly', async (_name, c) => {
    const profile = await createProfile(imports, c.definition());
    const before = await importedInLedger(platform, book.ledgerId);
    const job = await importFile(imports, profile.id, c.file());
    const report = await imports.getJobReport({ jobId: job.id });

    expect(report.errors).toEqual([]);
    expect(job.state).toBe(JobState.COMPLETED);
    expect(counts(job)).toEqual({
      read: c.rows,
      valid: c.rows,
      invalid: 0,
      posted: c.rows,
      duplicate: 0,
    });
    expect(job.postedTotals.map((t) => [t.currency, t.amount])).toEqual([['EUR', c.sum]]);
    const after = await importedInLedger(platform, book.ledgerId);
    expect(after.entries - before.entries).toBe(c.rows);
    const [{ delta }] = await platform.query<{ delta: string }>(
      `SELECT ($1::numeric - coalesce($2::numeric, 0))::numeric(38,2)::text AS delta`,
      [after.bank, before.bank],
    );
    expect(delta).toBe(c.sum);
  });

  it('keeps the text of the file exactly: umlauts, quotes and delimiters inside fields', async () => {
    const [{ descriptions }] = await platform.query<{ descriptions: string[] }>(
      `SELECT array_agg(description ORDER BY description) AS descriptions FROM ledger.entries
       WHERE ledger_id = $1 AND description IN ('Zahlung Müller GmbH', 'Zins; März', 'O''Brien | Söhne', 'Vente à Paris')`,
      [book.ledgerId],
    );
    expect(descriptions).toEqual([
      "O'Brien | Söhne",
      'Vente à Paris',
      'Zahlung Müller GmbH',
      'Zins; März',
    ]);
  });
});
