import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { setUpCliBook, type Organization } from './support/cli-book';
import { kontor, kontorJson, newKontorHome, type RunOptions } from './support/kontor-process';
import { type CliPlatform, startCliPlatform } from './support/ledger-platform';

// A finance person's day with the real binary against the real ledger service (gRPC) and Kafka.
describe('kontor against a running ledger', () => {
  let platform: CliPlatform;
  const kontorHome = newKontorHome();
  const today = new Date().toISOString().slice(0, 10);
  let run: RunOptions;
  let year: number;
  let ledgerId: string;
  let customer: Organization;
  let vendor: Organization;

  beforeAll(async () => {
    platform = await startCliPlatform(['ledger']);
    ({ run, year, ledgerId, customer, vendor } = await setUpCliBook(platform, kontorHome));
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
    const eventId = `invoice-issued:${vendor.externalId}:${number}`;
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
});
