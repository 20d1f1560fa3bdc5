import { ErrorPolicy } from '@kontor/contracts/imports/v1/import_profile_pb';
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
  importsOf,
  untilDone,
  uploadJob,
  type Imports,
} from './support/jobs';
import { importedInLedger } from './support/ledger-books';

jest.setTimeout(300_000);

let platform: ImportPlatform;
let tenant: TestTenant;
let imports: Imports;
let book: Book;

beforeAll(async () => {
  platform = await startImportPlatform({ spawned: true });
  tenant = await platform.newTenant();
  imports = importsOf(platform, tenant);
  book = await setUpBook(platform, tenant);
});

afterAll(() => platform?.stop());

const ROWS = 20_000;

function bigStatement(): { file: Buffer; cents: bigint } {
  const lines = ['Date,Amount,Ref'];
  let cents = 0n;
  for (let i = 1; i <= ROWS; i += 1) {
    const value = BigInt((i * 7919) % 100_000) + 1n;
    cents += value;
    lines.push(
      `2026-07-${String((i % 28) + 1).padStart(2, '0')},${value / 100n}.${String(value % 100n).padStart(2, '0')},K-${i}`,
    );
  }

  return { file: Buffer.from(`${lines.join('\n')}\n`), cents };
}

async function jobRow(jobId: string) {
  const [row] = await platform.query<{ state: string; rows_posted: string }>(
    `SELECT state, rows_posted::text FROM imports.jobs WHERE id = $1`,
    [jobId],
  );

  return { state: row.state, posted: Number(row.rows_posted) };
}

describe('a commit killed mid-way', () => {
  it('resumes after SIGKILL and a restart, and the ledger holds each row exactly once', async () => {
    const profile = await createProfile(imports, {
      file: { delimiter: ',', hasHeader: true },
      date: { column: 'Date' },
      amount: { amount: { column: 'Amount' } },
      fixedCurrency: 'EUR',
      ledgerId: book.ledgerId,
      journalSymbol: 'BANK',
      account: { accountCode: '4000' },
      contraAccountCode: '1100',
      reference: { column: 'Ref' },
      uniqueColumns: [{ column: 'Ref' }],
    });
    const { file, cents } = bigStatement();
    const job = await uploadJob(imports, profile.id, file, 1024 * 1024);
    await imports.commitJob({ jobId: job.id, policy: ErrorPolicy.POST_VALID_ROWS });

    let atKill = await jobRow(job.id);
    while (atKill.posted < 2_000 && atKill.state === 'COMMITTING') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      atKill = await jobRow(job.id);
    }
    await platform.killAndRestartImport();
    const ledgerAtKill = await importedInLedger(platform, book.ledgerId);

    expect(atKill.state).toBe('COMMITTING');
    expect(ledgerAtKill.entries).toBeLessThan(ROWS);

    const done = await untilDone(imports, job.id);
    const ledger = await importedInLedger(platform, book.ledgerId);
    const [{ keys, distinctKeys, equal }] = await platform.query<{
      keys: string;
      distinctKeys: string;
      equal: boolean;
    }>(
      `SELECT count(*)::text AS keys, count(DISTINCT idempotency_key)::text AS "distinctKeys",
         (SELECT sum(amount) FROM imports.job_totals WHERE job_id = $2) = $3::numeric AS equal
       FROM ledger.entries WHERE ledger_id = $1`,
      [book.ledgerId, job.id, `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`],
    );

    expect(done.state).toBe(JobState.COMPLETED);
    expect(counts(done)).toEqual({
      read: ROWS,
      valid: ROWS,
      invalid: 0,
      posted: ROWS,
      duplicate: 0,
    });
    expect(ledger.entries).toBe(ROWS);
    expect([Number(keys), Number(distinctKeys)]).toEqual([ROWS, ROWS]);
    expect(equal).toBe(true);
    const [{ equalInLedger }] = await platform.query<{ equalInLedger: boolean }>(
      `SELECT $1::numeric = $2::numeric AS "equalInLedger"`,
      [ledger.bank, `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`],
    );
    expect(equalInLedger).toBe(true);
  });
});
