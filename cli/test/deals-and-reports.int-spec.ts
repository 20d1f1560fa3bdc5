import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import Decimal from 'decimal.js';
import { setUpCliBook, type CliBook, type Organization } from './support/cli-book';
import { eventually } from '@kontor/testing';
import { kontor, kontorJson, newKontorHome } from './support/kontor-process';
import { type CliPlatform, startCliPlatform } from './support/ledger-platform';

// Reports and a profit-sharing deal with the binary, against all four services: entries posted
// through the ledger reach the reporting and deals read models through Kafka.
describe('kontor reports and deals against the whole platform', () => {
  let platform: CliPlatform;
  const home = newKontorHome();
  let book: CliBook;
  let partner: Organization;
  let dealId: string;

  beforeAll(async () => {
    platform = await startCliPlatform(['ledger', 'import', 'deals', 'reporting']);
    book = await setUpCliBook(platform, home);
    partner = await kontorJson<Organization>(
      [
        'orgs',
        'create',
        '--kind',
        'partner',
        '--external-id',
        `P-${book.tenantId.slice(0, 8)}`,
        '--name',
        'Parcel Partners',
      ],
      book.run,
    );
    const y = book.year;
    const post = (args: string[]) =>
      kontorJson(
        ['entries', 'post', '--ledger', book.ledgerId, '--currency', 'EUR', ...args],
        book.run,
      );
    await post([
      '--journal',
      'SALES',
      '--date',
      `${y}-03-02`,
      '--type',
      'invoice',
      '--reference',
      'INV-1',
      '--due-date',
      `${y}-03-12`,
      '--debit',
      `1200=119.00:${book.customer.id}`,
      '--credit',
      '4000=100.00',
      '--credit',
      '2100=19.00',
    ]);
    await post([
      '--journal',
      'BANK',
      '--date',
      `${y}-03-20`,
      '--type',
      'payment',
      '--payment-method',
      'card',
      '--debit',
      '1100=50.00',
      '--credit',
      `1200=50.00:${book.customer.id}`,
    ]);
    await post([
      '--journal',
      'SALES',
      '--date',
      `${y}-03-25`,
      '--type',
      'revenue',
      '--debit',
      '1100=200.00',
      '--credit',
      '4000=200.00',
    ]);
  }, 180_000);

  afterAll(() => platform?.stop());

  // A monthly deal (or, without a name, an amendment) as a file: the vendor pays a flat share of
  // its ledger's gross revenue, all of it to the partner.
  function writeDealFile(
    fileName: string,
    deal: { name?: string; effectiveFrom: string; percent: string; reason?: string },
  ): string {
    const path = `${home.home}/${fileName}`;
    const header = deal.name
      ? [
          `name: ${deal.name}`,
          `payerOrganizationId: ${book.vendor.id}`,
          'currency: EUR',
          'frequency: SETTLEMENT_FREQUENCY_MONTHLY',
        ]
      : [];
    writeFileSync(
      path,
      [
        ...header,
        `effectiveFrom: "${deal.effectiveFrom}"`,
        ...(deal.reason ? [`reason: ${deal.reason}`] : []),
        'terms:',
        `  payees: [{ organizationId: ${partner.id}, role: PARTY_ROLE_PARTNER, sharePercent: "100" }]`,
        `  scope: { ledgerIds: [${book.ledgerId}] }`,
        '  basis: BASIS_KIND_GROSS_REVENUE',
        `  flatPercent: "${deal.percent}"`,
        '  negativePeriod: NEGATIVE_PERIOD_HANDLING_CARRY_FORWARD',
      ].join('\n'),
    );
    return path;
  }

  it('prints a trial balance that balances and says how current it is', async () => {
    const report = await eventually(async () => {
      const result = await kontorJson<{
        rows: { accountCode: string }[];
        totals: { debit: { amount: string }; credit: { amount: string } }[];
      }>(
        [
          'reports',
          'trial-balance',
          '--ledger',
          book.ledgerId,
          '--from',
          `${book.year}-01-01`,
          '--to',
          `${book.year}-12-31`,
        ],
        book.run,
      );
      return result.totals[0]?.debit.amount === '369.00' ? result : undefined;
    }, 60_000);
    expect(report.totals[0]?.debit.amount).toBe(report.totals[0]?.credit.amount);
    expect(report.totals[0]?.debit.amount).toBe('369.00');

    const table = await kontor(
      [
        'reports',
        'trial-balance',
        '--ledger',
        book.ledgerId,
        '--from',
        `${book.year}-01-01`,
        '--to',
        `${book.year}-12-31`,
      ],
      book.run,
    );
    expect(table.stderr).toMatch(/current up to entry 3 of the ledger/);
    expect(table.stderr).toContain('total EUR: debit 369.00 = credit 369.00');
  });

  it("shows the customer's aging: 69.00 overdue past its due date", async () => {
    const aging = await kontorJson<{ totals: { total: { amount: string } }[] }>(
      ['reports', 'aging', '--ledger', book.ledgerId, '--at', `${book.year}-04-01`],
      book.run,
    );
    expect(aging.totals[0]?.total.amount).toBe('69.00');
  });

  it('ages as of today when --at is left out, as its help says', async () => {
    const now = new Date();
    const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()]
      .map((part) => String(part).padStart(2, '0'))
      .join('-');
    const args = ['reports', 'aging', '--ledger', book.ledgerId, '--json'];
    const withoutAt = await kontor(args, book.run);
    const atToday = await kontor([...args, '--at', today], book.run);

    expect(withoutAt.code).toBe(0);
    expect(JSON.parse(withoutAt.stdout)).toEqual(JSON.parse(atToday.stdout));
  });

  const exportGeneralLedger = async (format: string, file: string) => {
    const result = await kontor(
      [
        ...['reports', 'export', 'general-ledger', '--ledger', book.ledgerId, '--all'],
        ...['--from', `${book.year}-01-01`, '--to', `${book.year}-12-31`],
        ...['--wait-for', '3', '--format', format, '--out', file],
      ],
      book.run,
    );
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(new RegExp(`wrote ${file} \\(\\d+ bytes\\)`));
    return readFileSync(file, 'utf8');
  };

  it('exports the general ledger for QuickBooks Desktop as IIF transactions that each sum to zero', async () => {
    const file = `${home.home}/gl.iif`;
    const lines = (await exportGeneralLedger('quickbooks-iif', file)).split('\r\n');

    const accounts = new Set(
      lines.filter((line) => line.startsWith('ACCNT\t')).map((line) => line.split('\t')[1]),
    );
    const transactions: string[][][] = [];
    for (const line of lines) {
      const fields = line.split('\t');
      if (fields[0] === 'TRNS') transactions.push([fields]);
      else if (fields[0] === 'SPL') transactions[transactions.length - 1]?.push(fields);
    }
    expect(lines.filter((line) => line === 'ENDTRNS')).toHaveLength(3);
    expect(transactions.map((lines) => lines.length)).toEqual([3, 2, 2]);
    // Columns: TRNS/SPL, id, type, DATE, ACCNT, NAME, AMOUNT (debit +, credit −), DOCNUM, MEMO.
    for (const transaction of transactions) {
      const sum = transaction.reduce(
        (total, fields) => total.plus(fields[6] ?? 'NaN'),
        new Decimal(0),
      );
      expect(sum.toFixed(2)).toBe('0.00');
      for (const fields of transaction) expect(accounts).toContain(fields[4]);
    }
    const debits = transactions
      .flat()
      .map((fields) => new Decimal(fields[6] ?? 'NaN'))
      .filter((amount) => amount.isPositive());
    expect(Decimal.sum(...debits).toFixed(2)).toBe('369.00');
    expect(transactions[0]?.[0]?.[3]).toBe(`03/02/${book.year}`);
    expect(transactions[0]?.[0]?.slice(4, 8)).toEqual([
      '1200 Accounts receivable',
      'Ada Lovelace',
      '119.00',
      'INV-1',
    ]);
  });

  it('exports the general ledger for QuickBooks Online as CSV journals whose debits equal credits', async () => {
    const file = `${home.home}/gl-qbo.csv`;
    const rows = parse<Record<string, string>>(
      await exportGeneralLedger('quickbooks-online-csv', file),
      { columns: true },
    );

    const journals = new Map<string, Record<string, string>[]>();
    for (const row of rows)
      journals.set(row['Journal No'] ?? '', [
        ...(journals.get(row['Journal No'] ?? '') ?? []),
        row,
      ]);
    const sum = (lines: Record<string, string>[], column: string) =>
      Decimal.sum(0, ...lines.map((line) => new Decimal(line[column] || '0')));
    expect([...journals.keys()]).toEqual(
      ['SALES-1', 'BANK-1', 'SALES-2'].map((number) => `${number}/${book.year}`),
    );
    for (const lines of journals.values()) {
      expect(sum(lines, 'Debits').toFixed(2)).toBe(sum(lines, 'Credits').toFixed(2));
      expect(new Set(lines.map((line) => line['Journal Date'])).size).toBe(1);
    }
    expect(sum(rows, 'Debits').toFixed(2)).toBe('369.00');
    expect(rows[0]).toMatchObject({
      'Journal Date': `03/02/${book.year}`,
      Currency: 'EUR',
      Account: '1200 Accounts receivable',
      Debits: '119.00',
      Credits: '',
      Name: 'Ada Lovelace',
    });
  });

  it('prints the income statement: March revenue 300.00, no expense, net income 300.00', async () => {
    const args = [
      ...['reports', 'income-statement', '--ledger', book.ledgerId, '--wait-for', '3'],
      ...['--from', `${book.year}-01-01`, '--to', `${book.year}-12-31`],
    ];
    const table = await kontor(args, book.run);
    const json = await kontorJson<{
      rows: { period: string; accountCode: string; amount: { amount: string } }[];
      totals: { period?: string; netIncome: { amount: string } }[];
    }>(args, book.run);

    expect(table.code).toBe(0);
    expect(table.stderr).toContain(
      `${book.year}-03-01 EUR: revenue 300.00 − expense 0.00 = net income 300.00`,
    );
    // The whole range's total is labelled with the range.
    expect(table.stderr).toContain(
      `${book.year}-01-01 – ${book.year}-12-31 EUR: revenue 300.00 − expense 0.00 = net income 300.00`,
    );
    expect(table.stdout).toMatch(
      new RegExp(`${book.year}-03-01\\s+│ revenue\\s+│ 4000 \\S.*│\\s+300\\.00 EUR`),
    );
    expect(json.rows.map((row) => [row.period, row.accountCode, row.amount.amount])).toEqual([
      [`${book.year}-03-01`, '4000', '300.00'],
    ]);
    // The whole range's total has no period (proto JSON leaves the empty string out).
    expect(json.totals.find((total) => !total.period)?.netIncome.amount).toBe('300.00');
  });

  it('prints a balance sheet whose assets equal liabilities plus equity', async () => {
    const result = await kontor(
      [
        ...['reports', 'balance-sheet', '--ledger', book.ledgerId, '--wait-for', '3'],
        ...['--at', `${book.year}-12-31`, '--json'],
      ],
      book.run,
    );
    const sheet = JSON.parse(result.stdout) as {
      rows: { section: string; accountCode: string; balance: { amount: string } }[];
      totals: {
        assets: { amount: string };
        liabilities: { amount: string };
        equity: { amount: string };
      }[];
    };

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('EUR: assets 319.00, liabilities 19.00, equity 300.00');
    const [total] = sheet.totals;
    expect(
      new Decimal(total.assets.amount).eq(
        new Decimal(total.liabilities.amount).plus(total.equity.amount),
      ),
    ).toBe(true);
    const balanceOf = (code: string) =>
      sheet.rows.find((row) => row.accountCode === code)?.balance.amount;
    expect([balanceOf('1100'), balanceOf('1200'), balanceOf('2100')]).toEqual([
      '250.00',
      '69.00',
      '19.00',
    ]);
  });

  it('creates a 10 % deal from a file, previews the March settlement and reports the share', async () => {
    const dealFile = writeDealFile('deal.yaml', {
      name: 'Parcel Partners revenue share',
      effectiveFrom: `${book.year}-01-01`,
      percent: '10',
    });
    // The deals service learns of new organizations through Kafka: retry until it knows them.
    const created = await eventually(async () => {
      const result = await kontor(['deals', 'create', '--file', dealFile, '--json'], book.run);
      return result.code === 0
        ? (JSON.parse(result.stdout) as { deal: { dealId: string } })
        : undefined;
    }, 60_000);
    const again = await kontorJson<{ deal: { dealId: string }; replayed: boolean }>(
      ['deals', 'create', '--file', dealFile],
      book.run,
    );
    expect(again).toMatchObject({ deal: { dealId: created.deal.dealId }, replayed: true });
    dealId = created.deal.dealId;

    const period = `${book.year}-03-01`;
    const preview = await eventually(async () => {
      const result = await kontorJson<{
        settlement: { basisAmount: { amount: string }; total: { amount: string } };
      }>(['deals', 'preview', created.deal.dealId, '--period', period], book.run);
      return result.settlement.basisAmount.amount === '300.00' ? result : undefined;
    }, 60_000);
    expect(preview.settlement.total.amount).toBe('30.00');
    const shown = await kontor(
      ['deals', 'preview', created.deal.dealId, '--period', period],
      book.run,
    );
    expect(shown.stdout).toMatch(/total\s+30\.00 EUR/);

    const report = await kontor(
      [
        'reports',
        'profit-sharing',
        '--deal',
        created.deal.dealId,
        '--from',
        `${book.year}-01-01`,
        '--to',
        `${book.year}-12-31`,
      ],
      book.run,
    );
    expect(report.code).toBe(0);
    expect(report.stderr).toContain(`${partner.id}: received 30.00 EUR, paid 0.00 EUR`);
    expect(report.stderr).toContain(`${book.vendor.id}: received 0.00 EUR, paid 30.00 EUR`);
    expect(report.stdout).toMatch(/300\.00 EUR\s+│\s+30\.00 EUR/);
  });

  it("prints the partner's March statement down to the entries the share came from", async () => {
    const args = [
      ...['deals', 'statement', dealId, '--period', `${book.year}-03-01`],
      ...['--party', partner.id],
    ];
    const table = await kontor(args, book.run);
    const json = await kontorJson<{
      share: string;
      entries: { entryDate: string; revenue: { amount: string } }[];
    }>(args, book.run);

    expect(table.code).toBe(0);
    expect(table.stderr).toContain('share: partner 100% = 30.00 EUR of 30.00 EUR');
    expect(table.stdout).toMatch(/│ date\s+│ type\s+│\s+revenue │/);
    // Every entry of the scope is listed; the payment adds nothing to gross revenue.
    expect(json.entries.map((entry) => [entry.entryDate, entry.revenue.amount])).toEqual([
      [`${book.year}-03-02`, '100.00'],
      [`${book.year}-03-20`, '0.00'],
      [`${book.year}-03-25`, '200.00'],
    ]);
  });

  it('amends the deal from April on, once, and leaves March under the old terms', async () => {
    const file = writeDealFile('amend.yaml', {
      effectiveFrom: `${book.year}-04-01`,
      percent: '12',
      reason: 'volume bonus',
    });

    const amended = await kontor(['deals', 'amend', dealId, '--file', file], book.run);
    const again = await kontorJson<{
      replayed: boolean;
      deal: { versions: { version: number; effectiveFrom: string; reason: string }[] };
    }>(['deals', 'amend', dealId, '--file', file], book.run);
    const march = await kontorJson<{
      settlement: { dealVersion: number; total: { amount: string } };
    }>(['deals', 'preview', dealId, '--period', `${book.year}-03-01`], book.run);

    expect(amended.code).toBe(0);
    expect(amended.stdout).toMatch(
      new RegExp(`2\\s+│ ${book.year}-04-01\\s+│ \\S+\\s+│ volume bonus`),
    );
    expect(amended.stdout).not.toContain('replayed');
    expect(again.replayed).toBe(true);
    expect(again.deal.versions.map((version) => [version.version, version.effectiveFrom])).toEqual([
      [1, `${book.year}-01-01`],
      [2, `${book.year}-04-01`],
    ]);
    expect(march.settlement).toMatchObject({ dealVersion: 1, total: { amount: '30.00' } });
  });

  it("finalizes last December's settlement once and posts the payable into the payer's ledger", async () => {
    const last = book.year - 1;
    await kontorJson(
      [
        ...['periods', 'create-year', '--ledger', book.ledgerId, '--name', `FY${last}`],
        ...['--start', `${last}-01`, '--journal', 'SALES:Sales'],
      ],
      book.run,
    );
    await kontorJson(
      [
        ...[
          'entries',
          'post',
          '--ledger',
          book.ledgerId,
          '--journal',
          'SALES',
          '--currency',
          'EUR',
        ],
        ...['--date', `${last}-12-15`, '--type', 'revenue'],
        ...['--debit', '1100=80.00', '--credit', '4000=80.00'],
      ],
      book.run,
    );
    const dealFile = writeDealFile('december-deal.yaml', {
      name: 'December share',
      effectiveFrom: `${last}-12-01`,
      percent: '10',
    });
    const { deal } = await kontorJson<{ deal: { dealId: string } }>(
      ['deals', 'create', '--file', dealFile],
      book.run,
    );
    const period = ['--period', `${last}-12-01`];
    // Finalizing locks the figures: wait until the deals service has seen the entry.
    await eventually(async () => {
      const preview = await kontorJson<{ settlement: { basisAmount: { amount: string } } }>(
        ['deals', 'preview', deal.dealId, ...period],
        book.run,
      );
      return preview.settlement.basisAmount.amount === '80.00' ? true : undefined;
    }, 60_000);

    const finalized = await kontor(['deals', 'finalize', deal.dealId, ...period], book.run);
    const again = await kontor(['deals', 'finalize', deal.dealId, ...period, '--json'], book.run);

    expect(finalized.code).toBe(0);
    expect(finalized.stdout).toMatch(/status\s+finalized\n/);
    expect(finalized.stdout).toMatch(/total\s+8\.00 EUR\n/);
    expect(finalized.stdout).toMatch(/finalized by\s+\S+ at \d{4}-/);
    expect(finalized.stderr).not.toContain('replayed');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('replayed: this period was finalized earlier');
    expect(JSON.parse(again.stdout)).toMatchObject({
      replayed: true,
      settlement: { total: { amount: '8.00' } },
    });
    const payable = await eventually(async () => {
      const { balances } = await kontorJson<{ balances: { balance: { amount: string } }[] }>(
        [
          ...['balance', 'account', '2000', '--ledger', book.ledgerId],
          ...['--counterparty', partner.id, '--at', `${last}-12-31`],
        ],
        book.run,
      );
      return balances[0]?.balance.amount === '-8.00' ? balances : undefined;
    }, 60_000);
    expect(payable).toHaveLength(1);
    const listed = await kontorJson<{ deals: { dealId: string; finalizedThrough: string }[] }>(
      ['deals', 'list'],
      book.run,
    );
    expect(listed.deals.find((listedDeal) => listedDeal.dealId === deal.dealId)).toMatchObject({
      finalizedThrough: `${last}-12-31`,
    });
  });
});
