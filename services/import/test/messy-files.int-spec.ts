import { createHash, randomBytes } from 'node:crypto';
import { JobState } from '@kontor/contracts/imports/v1/import_service_pb';
import { GrpcCallError, GrpcStatus } from '@kontor/grpc';
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
  uploadJob,
  type Definition,
  type Imports,
} from './support/jobs';

jest.setTimeout(180_000);

let platform: ImportPlatform;
let tenant: TestTenant;
let imports: Imports;
let book: Book;
let profileId: string;

const definition = (): Definition => ({
  file: { delimiter: ',', hasHeader: true },
  date: { column: 'Date' },
  amount: { amount: { column: 'Amount' } },
  fixedCurrency: 'EUR',
  ledgerId: book.ledgerId,
  journalSymbol: 'BANK',
  account: { accountCode: '4000' },
  contraAccountCode: '1100',
  description: { column: 'Text' },
  uniqueColumns: [{ column: 'Ref' }],
});

beforeAll(async () => {
  platform = await startImportPlatform();
  tenant = await platform.newTenant();
  imports = importsOf(platform, tenant);
  book = await setUpBook(platform, tenant);
  profileId = (await createProfile(imports, definition())).id;
});

afterAll(() => platform?.stop());

async function dryRun(file: Buffer | string) {
  const job = await uploadJob(
    imports,
    profileId,
    typeof file === 'string' ? Buffer.from(file) : file,
  );

  return imports.validateJob({ jobId: job.id, previewLimit: 20 });
}

const describeErrors = (errors: { rowNumber: bigint; column: string; reason: string }[]) =>
  errors.map((e) => [Number(e.rowNumber), e.column, e.reason]);

describe('files as partners send them', () => {
  it('reads quoted fields holding delimiters, quotes and newlines, and skips blank and trailing lines', async () => {
    const file =
      'Date,Amount,Ref,Text\r\n\r\n2026-05-01,1.00,Q-1,"a, ""quoted"" text\r\nover two lines"\r\n,,,\r\n2026-05-02,2.00,Q-2,plain\r\n\r\n\r\n';
    const { job, entries, errors } = await dryRun(file);

    expect(errors).toEqual([]);
    expect(counts(job!)).toMatchObject({ read: 2, valid: 2, invalid: 0 });
    expect(entries.map((e) => [Number(e.rowNumber), e.description])).toEqual([
      [3, 'a, "quoted" text\r\nover two lines'],
      [6, 'plain'],
    ]);
  });

  it('makes ragged rows row errors and reads the rest', async () => {
    const { job, errors } = await dryRun(
      'Date,Amount,Ref,Text\n2026-05-03,1.00,R-1\n2026-05-03,1.00,R-2,x,extra\n2026-05-04,3.00,R-3,ok\n',
    );

    expect(counts(job!)).toMatchObject({ read: 3, valid: 1, invalid: 2 });
    expect(describeErrors(errors)).toEqual([
      [2, '', 'has 3 fields, expected 4'],
      [3, '', 'has 5 fields, expected 4'],
    ]);
  });

  it('fails a file with an unclosed quote, naming where it opens', async () => {
    const { job } = await dryRun(
      'Date,Amount,Ref,Text\n2026-05-05,1.00,U-1,fine\n2026-05-06,2.00,U-2,"never closed\n2026-05-07,3.00,U-3,x\n',
    );

    expect(job!.state).toBe(JobState.FAILED);
    expect(job!.failure).toBe(
      'broken quotes: a quoted field opened after line 2 (the last complete row) is never closed',
    );
  });

  it('reads a 5 MB line (and reports its over-long description as a row error)', async () => {
    const long = 'x'.repeat(5 * 1024 * 1024);
    const { job, errors } = await dryRun(
      `Date,Amount,Ref,Text\n2026-05-08,1.00,L-1,${long}\n2026-05-09,2.00,L-2,short\n`,
    );

    expect(counts(job!)).toMatchObject({ read: 2, valid: 1, invalid: 1 });
    expect(describeErrors(errors)).toEqual([[2, 'Text', 'is longer than 500 characters']]);
    expect(errors[0].rawValue.length).toBeLessThan(300);
  });

  it('fails binary garbage with the reason, not a crash', async () => {
    const garbage = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(4096)]);
    const { job } = await dryRun(garbage);

    expect(job!.state).toBe(JobState.FAILED);
    expect(job!.failure).toMatch(/not valid UTF-8 near byte \d+|NUL characters/);
  });

  it('fails an empty file', async () => {
    const { job } = await dryRun(Buffer.alloc(0));

    expect(job!.state).toBe(JobState.FAILED);
    expect(job!.failure).toBe('the file is empty (0 bytes)');
  });

  it('completes a header-only file with nothing to post', async () => {
    const job = await importFile(imports, profileId, 'Date,Amount,Ref,Text\n');

    expect(job.state).toBe(JobState.COMPLETED);
    expect(counts(job)).toEqual({ read: 0, valid: 0, invalid: 0, posted: 0, duplicate: 0 });
  });

  it("fails a file whose header lacks the profile's columns, naming them", async () => {
    const { job } = await dryRun('Datum,Betrag,Ref,Text\n2026-05-10,1.00,H-1,x\n');

    expect(job!.state).toBe(JobState.FAILED);
    expect(job!.failure).toBe(
      'the file does not match the profile: column "Date" is not in the header ("Datum", "Betrag", "Ref", "Text"); column "Amount" is not in the header ("Datum", "Betrag", "Ref", "Text")',
    );
  });

  it('takes chunks of the documented 4 MiB, refuses larger ones naming the limit', async () => {
    const mib = 1024 * 1024;
    const row = '2026-05-12,1.00,C-2,padding padding padding padding padding padding\n';
    const file = Buffer.from(
      `Date,Amount,Ref,Text\n${row.repeat(Math.ceil((5 * mib) / row.length))}`,
    );
    const job = await uploadJob(imports, profileId, file, 4 * mib);
    const over = await uploadJob(imports, profileId, file, 4 * mib + 1).catch((e: unknown) => e);
    const far = await uploadJob(imports, profileId, randomBytes(9 * mib), 9 * mib).catch(
      (e: unknown) => e,
    );

    expect(job.fileSize).toBe(BigInt(file.length));
    expect(over).toBeInstanceOf(GrpcCallError);
    expect((over as GrpcCallError).code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect((over as GrpcCallError).message).toContain(
      'chunk: is 4194305 bytes; send the file in chunks of at most 4194304 bytes (4 MiB)',
    );
    expect((over as GrpcCallError).fieldViolations.map((v) => v.field)).toEqual(['chunk']);
    // Past twice the limit grpc-js refuses the message before the service sees it.
    expect(far).toBeInstanceOf(GrpcCallError);
    expect((far as GrpcCallError).code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  });

  it('uploads a file in many small chunks and stores its SHA-256', async () => {
    const file = Buffer.from('Date,Amount,Ref,Text\n2026-05-11,1.00,C-1,x\n');
    const job = await uploadJob(imports, profileId, file, 5);

    expect(job.state).toBe(JobState.UPLOADED);
    expect(job.fileSize).toBe(BigInt(file.length));
    expect(job.fileSha256).toBe(createHash('sha256').update(file).digest('hex'));
  });
});
