import { ErrorPolicy } from '@kontor/contracts/imports/v1/import_profile_pb';
import { JobState } from '@kontor/contracts/imports/v1/import_service_pb';
import {
  EntrySide,
  EntryService,
  TransactionType,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { LedgerGateway } from '../src/ledger-client/ledger-gateway';
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

/** Rows `Date,Amount,Ref` against 4000; the contra account is 1100 Bank or 1000 Cash (≥ 0). */
const statement = (book: Book, contraAccountCode = '1100'): Definition => ({
  file: { delimiter: ',', hasHeader: true },
  date: { column: 'Date' },
  amount: { amount: { column: 'Amount' } },
  fixedCurrency: 'EUR',
  ledgerId: book.ledgerId,
  journalSymbol: 'BANK',
  account: { accountCode: '4000' },
  contraAccountCode,
  reference: { column: 'Ref' },
  uniqueColumns: [{ column: 'Ref' }],
});

/** Posts straight into the ledger: `amount` from one account to another (debit, credit). */
async function postDirectly(
  book: Book,
  key: string,
  debit: string,
  credit: string,
  amount: string,
) {
  const entries = platform.client(EntryService, tenant.token, platform.ledgerAddress);
  const money = { amount, currency: 'EUR' };
  await entries.postEntry({
    entry: {
      idempotencyKey: key,
      ledgerId: book.ledgerId,
      journalSymbol: 'BANK',
      entryDate: '2026-03-01',
      transactionType: TransactionType.TRANSFER,
      lines: [
        { accountCode: debit, side: EntrySide.DEBIT, amount: money },
        { accountCode: credit, side: EntrySide.CREDIT, amount: money },
      ],
    },
  });
}

/** Entries the import posted into the book. */
async function importEntries(book: Book): Promise<number> {
  const [row] = await platform.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ledger.entries WHERE ledger_id = $1 AND source = 'import'`,
    [book.ledgerId],
  );

  return Number(row.n);
}

const errorsOf = async (jobId: string) =>
  (await imports.getJobReport({ jobId })).errors.map((e) => [Number(e.rowNumber), e.reason]);

describe('REJECT_FILE', () => {
  it("decides on its own validation, not an earlier dry run's: a month closed since rejects the file", async () => {
    const book = await setUpBook(platform, tenant);
    const profile = await createProfile(imports, statement(book));
    const job = await uploadJob(
      imports,
      profile.id,
      Buffer.from('Date,Amount,Ref\n2026-01-15,10.00,J-1\n2026-03-01,20.00,M-1\n'),
    );
    const dryRun = await imports.validateJob({ jobId: job.id });
    await platform
      .client(PeriodService, tenant.token, platform.ledgerAddress)
      .closeMonth({ ledgerId: book.ledgerId, month: '2026-01' });
    await imports.commitJob({ jobId: job.id, policy: ErrorPolicy.REJECT_FILE });
    const finished = await untilDone(imports, job.id);

    expect(counts(dryRun.job!)).toMatchObject({ valid: 2, invalid: 0 });
    expect(finished.state).toBe(JobState.REJECTED);
    expect(counts(finished)).toMatchObject({ valid: 1, invalid: 1, posted: 0 });
    expect(await errorsOf(job.id)).toEqual([[2, '2026-01 is closed in the ledger']]);
    expect(await importEntries(book)).toBe(0);
  });

  it('rejects a row a balance limit would refuse before posting anything (dry run says so too)', async () => {
    const book = await setUpBook(platform, tenant);
    const profile = await createProfile(imports, statement(book, '1000'));
    // 1000 Cash may not go below zero: 5.00 in, then 50.00 out.
    const csv =
      'Date,Amount,Ref\n2026-03-10,5.00,C-1\n2026-03-11,-50.00,C-2\n2026-03-12,1.00,C-3\n';
    const dryRunJob = await uploadJob(imports, profile.id, Buffer.from(csv));
    const dryRun = await imports.validateJob({ jobId: dryRunJob.id });
    const job = await importFile(imports, profile.id, csv, ErrorPolicy.REJECT_FILE);
    const reason =
      'account 1000 would go below zero: its balance would be -45.00 EUR (limit no_negative)';

    expect(dryRun.errors.map((e) => [Number(e.rowNumber), e.rawValue, e.reason])).toEqual([
      [3, '-50.00', reason],
    ]);
    expect(job.state).toBe(JobState.REJECTED);
    expect(job.failure).toBe('1 rows are invalid: nothing was posted');
    expect(await errorsOf(job.id)).toEqual([[3, reason]]);
    expect(await importEntries(book)).toBe(0);
  });

  it('projects balance limits from the ledger as it is, leaving out rows posted before', async () => {
    const book = await setUpBook(platform, tenant);
    const profile = await createProfile(imports, statement(book, '1000'));
    await postDirectly(book, 'cash-in', '1000', '3000', '30.00');
    const first = await importFile(
      imports,
      profile.id,
      'Date,Amount,Ref\n2026-03-10,-30.00,O-1\n2026-03-11,10.00,O-2\n',
      ErrorPolicy.REJECT_FILE,
    );
    // O-1 took the cash to 0.00 (O-2 brought 10.00): projected again it would break the limit,
    // but it is a duplicate and posts nothing; O-3 spends the 10.00.
    const overlap = await importFile(
      imports,
      profile.id,
      'Date,Amount,Ref\n2026-03-10,-30.00,O-1\n2026-03-12,-10.00,O-3\n',
      ErrorPolicy.REJECT_FILE,
    );

    expect([first.state, overlap.state]).toEqual([JobState.COMPLETED, JobState.COMPLETED]);
    expect(counts(overlap)).toMatchObject({ invalid: 0, posted: 1, duplicate: 1 });
    expect(await importEntries(book)).toBe(3);
  });

  it('stops at a row the ledger still refuses while posting, and says exactly what was posted', async () => {
    const book = await setUpBook(platform, tenant);
    const profile = await createProfile(imports, statement(book, '1000'));
    await postDirectly(book, 'cash-100', '1000', '3000', '100.00');
    // Validation sees 100.00 of cash: +10, -70, +5 stay above zero. Then, between validation and
    // posting, someone takes 50.00 out of the cash box, so the ledger refuses the -70 row.
    const gateway = platform.importApp()!.get(LedgerGateway);
    const post = gateway.postEntries.bind(gateway);
    const spy = jest.spyOn(gateway, 'postEntries').mockImplementationOnce(async (...args) => {
      await postDirectly(book, 'cash-out-50', '1100', '1000', '50.00');

      return post(...args);
    });
    try {
      const job = await importFile(
        imports,
        profile.id,
        'Date,Amount,Ref\n2026-03-10,10.00,R-1\n2026-03-11,-70.00,R-2\n2026-03-12,5.00,R-3\n',
        ErrorPolicy.REJECT_FILE,
      );
      const posted = await importEntries(book);

      expect(job.state).toBe(JobState.FAILED);
      expect(job.failure).toMatch(
        /^REJECT_FILE could not be kept: the ledger refused row 3 while posting \(ledger rejected the entry: .*account 1000 would go below zero.*\); 2 rows of the file were posted before the job stopped and stay posted/,
      );
      expect(counts(job)).toMatchObject({ read: 3, invalid: 1, posted: 2 });
      expect(job.postedTotals).toEqual([expect.objectContaining({ amount: '15.00' })]);
      // Cash: the 100.00 moved in directly, plus R-1 and R-3 (the import's own entries only).
      expect(posted).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });
});
