import { ErrorPolicy } from '@kontor/contracts/imports/v1/import_profile_pb';
import { JobState } from '@kontor/contracts/imports/v1/import_service_pb';
import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { addOrganization, setUpBook, type Book } from './support/book';
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

const statement = () => ({
  file: { delimiter: ',', hasHeader: true },
  values: { dateFormats: ['YYYY-MM-DD'] },
  date: { column: 'Date' },
  amount: { amount: { column: 'Amount' } },
  fixedCurrency: 'EUR',
  ledgerId: book.ledgerId,
  journalSymbol: 'BANK',
  account: { accountCode: '4000' },
  contraAccountCode: '1100',
  reference: { column: 'Ref' },
  description: { column: 'Text' },
  uniqueColumns: [{ column: 'Ref' }],
  transactionType: TransactionType.REVENUE,
});

describe('a partner statement imported end to end', () => {
  it('posts every valid row once through the ledger, as the import service', async () => {
    const profile = await createProfile(imports, statement());
    const csv = [
      'Date,Amount,Ref,Text',
      '2026-03-01,100.00,S-1,"Sale, with comma"',
      '2026-03-02,-20.50,S-2,Refund',
      '2026-03-03,0.01,S-3,"two',
      'lines"',
      '',
    ].join('\n');
    const job = await importFile(imports, profile.id, csv);

    expect(job.state).toBe(JobState.COMPLETED);
    expect(counts(job)).toEqual({ read: 3, valid: 3, invalid: 0, posted: 3, duplicate: 0 });
    expect(job.postedTotals).toEqual([
      expect.objectContaining({ amount: '79.51', currency: 'EUR' }),
    ]);
    const ledger = await importedInLedger(platform, book.ledgerId);
    expect(ledger).toEqual({
      entries: 3,
      bank: '79.5100000000',
      postedBy: ['api-key:service:import'],
    });
  });

  it('dry-runs a file: summary, first errors naming row, column, value and reason, would-be entries', async () => {
    const profile = await createProfile(imports, statement());
    const job = await uploadJob(
      imports,
      profile.id,
      Buffer.from(
        'Date,Amount,Ref,Text\n2026-03-01,1.00,D-1,a\n2026-02-30,x,D-2,b\n2026-03-04,2,D-3\n',
      ),
    );
    const dryRun = await imports.validateJob({ jobId: job.id, previewLimit: 10 });

    expect(counts(dryRun.job!)).toMatchObject({ read: 3, valid: 1, invalid: 2, posted: 0 });
    expect(dryRun.errors.map((e) => [Number(e.rowNumber), e.column, e.rawValue, e.reason])).toEqual(
      [
        [3, 'Date', '2026-02-30', expect.stringContaining('date does not match')],
        [3, 'Amount', 'x', expect.stringContaining('amount is not a number')],
        [4, '', expect.any(String), 'has 3 fields, expected 4'],
      ],
    );
    expect(dryRun.entries).toEqual([
      expect.objectContaining({
        rowNumber: 2n,
        ledgerId: book.ledgerId,
        entryDate: '2026-03-01',
        amount: expect.objectContaining({ amount: '1.00', currency: 'EUR' }),
        debitAccountCode: '1100',
        creditAccountCode: '4000',
      }),
    ]);
    expect((await importedInLedger(platform, book.ledgerId)).entries).toBe(3);
  });

  it('rejects the whole file under REJECT_FILE when a row is invalid, posting nothing', async () => {
    const profile = await createProfile(imports, statement());
    const before = await importedInLedger(platform, book.ledgerId);
    const job = await importFile(
      imports,
      profile.id,
      'Date,Amount,Ref,Text\n2026-03-05,5.00,R-1,ok\n2026-03-06,abc,R-2,bad\n',
      ErrorPolicy.REJECT_FILE,
    );

    expect(job.state).toBe(JobState.REJECTED);
    expect(job.failure).toBe('1 rows are invalid: nothing was posted');
    expect(await importedInLedger(platform, book.ledgerId)).toEqual(before);
  });

  it('posts the valid rows under POST_VALID_ROWS and offers the rest as CSV with an error column', async () => {
    const profile = await createProfile(imports, statement());
    const job = await importFile(
      imports,
      profile.id,
      'Date,Amount,Ref,Text\n2026-03-07,7.00,P-1,ok\n2026-03-08,(7.00),P-2,"bad, style"\n',
    );
    expect(counts(job)).toEqual({ read: 2, valid: 1, invalid: 1, posted: 1, duplicate: 0 });

    let csv = '';
    for await (const part of imports.downloadRejectedRows({ jobId: job.id })) {
      csv += Buffer.from(part.chunk).toString('utf8');
    }
    expect(csv).toBe(
      'Date,Amount,Ref,Text,error\n' +
        '2026-03-08,(7.00),P-2,"bad, style","Amount: amount negative style (12.50) is not accepted by the profile (""(7.00)"")"\n',
    );
    const report = await imports.getJobReport({ jobId: job.id });
    expect(report.errors).toEqual([expect.objectContaining({ rowNumber: 3n, column: 'Amount' })]);
  });

  it("checks dates against the ledger's open months before posting anything", async () => {
    const profile = await createProfile(imports, statement());
    const job = await importFile(
      imports,
      profile.id,
      'Date,Amount,Ref,Text\n2026-03-09,9.00,L-1,ok\n2025-12-31,9.00,L-2,last year\n',
      ErrorPolicy.REJECT_FILE,
    );
    const report = await imports.getJobReport({ jobId: job.id });

    expect(job.state).toBe(JobState.REJECTED);
    expect(counts(job)).toMatchObject({ valid: 1, invalid: 1, posted: 0 });
    expect(report.errors.map((e) => [Number(e.rowNumber), e.column, e.rawValue, e.reason])).toEqual(
      [[3, 'Date', '2025-12-31', '2025-12 is in no fiscal year of the ledger']],
    );
  });

  it('reports a row the ledger refuses (a balance limit) with its reason and posts the others', async () => {
    // 1000 Cash may not go negative: a negative row credits it below zero.
    const profile = await createProfile(imports, { ...statement(), contraAccountCode: '1000' });
    const job = await importFile(
      imports,
      profile.id,
      'Date,Amount,Ref,Text\n2026-03-10,5.00,M-1,in\n2026-03-11,-50.00,M-2,too much out\n',
    );
    const report = await imports.getJobReport({ jobId: job.id });

    expect(job.state).toBe(JobState.COMPLETED);
    expect(counts(job)).toEqual({ read: 2, valid: 1, invalid: 1, posted: 1, duplicate: 0 });
    expect(report.errors).toEqual([
      expect.objectContaining({
        rowNumber: 3n,
        reason: expect.stringMatching(/^ledger rejected the entry: /),
      }),
    ]);
  });

  it('turns an unknown counterparty into a row error and posts known ones to their primary ledger', async () => {
    const other = await setUpBook(platform, tenant);
    await addOrganization(platform, tenant, 'shop-without-ledger');
    const profile = await createProfile(imports, {
      ...statement(),
      ledgerId: '',
      ledgerFromCounterparty: true,
      counterparty: { column: 'Partner' },
      uniqueColumns: [{ column: 'Ref' }],
    });
    const job = await importFile(
      imports,
      profile.id,
      [
        'Date,Amount,Ref,Text,Partner',
        `2026-04-01,10.00,C-1,x,${other.partnerExternalId}`,
        '2026-04-02,11.00,C-2,x,nobody-knows-me',
        '2026-04-03,12.00,C-3,x,shop-without-ledger',
      ].join('\n'),
    );

    expect(counts(job)).toMatchObject({ valid: 1, invalid: 2, posted: 1 });
    const report = await imports.getJobReport({ jobId: job.id });
    expect(report.errors.map((e) => [Number(e.rowNumber), e.column, e.rawValue, e.reason])).toEqual(
      [
        [3, 'Partner', 'nobody-knows-me', 'no organization has this external id'],
        [4, 'Partner', 'shop-without-ledger', 'the organization has no primary ledger'],
      ],
    );
    expect(await importedInLedger(platform, other.ledgerId)).toMatchObject({
      entries: 1,
      bank: '10.0000000000',
    });
  });
});
