import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Decimal from 'decimal.js';
import { setUpCliBook, type CliBook } from './support/cli-book';
import { kontor, kontorJson, newKontorHome, plainText } from './support/kontor-process';
import { type CliPlatform, startCliPlatform } from './support/ledger-platform';

// A partner statement imported with the binary: profile from a file, dry run, commit with a
// progress bar, the rejected rows file, and a re-import that posts nothing twice.
describe('kontor import against the running import and ledger services', () => {
  let platform: CliPlatform;
  const home = newKontorHome();
  let book: CliBook;
  let profileId: string;
  const csvFile = `${home.home}/statement.csv`;

  beforeAll(async () => {
    platform = await startCliPlatform(['ledger', 'import']);
    book = await setUpCliBook(platform, home);
    const profileFile = `${home.home}/statement-profile.yaml`;
    writeFileSync(
      profileFile,
      [
        'name: Partner statement (semicolons, decimal comma)',
        'definition:',
        '  file: { delimiter: ";", hasHeader: true }',
        '  values: { decimalSeparator: ",", thousandsSeparator: ".", dateFormats: ["DD.MM.YYYY"] }',
        '  date: { column: Datum }',
        '  amount: { amount: { column: Betrag } }',
        '  fixedCurrency: EUR',
        `  ledgerId: ${book.ledgerId}`,
        '  journalSymbol: BANK',
        '  account: { accountCode: "4000" }',
        '  contraAccountCode: "1100"',
        '  reference: { column: Referenz }',
        '  uniqueColumns: [{ column: Referenz }]',
        '  transactionType: TRANSACTION_TYPE_REVENUE',
      ].join('\n'),
    );
    const created = await kontorJson<{ id: string }>(
      ['import', 'profiles', 'create', '--file', profileFile],
      book.run,
    );
    profileId = created.id;
    const y = book.year;
    writeFileSync(
      csvFile,
      [
        'Datum;Betrag;Referenz',
        `01.03.${y};1.234,56;P-1`,
        `02.03.${y};20,00;P-2`,
        `03.03.${y};zwanzig;P-3`,
        `04.03.${y};0,44;P-4`,
        '',
      ].join('\n'),
    );
  }, 180_000);

  afterAll(() => platform?.stop());

  it('dry-runs a file: counts, the bad row by number and column, and posts nothing', async () => {
    const result = await kontor(
      ['import', 'run', csvFile, '--import-profile', profileId, '--dry-run'],
      book.run,
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/rows read\s+4\n/);
    expect(result.stdout).toMatch(/invalid\s+1\n/);
    expect(result.stdout).toMatch(/posted\s+0\n/);
    expect(result.stderr).toMatch(/│\s+4 │ Betrag\s+│ zwanzig/);
  });

  it('posts the valid rows with a progress bar, writes the rejected rows, then imports nothing twice', async () => {
    const first = await kontor(
      ['import', 'run', csvFile, '--import-profile', profileId, '--policy', 'post-valid-rows'],
      { env: { ...book.run.env, TERM: 'xterm-256color' }, tty: true },
    );

    expect(first.code).toBe(0);
    const screen = plainText(first.stdout);
    expect(screen).toMatch(/posting \|=+\| 100% \| 3\/3 rows \| \d+ rows\/s/);
    expect(screen).toMatch(/posted\s+3\n/);
    expect(screen).toMatch(/posted totals\s+1255\.00 EUR\n/);
    const rejected = readFileSync(`${csvFile}.rejected.csv`, 'utf8');
    expect(rejected).toContain('zwanzig');
    expect(rejected.split('\n')[0]).toMatch(/error/i);

    const again = await kontor(
      [
        'import',
        'run',
        csvFile,
        '--import-profile',
        profileId,
        '--policy',
        'post-valid-rows',
        '--json',
      ],
      book.run,
    );
    expect(again.code).toBe(0);
    const { job } = JSON.parse(again.stdout) as { job: { counts: Record<string, string> } };
    expect(job.counts['rowsPosted'] ?? '0').toBe('0');
    expect(job.counts['rowsDuplicate']).toBe('3');
    const revenue = await kontorJson<{ balances: { balance: { amount: string } }[] }>(
      ['balance', 'account', '4000', '--ledger', book.ledgerId],
      book.run,
    );
    expect(revenue.balances[0]?.balance.amount).toBe('-1255.00');
  });

  it('lists the saved profile and shows it by id, at its latest version or --profile-version 1; exit 3 for a version it lacks', async () => {
    const table = await kontor(['import', 'profiles', 'list'], book.run);
    const { profiles } = await kontorJson<{
      profiles: { id: string; version: number; name: string }[];
    }>(['import', 'profiles', 'list'], book.run);
    const shown = await kontor(['import', 'profiles', 'show', profileId], book.run);
    type Shown = { id: string; definition: { ledgerId: string; journalSymbol: string } };
    const latest = await kontorJson<Shown>(['import', 'profiles', 'show', profileId], book.run);
    const first = await kontorJson<Shown>(
      ['import', 'profiles', 'show', profileId, '--profile-version', '1'],
      book.run,
    );
    const missing = await kontor(
      ['import', 'profiles', 'show', profileId, '--profile-version', '2'],
      book.run,
    );

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(`│ ${profileId} │\\s+1 │ Partner statement \\(semicolons, decimal comma\\) │`),
    );
    expect(profiles).toEqual([
      expect.objectContaining({
        id: profileId,
        version: 1,
        name: 'Partner statement (semicolons, decimal comma)',
      }),
    ]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      new RegExp(
        `^id\\s+${profileId}\\nversion\\s+1\\nname\\s+Partner statement \\(semicolons, decimal comma\\)\\n`,
      ),
    );
    expect(latest.definition).toMatchObject({ ledgerId: book.ledgerId, journalSymbol: 'BANK' });
    expect(first).toEqual(latest);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^kontor: NOT_FOUND: .*version 2/);
  });

  it('reports a finished job with import status, and writes its rejected rows with import rejected: a file the profile reads again once fixed', async () => {
    const y = book.year;
    const file = `${home.home}/second-statement.csv`;
    writeFileSync(
      file,
      [
        'Datum;Betrag;Referenz',
        `05.03.${y};7,00;P-20`,
        `06.03.${y};zehn;P-21`,
        `07.03.${y};3,00;P-22`,
        '',
      ].join('\n'),
    );
    type JobJson = { id: string; state: string; counts: Record<string, string> };
    const ran = await kontorJson<{ job: JobJson }>(
      ['import', 'run', file, '--import-profile', profileId, '--policy', 'post-valid-rows'],
      book.run,
    );
    const jobId = ran.job.id;
    const rejectedOut = `${home.home}/rejected-again.csv`;

    const status = await kontor(['import', 'status', jobId], book.run);
    const statusJson = await kontorJson<{
      job: JobJson;
      errors: { rowNumber: string; column: string; rawValue: string }[];
    }>(['import', 'status', jobId], book.run);
    const written = await kontor(['import', 'rejected', jobId, '--out', rejectedOut], book.run);
    const rejected = readFileSync(rejectedOut, 'utf8');
    const revenueOf = async () =>
      (
        await kontorJson<{ balances: { balance: { amount: string } }[] }>(
          ['balance', 'account', '4000', '--ledger', book.ledgerId],
          book.run,
        )
      ).balances[0]?.balance.amount;
    const revenueBefore = await revenueOf();
    const fixedFile = `${home.home}/rejected-fixed.csv`;
    writeFileSync(fixedFile, rejected.replace(';zehn;', ';10,00;'));
    const reimported = await kontorJson<{ job: JobJson }>(
      ['import', 'run', fixedFile, '--import-profile', profileId],
      book.run,
    );
    const revenueAfter = await revenueOf();

    expect(ran.job.state).toBe('JOB_STATE_COMPLETED');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^job\\s+${jobId}\\nstate\\s+completed\\n`));
    expect(status.stdout).toMatch(/rows read\s+3\nvalid\s+2\ninvalid\s+1\nposted\s+2\n/);
    expect(status.stdout).toMatch(/posted totals\s+10\.00 EUR\n/);
    expect(status.stderr).toMatch(/│\s+3 │ Betrag\s+│ zehn\s+│/);
    expect(statusJson.job.counts).toEqual(ran.job.counts);
    expect(
      statusJson.errors.map((error) => [error.rowNumber, error.column, error.rawValue]),
    ).toEqual([['3', 'Betrag', 'zehn']]);
    expect(written).toMatchObject({ code: 0, stdout: `written  ${rejectedOut}\n` });
    // The same file `import run` wrote beside the CSV: the header plus an error column.
    expect(rejected).toBe(readFileSync(`${file}.rejected.csv`, 'utf8'));
    const lines = rejected.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^Datum;Betrag;Referenz;"?error"?$/);
    expect(lines.slice(1).map((line) => line.split(';').slice(0, 3))).toEqual([
      [`06.03.${y}`, 'zehn', 'P-21'],
    ]);
    expect(reimported.job).toMatchObject({ state: 'JOB_STATE_COMPLETED' });
    expect(reimported.job.counts['rowsPosted']).toBe('1');
    expect(reimported.job.counts['rowsInvalid'] ?? '0').toBe('0');
    expect(new Decimal(revenueAfter ?? 'NaN').minus(revenueBefore ?? 'NaN').toFixed(2)).toBe(
      '-10.00',
    );
  });

  it('cancels a dry-run job that was never committed; its status says cancelled; exit 3 for an unknown job', async () => {
    const dryRun = await kontorJson<{ job: { id: string; state: string } }>(
      ['import', 'run', csvFile, '--import-profile', profileId, '--dry-run'],
      book.run,
    );
    const jobId = dryRun.job.id;

    const cancelled = await kontor(['import', 'cancel', jobId], book.run);
    const status = await kontorJson<{ job: { state: string; counts: Record<string, string> } }>(
      ['import', 'status', jobId],
      book.run,
    );
    const unknown = await kontor(['import', 'cancel', randomUUID()], book.run);

    expect(dryRun.job.state).toBe('JOB_STATE_VALIDATED');
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(new RegExp(`^job\\s+${jobId}\\nstate\\s+cancelled\\n`));
    expect(cancelled.stdout).toMatch(/posted\s+0\n/);
    expect(status.job.state).toBe('JOB_STATE_CANCELLED');
    expect(status.job.counts['rowsPosted'] ?? '0').toBe('0');
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^kontor: NOT_FOUND: /);
  });

  it('refuses a profile file with a misspelled field, naming it, exit 65', async () => {
    const bad = `${home.home}/bad-profile.yaml`;
    writeFileSync(bad, 'name: x\ndefinition:\n  fixedCurency: EUR\n');

    const result = await kontor(['import', 'profiles', 'create', '--file', bad], book.run);

    expect(result.code).toBe(65);
    expect(result.stderr).toContain('fixedCurency');
  });
});
