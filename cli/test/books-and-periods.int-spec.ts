import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Decimal from 'decimal.js';
import { setUpCliBook, type CliBook, type Organization } from './support/cli-book';
import { kontor, kontorJson, newKontorHome } from './support/kontor-process';
import { type CliPlatform, startCliPlatform } from './support/ledger-platform';

interface Amount {
  amount: string;
  currency: string;
}

interface Turnover {
  accountCode: string;
  currency: string;
  openingBalance: Amount;
  debit: Amount;
  credit: Amount;
  closingBalance: Amount;
}

interface StatementRow {
  entryId: string;
  entryDate: string;
  transactionType: string;
  amount: Amount;
  runningBalance: Amount;
}

// The books a finance person keeps with the binary, against the real ledger (gRPC) and the
// reporting service fed through Kafka: profiles, organizations, ledgers, the chart, periods and
// journals, a customer's invoices, and the turnover and statement reports, each figure checked
// against what the ledger itself says.
describe('kontor books, periods and statements against the ledger and reporting', () => {
  let platform: CliPlatform;
  const home = newKontorHome();
  let book: CliBook;
  let grace: Organization;

  beforeAll(async () => {
    platform = await startCliPlatform(['ledger', 'reporting']);
    book = await setUpCliBook(platform, home);
    grace = await kontorJson<Organization>(
      [
        ...['orgs', 'create', '--kind', 'customer'],
        ...['--external-id', `C-GRACE-${book.tenantId.slice(0, 8)}`, '--name', 'Grace Hopper'],
      ],
      book.run,
    );
  }, 120_000);

  afterAll(() => platform?.stop());

  const post = (args: string[]) =>
    kontor(['entries', 'post', '--ledger', book.ledgerId, '--currency', 'EUR', ...args], book.run);

  async function posted(args: string[]): Promise<void> {
    const result = await post([...args, '--json']);
    if (result.code !== 0) throw new Error(`posting failed (${result.code}): ${result.stderr}`);
  }

  const sumOf = (amounts: Amount[]) =>
    Decimal.sum(0, ...amounts.map((value) => new Decimal(value.amount))).toFixed(2);

  const turnoverFigures = (row: Turnover) => [
    row.accountCode,
    row.currency,
    row.openingBalance.amount,
    row.debit.amount,
    row.credit.amount,
    row.closingBalance.amount,
  ];

  /** The ledger's own trial balance (BalanceService) over months. */
  const ledgerTrialBalance = (from: string, to: string) =>
    kontorJson<{ rows: Turnover[] }>(
      ['trial-balance', '--ledger', book.ledgerId, '--from', from, '--to', to],
      book.run,
    );

  const accountBalance = async (code: string, at: string) => {
    const { balances } = await kontorJson<{ balances: { balance: Amount }[] }>(
      ['balance', 'account', code, '--ledger', book.ledgerId, '--at', at],
      book.run,
    );
    return balances[0]?.balance.amount;
  };

  /** How many entries the ledger holds: reports wait until the read model includes them all. */
  async function entriesInLedger(): Promise<number> {
    const { rows } = await kontorJson<{ rows: { entryId: string }[] }>(
      ['general-ledger', '--ledger', book.ledgerId, '--all', '--limit', '10000'],
      book.run,
    );
    return new Set(rows.map((row) => row.entryId)).size;
  }

  it('saves profiles, lists them with the API key cut short, switches with profile use and shows the one in effect', async () => {
    const other = newKontorHome();
    mkdirSync(dirname(other.configFile), { recursive: true });
    // The tenant's real profile "work" (current), plus one that points nowhere.
    writeFileSync(other.configFile, readFileSync(home.configFile, 'utf8'), { mode: 0o600 });
    const elsewhereKey = `kontor_elsewhere_${randomUUID()}`;
    const saved = await kontor(
      [
        ...['profile', 'set', 'elsewhere', '--address', '127.0.0.1:7'],
        ...['--api-key', elsewhereKey, '--tenant', 'T-ELSEWHERE'],
      ],
      other,
    );
    const list = await kontor(['profile', 'list'], other);
    const listed = await kontorJson<
      { name: string; current: boolean; address: string; tenantId: string }[]
    >(['profile', 'list'], other);
    const used = await kontor(['profile', 'use', 'elsewhere'], other);
    const configAfterUse = readFileSync(other.configFile, 'utf8');
    const shown = await kontor(['profile', 'show'], other);
    const byFlag = await kontorJson<{ profile: string; tenantId: string; apiKeySet: boolean }>(
      ['--profile', 'work', 'profile', 'show'],
      other,
    );
    await kontor(['profile', 'use', 'work'], other);
    const backToWork = await kontor(['ledgers', 'show', book.ledgerId], other);

    expect(saved).toMatchObject({ code: 0, stdout: '' });
    expect(saved.stderr).toBe(`saved profile "elsewhere" in ${other.configFile}\n`);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/│ \*\s+│ work\s+│/);
    expect(list.stdout).toMatch(/│\s+│ elsewhere │ 127\.0\.0\.1:7\s+│ T-ELSEWHERE\s+│/);
    expect(list.stdout).toContain(`${elsewhereKey.slice(0, 12)}…`);
    expect(list.stdout).not.toContain(elsewhereKey);
    expect(listed.map((profile) => [profile.name, profile.current])).toEqual([
      ['work', true],
      ['elsewhere', false],
    ]);
    expect(JSON.stringify(listed)).not.toContain('kontor_');
    expect(used).toMatchObject({ code: 0, stdout: 'current profile: elsewhere\n' });
    expect(configAfterUse).toContain('currentProfile: elsewhere');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^profile\s+elsewhere\n/);
    expect(shown.stdout).toMatch(/ledger address\s+127\.0\.0\.1:7\n/);
    // The other services default to the next ports of the ledger's host.
    expect(shown.stdout).toMatch(/import address\s+127\.0\.0\.1:8\n/);
    expect(shown.stdout).toMatch(/tenant\s+T-ELSEWHERE\n/);
    expect(shown.stdout).toMatch(new RegExp(`\\napi key\\s+${elsewhereKey.slice(0, 12)}…\\n`));
    expect(shown.stdout).not.toContain(elsewhereKey);
    expect(byFlag).toEqual(
      expect.objectContaining({ profile: 'work', tenantId: book.tenantId, apiKeySet: true }),
    );
    expect(backToWork.code).toBe(0);
    expect(backToWork.stdout).toMatch(new RegExp(`^id\\s+${book.ledgerId}\\n`));
  });

  it('refuses to use a profile that is not saved, exit 78, and keeps the current one', async () => {
    const result = await kontor(['profile', 'use', 'nope'], book.run);

    expect(result).toMatchObject({
      code: 78,
      stdout: '',
      stderr: `kontor: no profile "nope" in ${home.configFile}\n`,
    });
    expect(readFileSync(home.configFile, 'utf8')).toContain('currentProfile: work');
  });

  it('shows an organization and a ledger by id, and exits 3 for ids that are not there', async () => {
    const org = await kontor(['orgs', 'show', book.vendor.id], book.run);
    const orgJson = await kontorJson<Record<string, string>>(
      ['orgs', 'show', book.vendor.id],
      book.run,
    );
    const ledger = await kontor(['ledgers', 'show', book.ledgerId], book.run);
    const ledgerJson = await kontorJson<Record<string, string>>(
      ['ledgers', 'show', book.ledgerId],
      book.run,
    );
    const noOrg = await kontor(['orgs', 'show', randomUUID()], book.run);
    const noLedger = await kontor(['ledgers', 'show', randomUUID()], book.run);

    expect(org.code).toBe(0);
    expect(org.stdout).toMatch(new RegExp(`^id\\s+${book.vendor.id}\\n`));
    expect(org.stdout).toMatch(new RegExp(`external id\\s+${book.vendor.externalId}\\n`));
    expect(org.stdout).toMatch(/kind\s+vendor\nname\s+Nordic Knits\n/);
    expect(org.stdout).toMatch(new RegExp(`primary ledger\\s+${book.ledgerId}\\n`));
    expect(orgJson).toMatchObject({
      id: book.vendor.id,
      externalId: book.vendor.externalId,
      kind: 'ORGANIZATION_KIND_VENDOR',
      primaryLedgerId: book.ledgerId,
    });
    expect(ledger.code).toBe(0);
    expect(ledger.stdout).toMatch(/name\s+Nordic Knits\nbase currency\s+EUR\n/);
    expect(ledger.stdout).toMatch(new RegExp(`owner\\s+${book.vendor.id}\\n`));
    expect(ledgerJson).toMatchObject({
      id: book.ledgerId,
      baseCurrency: 'EUR',
      ownerOrganizationId: book.vendor.id,
    });
    for (const missing of [noOrg, noLedger]) {
      expect(missing.code).toBe(3);
      expect(missing.stdout).toBe('');
      expect(missing.stderr).toMatch(/^kontor: NOT_FOUND: .+ not found\n/);
    }
  });

  it('lists the chart of accounts with an added account, shows one by code, and exits 3 for an unknown code', async () => {
    const created = await kontor(
      [
        ...['accounts', 'create', '--ledger', book.ledgerId, '--code', '1010'],
        ...['--name', 'Wallet', '--type', 'asset', '--balance-limit', 'no-negative'],
      ],
      book.run,
    );
    const table = await kontor(['accounts', 'list', '--ledger', book.ledgerId], book.run);
    const { accounts } = await kontorJson<{ accounts: { code: string; role?: string }[] }>(
      ['accounts', 'list', '--ledger', book.ledgerId],
      book.run,
    );
    const receivable = await kontor(
      ['accounts', 'show', '1200', '--ledger', book.ledgerId],
      book.run,
    );
    const wallet = await kontorJson<{ code: string; name: string; balanceLimit: string }>(
      ['accounts', 'show', '1010', '--ledger', book.ledgerId],
      book.run,
    );
    const unknown = await kontor(['accounts', 'show', '9999', '--ledger', book.ledgerId], book.run);

    expect(created.code).toBe(0);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/│ code\s+│ name\s+│ type\s+│ role\s+│ limit/);
    expect(table.stdout).toMatch(/│ 1200\s+│ Accounts receivable\s+│ asset\s+│ receivable\s+│/);
    expect(table.stdout).toMatch(/│ 1010\s+│ Wallet\s+│ asset\s+│\s+│ no-negative/);
    const codes = accounts.map((account) => account.code);
    expect(codes).toEqual(expect.arrayContaining(['1010', '1100', '1200', '2100', '4000']));
    expect(new Set(codes).size).toBe(codes.length);
    expect(receivable.code).toBe(0);
    expect(receivable.stdout).toBe(
      'code   1200\nname   Accounts receivable\ntype   asset\nrole   receivable\nlimit  \n',
    );
    expect(wallet).toMatchObject({
      code: '1010',
      name: 'Wallet',
      balanceLimit: 'BALANCE_LIMIT_NO_NEGATIVE',
    });
    expect(unknown.code).toBe(3);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^kontor: NOT_FOUND: .*9999/);
  });

  it('closes a month with its turnovers, refuses posting into it (exit 2), reopens it with a reason and posts again', async () => {
    const month = `${book.year}-02`;
    await posted([
      ...['--journal', 'GENERAL', '--date', `${month}-10`, '--type', 'revenue'],
      ...['--debit', '1100=80.00', '--credit', '4000=80.00', '--reference', 'FEB-1'],
    ]);
    const late = [
      ...['--journal', 'GENERAL', '--date', `${month}-20`, '--type', 'revenue'],
      ...['--debit', '1100=15.50', '--credit', '4000=15.50', '--reference', 'FEB-LATE'],
    ];
    const monthStatus = async () => {
      const { fiscalYears } = await kontorJson<{
        fiscalYears: {
          name: string;
          months: { month: string; status: string; closeTime?: string }[];
        }[];
      }>(['periods', 'list', '--ledger', book.ledgerId], book.run);
      return fiscalYears
        .find((year) => year.name === `FY${book.year}`)
        ?.months.find((candidate) => candidate.month === month);
    };
    const closeArgs = ['periods', 'close', month, '--ledger', book.ledgerId];
    const reopenArgs = ['periods', 'reopen', month, '--ledger', book.ledgerId];

    const closed = await kontorJson<{ month: { status: string }; turnovers: Turnover[] }>(
      closeArgs,
      book.run,
    );
    const ledgerView = await ledgerTrialBalance(month, month);
    const refused = await post(late);
    const whileClosed = await monthStatus();
    const listing = await kontor(['periods', 'list', '--ledger', book.ledgerId], book.run);
    const closedTwice = await kontor(closeArgs, book.run);
    const withoutReason = await kontor(reopenArgs, book.run);
    const reopened = await kontor([...reopenArgs, '--reason', 'late supplier invoice'], book.run);
    const afterReopen = await monthStatus();
    const postedLate = await post(late);
    const reopenedTwice = await kontor([...reopenArgs, '--reason', 'again'], book.run);

    expect(closed.month.status).toBe('MONTH_STATUS_CLOSED');
    // What closing recorded is the ledger's own trial balance of the month.
    expect(closed.turnovers.map(turnoverFigures)).toEqual(ledgerView.rows.map(turnoverFigures));
    expect(closed.turnovers.find((row) => row.accountCode === '4000')?.credit.amount).toBe('80.00');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      `kontor: FAILED_PRECONDITION: entry_date ${month}-20: month ${month} is closed; post into an open month`,
    );
    expect(whileClosed).toMatchObject({ status: 'MONTH_STATUS_CLOSED' });
    expect(whileClosed?.closeTime).toEqual(expect.any(String));
    expect(listing.stdout).toMatch(
      new RegExp(`│ FY${book.year}\\s+│ ${month}\\s+│ closed\\s+│ \\d{4}-`),
    );
    expect(closedTwice.code).toBe(2);
    expect(closedTwice.stderr).toContain(`month ${month} is already closed`);
    expect(withoutReason.code).toBe(64);
    expect(withoutReason.stderr).toContain('--reason');
    expect(reopened.code).toBe(0);
    expect(reopened.stdout).toBe(`month   ${month}\nstatus  open\n`);
    expect(afterReopen?.status).toBe('MONTH_STATUS_OPEN');
    expect(postedLate.code).toBe(0);
    expect(postedLate.stdout).toMatch(new RegExp(`date\\s+${month}-20\\n`));
    expect(postedLate.stdout).not.toContain('replayed');
    expect(await accountBalance('4000', `${month}-28`)).toBe('-95.50');
    expect(reopenedTwice.code).toBe(2);
    expect(reopenedTwice.stderr).toContain(
      `month ${month} is open; only a closed month can be reopened`,
    );
  });

  it('adds a journal to the fiscal year, numbers its entries from 1, and refuses the same symbol twice (exit 2)', async () => {
    const { fiscalYears } = await kontorJson<{ fiscalYears: { id: string; name: string }[] }>(
      ['periods', 'list', '--ledger', book.ledgerId],
      book.run,
    );
    const fiscalYear = fiscalYears.find((year) => year.name === `FY${book.year}`)!;
    const create = ['journals', 'create', '--year', fiscalYear.id, '--symbol', 'PUR'];

    const created = await kontor([...create, '--name', 'Purchases'], book.run);
    const again = await kontor([...create, '--name', 'Purchases again'], book.run);
    const first = await post([
      ...['--journal', 'PUR', '--date', `${book.year}-04-02`, '--type', 'cost'],
      ...['--debit', '5000=12.00', '--credit', '1100=12.00'],
    ]);
    const { journals } = await kontorJson<{
      journals: { symbol: string; name: string; nextEntryNumber: string }[];
    }>(['journals', 'list', '--year', fiscalYear.id], book.run);

    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/│ PUR\s+│ Purchases\s+│\s+1 │ [0-9a-f-]{36} │/);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/^kontor: ALREADY_EXISTS: .*PUR/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/journal \/ number\s+PUR 1\n/);
    expect(journals.find((journal) => journal.symbol === 'PUR')).toMatchObject({
      name: 'Purchases',
      nextEntryNumber: '2',
    });
  });

  it("lists a customer's invoices oldest first with what payments covered; --open leaves out the paid ones", async () => {
    const y = book.year;
    const invoice = (reference: string, date: string, amount: string) =>
      posted([
        ...['--journal', 'SALES', '--date', date, '--type', 'invoice', '--reference', reference],
        ...['--due-date', `${y}-06-30`, '--debit', `1200=${amount}:${grace.id}`],
        ...['--credit', `4000=${amount}`],
      ]);
    const payment = (date: string, amount: string) =>
      posted([
        ...['--journal', 'BANK', '--date', date, '--type', 'payment'],
        ...['--payment-method', 'card', '--debit', `1100=${amount}`],
        ...['--credit', `1200=${amount}:${grace.id}`],
      ]);
    type Invoices = {
      invoices: { reference: string; paid: Amount; open: Amount; status: string }[];
      unappliedCredit?: Amount[];
    };
    const invoicesArgs = ['invoices', grace.id, '--ledger', book.ledgerId];
    const owes = async () =>
      (await kontor(['balance', 'customer', grace.id, '--ledger', book.ledgerId], book.run)).stdout;
    await invoice('G-1', `${y}-05-03`, '100.00');
    await invoice('G-2', `${y}-05-06`, '50.00');
    await payment(`${y}-05-10`, '120.00');

    const table = await kontor(invoicesArgs, book.run);
    const all = await kontorJson<Invoices>(invoicesArgs, book.run);
    const open = await kontorJson<Invoices>([...invoicesArgs, '--open'], book.run);
    const owedBefore = await owes();
    await payment(`${y}-05-20`, '40.00');
    const settled = await kontor(invoicesArgs, book.run);
    const stillOpen = await kontorJson<Invoices>([...invoicesArgs, '--open'], book.run);
    const owedAfter = await owes();

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /│ reference\s+│ date\s+│ due\s+│\s+amount │\s+paid │\s+open │ status/,
    );
    expect(table.stdout).toMatch(/│ G-1\s+│.*│ 100\.00 EUR │ 100\.00 EUR │\s+0\.00 EUR │ paid\s+│/);
    expect(table.stdout).toMatch(
      /│ G-2\s+│.*│\s+50\.00 EUR │\s+20\.00 EUR │\s+30\.00 EUR │ partly-paid │/,
    );
    expect(all.invoices.map((row) => [row.reference, row.status])).toEqual([
      ['G-1', 'INVOICE_STATUS_PAID'],
      ['G-2', 'INVOICE_STATUS_PARTLY_PAID'],
    ]);
    expect(open.invoices.map((row) => row.reference)).toEqual(['G-2']);
    // What is open on the invoices is what the ledger says the customer owes.
    expect(owedBefore).toBe(`owes ${sumOf(all.invoices.map((row) => row.open))} EUR\n`);
    expect(settled.code).toBe(0);
    expect(settled.stderr).toBe('unapplied credit: 10.00 EUR\n');
    expect(settled.stdout).toMatch(
      /│ G-2\s+│.*│\s+50\.00 EUR │\s+50\.00 EUR │\s+0\.00 EUR │ paid\s+│/,
    );
    // Proto JSON leaves an empty list out.
    expect(stillOpen.invoices ?? []).toEqual([]);
    expect(stillOpen.unappliedCredit).toEqual([{ amount: '10.00', currency: 'EUR' }]);
    expect(owedAfter).toBe('has 10.00 EUR credit\n');
  });

  it("reports turnovers per month that add up to the ledger's own trial balance of the year", async () => {
    const y = book.year;
    const range = ['--from', `${y}-01`, '--to', `${y}-12`];
    const waitFor = String(await entriesInLedger());
    const args = [
      'reports',
      'turnovers',
      '--ledger',
      book.ledgerId,
      ...range,
      '--wait-for',
      waitFor,
    ];

    const table = await kontor(args, book.run);
    const { rows } = await kontorJson<{ rows: (Turnover & { period: string })[] }>(args, book.run);
    const ledgerView = await ledgerTrialBalance(`${y}-01`, `${y}-12`);

    expect(table.code).toBe(0);
    expect(table.stderr).toBe(`current up to entry ${waitFor} of the ledger\n`);
    expect(table.stdout).toMatch(
      /│ month\s+│ account │ name\s+│ currency │\s+opening │\s+debit │\s+credit │\s+closing │/,
    );
    expect(ledgerView.rows.length).toBeGreaterThan(0);
    for (const year of ledgerView.rows) {
      const months = rows.filter(
        (row) => row.accountCode === year.accountCode && row.currency === year.currency,
      );
      expect(months.length).toBeGreaterThan(0);
      // Each month opens with the previous month's closing balance.
      months.slice(1).forEach((row, index) => {
        expect(row.openingBalance.amount).toBe(months[index]?.closingBalance.amount);
      });
      expect([
        year.accountCode,
        months[0]?.openingBalance.amount,
        sumOf(months.map((row) => row.debit)),
        sumOf(months.map((row) => row.credit)),
        months[months.length - 1]?.closingBalance.amount,
      ]).toEqual([
        year.accountCode,
        year.openingBalance.amount,
        year.debit.amount,
        year.credit.amount,
        year.closingBalance.amount,
      ]);
    }
    const revenueInFebruary = rows.find(
      (row) => row.accountCode === '4000' && row.period.startsWith(`${y}-02`),
    );
    expect(revenueInFebruary?.credit.amount).toBe('95.50');
  });

  it("prints an account statement whose running balance carries the opening balance and ends at the account's balance", async () => {
    const y = book.year;
    const waitFor = String(await entriesInLedger());
    const statement = (...extra: string[]) => [
      ...['reports', 'account-statement', '1100', '--ledger', book.ledgerId],
      ...['--wait-for', waitFor, '--to', `${y}-12-31`, ...extra],
    ];

    const table = await kontor(statement(), book.run);
    const whole = await kontorJson<{ rows: StatementRow[] }>(statement(), book.run);
    const fromMay = await kontorJson<{ rows: StatementRow[] }>(
      statement('--from', `${y}-05-01`),
      book.run,
    );
    const balanceAtYearEnd = await accountBalance('1100', `${y}-12-31`);
    const balanceEndOfApril = await accountBalance('1100', `${y}-04-30`);

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /│ date\s+│ entry\s+│ type\s+│ reference\s+│ counterparty\s+│ payment method\s+│\s+amount │\s+running balance │/,
    );
    expect(whole.rows.length).toBeGreaterThan(3);
    let running = new Decimal(0);
    for (const row of whole.rows) {
      running = running.plus(row.amount.amount);
      expect(row.runningBalance.amount).toBe(running.toFixed(2));
    }
    expect(whole.rows[whole.rows.length - 1]?.runningBalance.amount).toBe(balanceAtYearEnd);
    // From a date on, the running balance starts from the account's balance the day before.
    const firstInMay = fromMay.rows[0];
    expect(firstInMay.entryDate >= `${y}-05-01`).toBe(true);
    expect(
      new Decimal(firstInMay.runningBalance.amount).minus(firstInMay.amount.amount).toFixed(2),
    ).toBe(balanceEndOfApril);
  });

  it('prints a customer statement: payments by default, every entry with --all, the running balance ending at what the ledger says', async () => {
    const waitFor = String(await entriesInLedger());
    const statement = [
      ...['reports', 'customer-statement', grace.id, '--ledger', book.ledgerId],
      ...['--wait-for', waitFor],
    ];

    const byDefault = await kontorJson<{ rows: StatementRow[] }>(statement, book.run);
    const all = await kontorJson<{ rows: StatementRow[] }>([...statement, '--all'], book.run);
    const csv = await kontor([...statement, '--all', '--output', 'csv'], book.run);
    const { balances } = await kontorJson<{ balances: { balance: Amount }[] }>(
      ['balance', 'customer', grace.id, '--ledger', book.ledgerId],
      book.run,
    );

    expect(new Set(byDefault.rows.map((row) => row.transactionType))).toEqual(
      new Set(['TRANSACTION_TYPE_PAYMENT']),
    );
    expect(all.rows.map((row) => row.transactionType)).toContain('TRANSACTION_TYPE_INVOICE');
    expect(all.rows.length).toBeGreaterThan(byDefault.rows.length);
    let running = new Decimal(0);
    for (const row of all.rows) {
      running = running.plus(row.amount.amount);
      expect(row.runningBalance.amount).toBe(running.toFixed(2));
    }
    expect(all.rows[all.rows.length - 1]?.runningBalance.amount).toBe(balances[0]?.balance.amount);
    // The default view leaves invoices out but its running balance still counts them.
    const runningOf = new Map(all.rows.map((row) => [row.entryId, row.runningBalance.amount]));
    for (const row of byDefault.rows) {
      expect(row.runningBalance.amount).toBe(runningOf.get(row.entryId));
    }
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'date,entry,type,reference,counterparty,payment method,amount,running balance',
    );
    expect(lines.slice(1).map((line) => line.split(',')[2])).toEqual(
      all.rows.map((row) =>
        row.transactionType === 'TRANSACTION_TYPE_INVOICE' ? 'invoice' : 'payment',
      ),
    );
    expect(lines[lines.length - 1]?.split(',')[7]).toBe(`${balances[0]?.balance.amount} EUR`);
  });
});
