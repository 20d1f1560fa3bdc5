import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { eventually } from '@kontor/testing';
import { setUpCliBook, type Organization } from './support/cli-book';
import { kontor, kontorJson, newKontorHome, type RunOptions } from './support/kontor-process';
import { type CliPlatform, startCliPlatform } from './support/ledger-platform';

// A finance person's day with the real binary against the real ledger service (gRPC) and Kafka.
describe('kontor against a running ledger', () => {
  let platform: CliPlatform;
  const kontorHome = newKontorHome();
  const today = new Date().toISOString().slice(0, 10);
  let run: RunOptions;
  let tenantId: string;
  let year: number;
  let ledgerId: string;
  let customer: Organization;
  let vendor: Organization;

  beforeAll(async () => {
    platform = await startCliPlatform(['ledger']);
    ({ run, tenantId, year, ledgerId, customer, vendor } = await setUpCliBook(
      platform,
      kontorHome,
    ));
  }, 120_000);

  afterAll(() => platform?.stop());

  it('keeps the profile, with its API key, readable by its owner only', () => {
    expect(statSync(kontorHome.configFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(kontorHome.configFile, 'utf8')).toContain('currentProfile: work');
  });

  it('posts an invoice from flags once, and a rerun of the same command replays it', async () => {
    const invoice = [
      'entries',
      'post',
      '--ledger',
      ledgerId,
      '--journal',
      'SALES',
      '--date',
      `${year}-01-15`,
      '--type',
      'invoice',
      '--currency',
      'EUR',
      '--reference',
      'INV-1',
      '--due-date',
      `${year}-02-15`,
      '--debit',
      `1200=119.00:${customer.id}`,
      '--credit',
      '4000=100.00',
      '--credit',
      '2100=19.00',
    ];

    const first = await kontor(invoice, run);
    const second = await kontor(invoice, run);

    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/journal \/ number\s+SALES 1\n/);
    expect(first.stdout).not.toContain('replayed');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/journal \/ number\s+SALES 1\n/);
    expect(second.stdout).toContain('replayed');
    const balance = await kontor(['balance', 'customer', customer.id, '--ledger', ledgerId], run);
    expect(balance.stdout).toBe('owes 119.00 EUR\n');
  });

  it('posts a batch file entry by entry, reports the rejected one and exits 2', async () => {
    const file = `${kontorHome.home}/batch.yaml`;
    writeFileSync(
      file,
      [
        'entries:',
        `  - { ledger: ${ledgerId}, journal: BANK, date: "${year}-01-20", type: payment, currency: EUR,`,
        '      paymentMethod: card, reference: INV-1,',
        `      lines: [{ account: "1100", debit: "50.00" }, { account: "1200", credit: "50.00", counterparty: ${customer.id} }] }`,
        `  - { ledger: ${ledgerId}, journal: BANK, date: "${year}-01-21", type: payment, currency: EUR,`,
        '      lines: [{ account: "1100", debit: "10.00" }, { account: "1200", credit: "9.99" }] }',
      ].join('\n'),
    );

    const table = await kontor(['entries', 'post', '--file', file], run);
    const rerun = await kontor(['entries', 'post', '--file', file, '--json'], run);

    expect(table.code).toBe(2);
    expect(table.stdout).toMatch(/posted\W+BANK 1/);
    expect(table.stdout).toContain('rejected');
    expect(rerun.code).toBe(2);
    const { results } = JSON.parse(rerun.stdout) as {
      results: {
        replayed?: boolean;
        entry?: { number: string };
        rejection?: { message: string };
      }[];
    };
    expect(results[0]).toMatchObject({ replayed: true, entry: { number: '1' } });
    expect(results[1]?.rejection?.message).toEqual(expect.any(String));
    const balance = await kontor(['balance', 'customer', customer.id, '--ledger', ledgerId], run);
    expect(balance.stdout).toBe('owes 69.00 EUR\n');
  });

  it('lists the customer ledger with running balance: payments and refunds by default, all with --all', async () => {
    const byDefault = await kontorJson<{
      rows: { transactionType: string; runningBalance: { amount: string } }[];
    }>(['customer-ledger', customer.id, '--ledger', ledgerId], run);
    const all = await kontor(
      ['customer-ledger', customer.id, '--ledger', ledgerId, '--all', '--output', 'csv'],
      run,
    );

    expect(byDefault.rows.map((row) => row.transactionType)).toEqual(['TRANSACTION_TYPE_PAYMENT']);
    const lines = all.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'date,entry,type,invoice ref,customer,payment method,amount,running balance',
    );
    expect(lines.slice(1).map((line) => line.split(',')[2])).toEqual(['invoice', 'payment']);
    expect(lines.slice(1).map((line) => line.split(',')[7])).toEqual(['119.00 EUR', '69.00 EUR']);
  });

  it('says NOT_FOUND with exit code 3 for an entry that does not exist', async () => {
    const result = await kontor(['entries', 'show', randomUUID(), '--ledger', ledgerId], run);

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^kontor: NOT_FOUND: /);
  });

  it('colours tables on a terminal and never in a pipe', async () => {
    const piped = await kontor(['orgs', 'list'], run);
    const terminal = await kontor(['orgs', 'list'], {
      env: { ...run.env, TERM: 'xterm-256color' },
      tty: true,
    });

    expect(piped.stdout).toContain('Nordic Knits');
    expect(piped.stdout).not.toContain('\u001b[');
    expect(terminal.stdout).toContain('Nordic Knits');
    expect(terminal.stdout).toContain('\u001b[1m');
  });

  it('publishes a payment event to Kafka that the ledger posts into the vendor’s ledger', async () => {
    const published = await kontor(
      [
        'events',
        'publish',
        'payment',
        '--vendor',
        vendor.externalId,
        '--customer',
        customer.externalId,
        '--amount',
        '20.00',
        '--tax',
        '3.80',
        '--currency',
        'EUR',
        '--method',
        'card',
      ],
      run,
    );
    expect(published.code).toBe(0);
    expect(published.stdout).toContain('payments.events.v1');

    const deadline = Date.now() + 30_000;
    let methods: string[] = [];
    while (Date.now() < deadline && !methods.includes('card')) {
      const listing = await kontorJson<{ rows: { paymentMethod: string; entryDate: string }[] }>(
        ['customer-ledger', customer.id, '--ledger', ledgerId, '--from', today],
        run,
      );
      methods = listing.rows.map((row) => row.paymentMethod);
      if (!methods.includes('card')) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(methods).toContain('card');
  });

  it('shows an event the ledger could not apply in the dead letters, and replays it', async () => {
    const number = `INV-${randomUUID().slice(0, 6)}`;
    const published = await kontor(
      [
        'events',
        'publish',
        'invoice',
        '--issuer',
        vendor.externalId,
        '--customer',
        'nobody-we-know',
        '--number',
        number,
        '--amount',
        '10.00',
        '--currency',
        'EUR',
      ],
      run,
    );
    expect(published.code).toBe(0);
    const eventId = `invoice-issued:${tenantId}:${vendor.externalId}:${number}`;
    expect(published.stdout).toContain(eventId);

    // Other tests' dead letters may wait in the same topic: look for this event's.
    const deadline = Date.now() + 30_000;
    let mine: { type: string; reason: string; error: string } | undefined;
    while (Date.now() < deadline && !mine) {
      const { deadLetters } = await kontorJson<{
        deadLetters: { eventId: string; type: string; reason: string; error: string }[];
      }>(['events', 'dlq', 'list', '--topic', 'billing.invoices.v1', '--limit', '1000'], run);
      mine = deadLetters.find((letter) => letter.eventId === eventId);
      if (!mine) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(mine).toMatchObject({
      type: 'kontor.events.v1.InvoiceIssued',
      reason: 'permanent_error',
    });
    expect(mine?.error).toContain('nobody-we-know');

    const replay = await kontorJson<{ replayed: number }>(
      [
        'events',
        'dlq',
        'replay',
        '--topic',
        'billing.invoices.v1',
        '--admin-token',
        platform.adminToken,
      ],
      run,
    );
    expect(replay.replayed).toBeGreaterThanOrEqual(1);
  });

  it("lists only the caller's tenant's dead letters, and every tenant's with the admin token", async () => {
    const admin = ['--admin-token', platform.adminToken];
    const other = await kontorJson<{ tenant: { id: string } }>(
      ['tenants', 'create', `other-${randomUUID().slice(0, 8)}`, '--name', 'Other', ...admin],
      run,
    );
    const otherId = other.tenant.id;
    const badInvoice = (issuer: string, tenant: string) => {
      const number = `INV-${randomUUID().slice(0, 6)}`;
      return kontor(
        [
          ...['events', 'publish', 'invoice', '--issuer', issuer, '--customer', 'nobody-we-know'],
          ...['--number', number, '--amount', '10.00', '--currency', 'EUR', '--tenant', tenant],
        ],
        run,
      ).then((published) => {
        expect(published.code).toBe(0);
        return `invoice-issued:${tenant}:${issuer}:${number}`;
      });
    };
    const mine = await badInvoice(vendor.externalId, tenantId);
    const theirs = await badInvoice('V-NOBODY', otherId);
    type Listing = { deadLetters: { eventId: string; tenantId: string }[] };
    const list = (...args: string[]) =>
      kontorJson<Listing>(
        ['events', 'dlq', 'list', '--topic', 'billing.invoices.v1', '--limit', '1000', ...args],
        run,
      );
    const ids = (listing: Listing) => listing.deadLetters.map((letter) => letter.eventId);

    const all = await eventually(async () => {
      const listing = await list('--all-tenants', ...admin);
      return ids(listing).includes(mine) && ids(listing).includes(theirs) ? listing : undefined;
    }, 30_000);
    const asProfileTenant = await list();
    const asOtherTenant = await list('--tenant', otherId);
    const table = await kontor(
      ['events', 'dlq', 'list', '--topic', 'billing.invoices.v1', '--all-tenants', ...admin],
      run,
    );

    expect(all.deadLetters.find((letter) => letter.eventId === theirs)?.tenantId).toBe(otherId);
    expect(ids(asProfileTenant)).toContain(mine);
    expect(ids(asProfileTenant)).not.toContain(theirs);
    expect(new Set(asProfileTenant.deadLetters.map((letter) => letter.tenantId))).toEqual(
      new Set([tenantId]),
    );
    expect(ids(asOtherTenant)).toEqual([theirs]);
    expect(table.stdout).toMatch(/│ event id\s+│ tenant\s+│ reason/);
    expect(table.stdout).toContain(otherId);
  });

  it('refuses to list dead letters for a key without a tenant (78) or a tenant key as admin (4)', async () => {
    const { token } = await kontorJson<{ token: string }>(
      ['keys', 'issue', '--tenant', tenantId, '--admin-token', platform.adminToken],
      run,
    );
    const keyOnly = await kontor(
      [...['events', 'dlq', 'list', '--topic', 'billing.invoices.v1'], '--api-key', token],
      { env: { ...newKontorHome().env, KONTOR_ADDRESS: platform.addresses.ledger ?? '' } },
    );
    const notAdmin = await kontor(
      [
        ...['events', 'dlq', 'list', '--topic', 'billing.invoices.v1', '--all-tenants'],
        '--admin-token',
        token,
      ],
      run,
    );

    expect(keyOnly.code).toBe(78);
    expect(keyOnly.stderr).toMatch(/^kontor: which tenant\? pass --tenant <id>/);
    expect(notAdmin.code).toBe(4);
    expect(notAdmin.stdout).toBe('');
  });

  it('reverses an entry with its mirror once, rerun replays, and exits 3 for an unknown entry', async () => {
    const balanceOf4000 = async () => {
      const { balances } = await kontorJson<{ balances: { balance: { amount: string } }[] }>(
        ['balance', 'account', '4000', '--ledger', ledgerId],
        run,
      );
      return balances[0]?.balance.amount;
    };
    const before = await balanceOf4000();
    const posted = await kontorJson<{ entry: { id: string } }>(
      [
        ...['entries', 'post', '--ledger', ledgerId, '--journal', 'GENERAL'],
        ...['--date', `${year}-01-25`, '--type', 'revenue', '--currency', 'EUR'],
        ...['--debit', '1100=33.33', '--credit', '4000=33.33', '--reference', 'TO-UNDO'],
      ],
      run,
    );
    const entryId = posted.entry.id;
    const reverse = ['entries', 'reverse', entryId, '--ledger', ledgerId];

    const first = await kontor([...reverse, '--description', 'posted twice'], run);
    const again = await kontorJson<{
      replayed: boolean;
      entry: {
        id: string;
        reversesEntryId: string;
        lines: { side: string; accountCode: string }[];
      };
    }>([...reverse, '--description', 'posted twice'], run);
    const unknown = await kontor(['entries', 'reverse', randomUUID(), '--ledger', ledgerId], run);

    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`reverses          ${entryId}`);
    expect(first.stdout).toMatch(/line 1\s+credit\s+1100\s+33\.33 EUR/);
    expect(first.stdout).toMatch(/line 2\s+debit\s+4000\s+33\.33 EUR/);
    expect(first.stdout).toMatch(/date\s+\d{4}-01-25\n/);
    expect(first.stdout).not.toContain('replayed');
    expect(again.replayed).toBe(true);
    expect(again.entry.reversesEntryId).toBe(entryId);
    expect(await balanceOf4000()).toBe(before);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/^kontor: NOT_FOUND: /);
    expect(unknown.stdout).toBe('');
  });

  it('shows a journal by symbol in the current fiscal year, by id, and by --year', async () => {
    const next = year + 1;
    await kontorJson(
      [
        ...['periods', 'create-year', '--ledger', ledgerId, '--name', `FY${next}`],
        ...[
          '--start',
          `${next}-01`,
          '--journal',
          'SALES:Sales next year',
          '--journal',
          'PUR:Purchases',
        ],
      ],
      run,
    );
    const { fiscalYears } = await kontorJson<{ fiscalYears: { id: string; name: string }[] }>(
      ['periods', 'list', '--ledger', ledgerId],
      run,
    );
    const thisYear = fiscalYears.find((fiscalYear) => fiscalYear.name === `FY${year}`)!;
    const { journals } = await kontorJson<{
      journals: { id: string; symbol: string; nextEntryNumber: string }[];
    }>(['journals', 'list', '--year', thisYear.id], run);
    const sales = journals.find((journal) => journal.symbol === 'SALES')!;

    const bySymbol = await kontor(['journals', 'show', 'sales', '--ledger', ledgerId], run);
    const byId = await kontorJson<{ id: string; symbol: string; nextEntryNumber: string }>(
      ['journals', 'show', sales.id, '--ledger', ledgerId],
      run,
    );
    const nextYears = await kontor(
      ['journals', 'show', 'SALES', '--ledger', ledgerId, '--year', `FY${next}`, '--output', 'csv'],
      run,
    );

    expect(bySymbol.code).toBe(0);
    expect(bySymbol.stdout).toMatch(/^symbol\s+SALES\nname\s+Sales\n/);
    expect(bySymbol.stdout).toMatch(new RegExp(`next number\\s+${sales.nextEntryNumber}\\n`));
    expect(bySymbol.stdout).toContain(`fiscal year id  ${thisYear.id}`);
    expect(byId).toEqual(expect.objectContaining(sales));
    expect(nextYears.code).toBe(0);
    expect(nextYears.stdout.split('\n').slice(0, 4)).toEqual([
      'field,value',
      'symbol,SALES',
      'name,Sales next year',
      'next number,1',
    ]);
  });

  it('exits 3 for a journal or fiscal year that is not there, and 64 when --year is needed', async () => {
    const later = year + 2;
    await kontorJson(
      [
        ...['periods', 'create-year', '--ledger', ledgerId, '--name', `FY${later}`],
        ...['--start', `${later}-01`, '--journal', 'PUR:Purchases'],
      ],
      run,
    );

    const missing = await kontor(['journals', 'show', 'NOPE', '--ledger', ledgerId], run);
    const noYear = await kontor(
      ['journals', 'show', 'SALES', '--ledger', ledgerId, '--year', 'FY1999'],
      run,
    );
    const ambiguous = await kontor(['journals', 'show', 'PUR', '--ledger', ledgerId], run);

    expect(missing).toMatchObject({
      code: 3,
      stdout: '',
      stderr: `kontor: no journal "NOPE" in any fiscal year of ledger ${ledgerId}\n`,
    });
    expect(noYear.code).toBe(3);
    expect(noYear.stderr).toContain(
      `no fiscal year "FY1999" in ledger ${ledgerId} (it has: FY${year}`,
    );
    expect(ambiguous).toMatchObject({
      code: 64,
      stderr: `kontor: journal "PUR" is in fiscal years FY${year + 1}, FY${later}: pick one with --year\n`,
    });
  });
});
