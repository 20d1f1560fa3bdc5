import { randomInt } from 'node:crypto';
import { ErrorPolicy } from '@kontor/contracts/imports/v1/import_profile_pb';
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
  untilDone,
  uploadJob,
  type Definition,
  type Imports,
} from './support/jobs';
import { importedInLedger } from './support/ledger-books';

jest.setTimeout(240_000);

let platform: ImportPlatform;

beforeAll(async () => {
  platform = await startImportPlatform();
});

afterAll(() => platform?.stop());

interface Tenancy {
  tenant: TestTenant;
  imports: Imports;
  book: Book;
  profileId: string;
}

const definition = (book: Book): Definition => ({
  file: { delimiter: ',', hasHeader: true },
  date: { column: 'Date' },
  amount: { amount: { column: 'Amount' } },
  fixedCurrency: 'EUR',
  ledgerId: book.ledgerId,
  journalSymbol: 'SALES',
  account: { accountCode: '4000' },
  contraAccountCode: '1100',
  reference: { column: 'Ref' },
  uniqueColumns: [{ column: 'Ref' }],
});

async function tenancy(): Promise<Tenancy> {
  const tenant = await platform.newTenant();
  const imports = importsOf(platform, tenant);
  const book = await setUpBook(platform, tenant);
  const { id } = await createProfile(imports, definition(book));

  return { tenant, imports, book, profileId: id };
}

/** Rows Ref-<from>…Ref-<to> with amounts given by cents(i). */
function statement(from: number, to: number, cents: (i: number) => bigint): string {
  const lines = ['Date,Amount,Ref'];
  for (let i = from; i <= to; i += 1) {
    const value = cents(i);
    const sign = value < 0n ? '-' : '';
    const abs = value < 0n ? -value : value;
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(
      `2026-06-${day},${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')},Ref-${i}`,
    );
  }

  return `${lines.join('\n')}\n`;
}

const fixed = (i: number) => BigInt(i * 100 + 1);

