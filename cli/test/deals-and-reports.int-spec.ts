import { readFileSync, writeFileSync } from 'node:fs';
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

  it('exports the general ledger for QuickBooks Desktop as balanced IIF transactions', async () => {
    const file = `${home.home}/gl.iif`;
    const result = await kontor(
      [
        'reports',
        'export',
        'general-ledger',
        '--ledger',
        book.ledgerId,
        '--all',
        '--format',
        'quickbooks-iif',
        '--out',
        file,
      ],
      book.run,
    );

    expect(result.code).toBe(0);
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    expect(lines.filter((line) => line.startsWith('TRNS\t'))).toHaveLength(3);
    expect(lines.filter((line) => line.startsWith('ENDTRNS'))).toHaveLength(3);
  });

  it('creates a 10 % deal from a file, previews the March settlement and reports the share', async () => {
    const dealFile = `${home.home}/deal.yaml`;
    writeFileSync(
      dealFile,
      [
        'name: Parcel Partners revenue share',
        `payerOrganizationId: ${book.vendor.id}`,
        'currency: EUR',
        'frequency: SETTLEMENT_FREQUENCY_MONTHLY',
        `effectiveFrom: "${book.year}-01-01"`,
        'terms:',
        `  payees: [{ organizationId: ${partner.id}, role: PARTY_ROLE_PARTNER, sharePercent: "100" }]`,
        `  scope: { ledgerIds: [${book.ledgerId}] }`,
        '  basis: BASIS_KIND_GROSS_REVENUE',
        '  flatPercent: "10"',
        '  negativePeriod: NEGATIVE_PERIOD_HANDLING_CARRY_FORWARD',
      ].join('\n'),
    );
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
});
