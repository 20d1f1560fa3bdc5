import iconv from 'iconv-lite';
import { ErrorPolicy, FileEncoding } from '@kontor/contracts/imports/v1/import_profile_pb';
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
  untilDone,
  uploadJob,
  type Definition,
  type Imports,
} from './support/jobs';
import { importedInLedger } from './support/ledger-books';

jest.setTimeout(180_000);

let platform: ImportPlatform;
let tenant: TestTenant;
let imports: Imports;

beforeAll(async () => {
  platform = await startImportPlatform();
  tenant = await platform.newTenant();
  imports = importsOf(platform, tenant);
});

afterAll(() => platform?.stop());

/** A German bank export: Windows-1252, two banner lines, ";", 1.234,56, DD.MM.YYYY. */
const bankExport = (book: Book, delimiter = ';'): Definition => ({
  file: { delimiter, encoding: FileEncoding.WINDOWS_1252, hasHeader: true, skipRows: 2 },
  values: { decimalSeparator: ',', thousandsSeparator: '.', dateFormats: ['DD.MM.YYYY'] },
  date: { column: 'Datum' },
  amount: { amount: { column: 'Betrag' } },
  description: { column: 'Text' },
  reference: { column: 'Ref' },
  uniqueColumns: [{ column: 'Ref' }],
  fixedCurrency: 'EUR',
  ledgerId: book.ledgerId,
  journalSymbol: 'BANK',
  account: { accountCode: '4000' },
  contraAccountCode: '1100',
});

const ORIGINAL = [
  'Kontoauszug März 2026',
  'Erstellt am 01.04.2026',
  'Datum;Betrag;Text;Ref',
  '02.03.2026;1.234,56;Zahlung Müller GmbH;R-1',
  '30.02.2026;5,00;"Gebühr; März";R-2',
  '03.03.2026;12,3x;Überweisung "Eilig";R-3',
  '04.03.2026;7,00;Zinsen;R-4',
  '',
].join('\r\n');

async function download(jobId: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of imports.downloadRejectedRows({ jobId }))
    parts.push(Buffer.from(part.chunk));

  return Buffer.concat(parts);
}

async function storedChunks(jobId: string): Promise<number> {
  const [row] = await platform.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM imports.job_file_chunks WHERE job_id = $1`,
    [jobId],
  );

  return Number(row.n);
}

/** Waits (polling Postgres, up to a minute) until the job's uploaded file is deleted. */
async function untilFileDeleted(jobId: string): Promise<void> {
  for (let attempt = 0; (await storedChunks(jobId)) > 0; attempt += 1) {
    if (attempt > 300) throw new Error(`the file of job ${jobId} is still stored`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('rejected rows', () => {
  it('download in the profile format; fixed and uploaded again with the same profile, they post once', async () => {
    const book = await setUpBook(platform, tenant);
    const profile = await createProfile(imports, bankExport(book));
    const first = await importFile(imports, profile.id, iconv.encode(ORIGINAL, 'windows-1252'));
    const rejected = await download(first.id);
    const text = iconv.decode(rejected, 'windows-1252');

    expect(counts(first)).toMatchObject({ read: 4, invalid: 2, posted: 2 });
    // Windows-1252 bytes (ü is FC), the profile's two banner lines, its delimiter and quoting.
    expect(rejected.includes(Buffer.from([0xfc]))).toBe(true);
    expect(text).toBe(
      `Rejected rows of job ${first.id}\n\n` +
        'Datum;Betrag;Text;Ref;error\n' +
        '30.02.2026;5,00;"Gebühr; März";R-2;' +
        '"Datum: date does not match DD.MM.YYYY or is not a real date (""30.02.2026"")"\n' +
        '03.03.2026;12,3x;"Überweisung ""Eilig""";R-3;' +
        '"Betrag: amount is not a number (decimal separator "","", thousands separator ""."") (""12,3x"")"\n',
    );

    const fixed = iconv.encode(
      text.replace('30.02.2026', '27.02.2026').replace('12,3x', '12,30'),
      'windows-1252',
    );
    const second = await importFile(imports, profile.id, fixed);
    const again = await importFile(imports, profile.id, fixed);
    const original = await importFile(imports, profile.id, iconv.encode(ORIGINAL, 'windows-1252'));

    expect(second.state).toBe(JobState.COMPLETED);
    expect(counts(second)).toEqual({ read: 2, valid: 2, invalid: 0, posted: 2, duplicate: 0 });
    expect(counts(again)).toMatchObject({ posted: 0, duplicate: 2 });
    expect(counts(original)).toMatchObject({ posted: 0, duplicate: 2, invalid: 2 });
    expect(await importedInLedger(platform, book.ledgerId)).toMatchObject({
      entries: 4,
      bank: '1258.8600000000',
    });
  });
});

describe('uploaded files', () => {
  it('are deleted once their job has ended; the report and the rejected rows stay', async () => {
    const book = await setUpBook(platform, tenant);
    // The delimiter is detected: the download keeps the one the file had.
    const profile = await createProfile(imports, bankExport(book, ''));
    const bytes = iconv.encode(ORIGINAL, 'windows-1252');
    const completed = await importFile(imports, profile.id, bytes);
    const cancelled = await uploadJob(imports, profile.id, bytes);
    await imports.cancelJob({ jobId: cancelled.id });
    const waiting = await uploadJob(imports, profile.id, bytes);
    await untilFileDeleted(completed.id);
    await untilFileDeleted(cancelled.id);
    const report = await imports.getJobReport({ jobId: completed.id });
    const text = iconv.decode(await download(completed.id), 'windows-1252');

    expect(completed.state).toBe(JobState.COMPLETED);
    expect(report.errors.map((e) => Number(e.rowNumber))).toEqual([5, 6]);
    expect(text.split('\n').slice(2, 4)).toEqual([
      'Datum;Betrag;Text;Ref;error',
      expect.stringMatching(/^30\.02\.2026;5,00;"Gebühr; März";R-2;"Datum: /),
    ]);
    // A job that has not ended keeps its file, and still commits from it.
    expect(await storedChunks(waiting.id)).toBe(1);
    await imports.commitJob({ jobId: waiting.id, policy: ErrorPolicy.POST_VALID_ROWS });
    expect(counts(await untilDone(imports, waiting.id))).toMatchObject({
      duplicate: 2,
      invalid: 2,
    });
  });
});
