import { readFileSync, writeFileSync } from 'node:fs';
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

  it('refuses a profile file with a misspelled field, naming it, exit 65', async () => {
    const bad = `${home.home}/bad-profile.yaml`;
    writeFileSync(bad, 'name: x\ndefinition:\n  fixedCurency: EUR\n');

    const result = await kontor(['import', 'profiles', 'create', '--file', bad], book.run);

    expect(result.code).toBe(65);
    expect(result.stderr).toContain('fixedCurency');
  });
});