describe('never twice', () => {
  it('re-importing the same file posts nothing and counts every row as a duplicate', async () => {
    const a = await tenancy();
    const file = statement(1, 50, fixed);
    const first = await importFile(a.imports, a.profileId, file);
    const again = await importFile(a.imports, a.profileId, file);

    expect(counts(first)).toMatchObject({ posted: 50, duplicate: 0 });
    expect(counts(again)).toMatchObject({ read: 50, valid: 50, posted: 0, duplicate: 50 });
    expect(again.sameFileAsJobId).toBe(first.id);
    expect(again.postedTotals).toEqual([]);
    expect((await importedInLedger(platform, a.book.ledgerId)).entries).toBe(50);
  });

  it('an overlapping file posts only the rows not posted before', async () => {
    const a = await tenancy();
    await importFile(a.imports, a.profileId, statement(1, 30, fixed));
    const overlap = await importFile(a.imports, a.profileId, statement(21, 45, fixed));

    expect(counts(overlap)).toMatchObject({ read: 25, posted: 15, duplicate: 10 });
    expect((await importedInLedger(platform, a.book.ledgerId)).entries).toBe(45);
  });

  it('a row repeated inside one file posts once', async () => {
    const a = await tenancy();
    const file =
      'Date,Amount,Ref\n2026-06-01,1.00,Dup-1\n2026-06-02,2.00,Other\n2026-06-01,1.00,Dup-1\n';
    const job = await importFile(a.imports, a.profileId, file);

    expect(counts(job)).toMatchObject({ read: 3, posted: 2, duplicate: 1 });
  });

  it('posts, to the cent, the sum of the valid rows of a large random file', async () => {
    const a = await tenancy();
    const rows = 2_500;
    const amounts = Array.from(
      { length: rows },
      () => BigInt(randomInt(-500_000, 5_000_000)) || 1n,
    );
    const file = statement(1, rows, (i) => amounts[i - 1]);
    const job = await importFile(a.imports, a.profileId, file);
    const expected = amounts.reduce((sum, cents) => sum + cents, 0n);
    const expectedText = `${expected < 0n ? '-' : ''}${(expected < 0n ? -expected : expected) / 100n}.${String((expected < 0n ? -expected : expected) % 100n).padStart(2, '0')}`;

    expect(counts(job)).toMatchObject({ read: rows, posted: rows, invalid: 0 });
    expect(job.postedTotals.map((t) => t.amount)).toEqual([expectedText]);
    const ledger = await importedInLedger(platform, a.book.ledgerId);
    const [{ equal }] = await platform.query<{ equal: boolean }>(
      `SELECT $1::numeric = $2::numeric AS equal`,
      [ledger.bank, expectedText],
    );
    expect(ledger.entries).toBe(rows);
    expect(equal).toBe(true);
  });

  it('keeps tenants apart: every job and profile rpc of one answers NOT_FOUND to the other, and identities are per tenant', async () => {
    const a = await tenancy();
    const b = await tenancy();
    const file = statement(1, 10, fixed);
    const withErrors = `${file}2026-06-31,1.00,Bad-1\n`;
    const jobA = await importFile(a.imports, a.profileId, withErrors);
    // A job of each state another tenant could aim at: ended, waiting for its file, uploaded.
    const { job: created } = await a.imports.createJob({
      requestId: 'a-created',
      profileId: a.profileId,
      fileName: 'x',
    });
    const uploaded = await uploadJob(a.imports, a.profileId, Buffer.from(file));
    const drain = async (stream: AsyncIterable<unknown>) => {
      const iterator = stream[Symbol.asyncIterator]();
      while (!(await iterator.next()).done);
    };
    const calls: Record<string, () => Promise<unknown>> = {
      getJobReport: () => b.imports.getJobReport({ jobId: jobA.id }),
      watchJob: () => drain(b.imports.watchJob({ jobId: jobA.id })),
      downloadRejectedRows: () => drain(b.imports.downloadRejectedRows({ jobId: jobA.id })),
      'uploadFile into a created job': () =>
        b.imports.uploadFile([{ jobId: created!.id, chunk: Buffer.from(file) }]),
      'uploadFile into an uploaded job': () =>
        b.imports.uploadFile([{ jobId: uploaded.id, chunk: Buffer.from(file) }]),
      validateJob: () => b.imports.validateJob({ jobId: uploaded.id }),
      commitJob: () =>
        b.imports.commitJob({ jobId: uploaded.id, policy: ErrorPolicy.POST_VALID_ROWS }),
      cancelJob: () => b.imports.cancelJob({ jobId: uploaded.id }),
      getProfile: () => b.imports.getProfile({ profileId: a.profileId }),
      updateProfile: () =>
        b.imports.updateProfile({
          profileId: a.profileId,
          expectedVersion: 1,
          definition: definition(b.book),
        }),
      createJob: () =>
        b.imports.createJob({ requestId: 'steal', profileId: a.profileId, fileName: 'x' }),
    };
    const codes: Record<string, GrpcStatus | string> = {};
    for (const [name, call] of Object.entries(calls)) {
      codes[name] = await call().then(
        () => 'answered',
        (e: unknown) => (e instanceof GrpcCallError ? e.code : String(e)),
      );
    }

    expect(codes).toEqual(
      Object.fromEntries(Object.keys(calls).map((name) => [name, GrpcStatus.NOT_FOUND])),
    );
    // Nothing of A's changed: its jobs are where they were, its profile at version 1.
    const states = await Promise.all(
      [created!.id, uploaded.id].map(async (jobId) => {
        const { job } = await a.imports.getJobReport({ jobId });
        return [job!.state, job!.fileSize];
      }),
    );
    expect(states).toEqual([
      [JobState.CREATED, 0n],
      [JobState.UPLOADED, BigInt(file.length)],
    ]);
    expect((await a.imports.getProfile({ profileId: a.profileId })).profile!.version).toBe(1);
    const jobB = await importFile(b.imports, b.profileId, file);
    expect(counts(jobB)).toMatchObject({ posted: 10, duplicate: 0 });
    expect((await b.imports.listProfiles({})).profiles.map((p) => p.id)).toEqual([b.profileId]);
  });

  it('a commit cancelled mid-way stops; importing the file again completes it, every row once', async () => {
    const a = await tenancy();
    const rows = 20_000;
    const file = Buffer.from(statement(1, rows, fixed));
    const job = await uploadJob(a.imports, a.profileId, file, 1024 * 1024);
    await a.imports.commitJob({ jobId: job.id, policy: ErrorPolicy.POST_VALID_ROWS });
    for (;;) {
      const [row] = await platform.query<{ posted: string }>(
        `SELECT rows_posted::text AS posted FROM imports.jobs WHERE id = $1`,
        [job.id],
      );
      if (Number(row.posted) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const cancelled = await a.imports.cancelJob({ jobId: job.id });
    const again = await importFile(a.imports, a.profileId, file);
    const report = await a.imports.getJobReport({ jobId: job.id });

    expect(cancelled.job!.state).toBe(JobState.CANCELLED);
    expect(report.job!.state).toBe(JobState.CANCELLED);
    expect(counts(report.job!).posted).toBeLessThan(rows);
    expect(counts(again)).toMatchObject({ read: rows, invalid: 0 });
    expect(counts(again).posted + counts(again).duplicate).toBe(rows);
    expect((await importedInLedger(platform, a.book.ledgerId)).entries).toBe(rows);
  });

  it('a commit that arrives during a dry run wins: the dry run stops, the job is not set back', async () => {
    const a = await tenancy();
    // The dry run records progress within its first second (or 1,000 errors: the invalid rows
    // come first), long before it has read the 100,000 valid rows behind them, and the service
    // keeps answering calls while it parses, so the commit lands mid-pass. The invalid rows also
    // make REJECT_FILE end the job without posting anything.
    const invalid = 1_000;
    const rows = 100_000;
    const bad = Array.from({ length: invalid }, (_, i) => `2026-06-31,1.00,Bad-${i}\n`).join('');
    const file = Buffer.from(statement(1, rows, fixed).replace('\n', `\n${bad}`));
    const job = await uploadJob(a.imports, a.profileId, file, 1024 * 1024);
    const dryRun = a.imports.validateJob({ jobId: job.id, previewLimit: 5 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    for (;;) {
      const [row] = await platform.query<{ read: string }>(
        `SELECT rows_read::text AS read FROM imports.jobs WHERE id = $1`,
        [job.id],
      );
      if (Number(row.read) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await a.imports.commitJob({ jobId: job.id, policy: ErrorPolicy.REJECT_FILE });
    const stopped = await dryRun;
    const finished = await untilDone(a.imports, job.id);

    expect(stopped).toBeInstanceOf(GrpcCallError);
    expect((stopped as GrpcCallError).code).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect((stopped as GrpcCallError).message).toContain('committed or cancelled');
    expect(finished.state).toBe(JobState.REJECTED);
    expect(counts(finished)).toMatchObject({ read: rows + invalid, invalid, posted: 0 });
    expect((await importedInLedger(platform, a.book.ledgerId)).entries).toBe(0);
  });

  it('cancels a job: it ends CANCELLED and stays so', async () => {
    const a = await tenancy();
    const { job } = await a.imports.createJob({
      requestId: 'to-cancel',
      profileId: a.profileId,
      fileName: 'x',
    });
    const cancelled = await a.imports.cancelJob({ jobId: job!.id });
    const again = await a.imports.cancelJob({ jobId: job!.id });

    expect(cancelled.job!.state).toBe(JobState.CANCELLED);
    expect(again.job!.state).toBe(JobState.CANCELLED);
  });
});
