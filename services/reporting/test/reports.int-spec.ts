import { BalanceService } from '@kontor/contracts/ledger/v1/balance_service_pb';
import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import {
  IncomeBreakdown,
  ReportingService,
} from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { GrpcStatus } from '@kontor/grpc';
import { Money } from '@kontor/money';
import {
  hledgerJournal,
  postAll,
  randomEntries,
  setUpBook,
  type PlainEntry,
  type TestBook,
} from './support/books';
import { eventually } from './support/eventually';
import {
  startReportingPlatform,
  type ReportingPlatform,
  type TestTenant,
} from './support/reporting-platform';
import { hledgerAmount, hledgerCsv } from './support/reports';

const YEAR = 2026;

describe('reports over a random book, cross-checked with the ledger and with hledger', () => {
  let platform: ReportingPlatform;
  let tenant: TestTenant;
  let book: TestBook;
  let entries: PlainEntry[];

  const reporting = () => platform.client('reporting', ReportingService, tenant.token);
  const balances = () => platform.client('ledger', BalanceService, tenant.token);
  const scope = () => ({ ledgerId: book.ledgerId, minSequence: BigInt(book.posted) });

  beforeAll(async () => {
    platform = await startReportingPlatform();
    tenant = await platform.newTenant();
    book = await setUpBook(platform, tenant, { year: YEAR, currency: 'EUR', customers: 4 });
    entries = randomEntries(book, { seed: 7, count: 240, currency: 'EUR', otherCurrency: 'USD' });
    await postAll(platform, tenant, book, entries);
    // Caught up: every entry, and the chart (names, receivable role) from ledger.ledgers.v1.
    await eventually(async () => {
      const { rows } = await reporting().getTrialBalance({ scope: scope() });
      if (rows.some((row) => row.accountName === '')) throw new Error('chart not in yet');
    });
  }, 180_000);
  afterAll(() => platform?.stop());

  it('says up to which ledger entry each report is current', async () => {
    const { freshness } = await reporting().getTrialBalance({ scope: scope() });
    expect(freshness?.currentSequence).toBe(BigInt(book.posted));
    const { ledgers } = await reporting().listLedgers({});
    expect(ledgers.find((ledger) => ledger.ledgerId === book.ledgerId)).toMatchObject({
      currentSequence: BigInt(book.posted),
    });
  });

  it('trial balance of the year equals the ledger GetTrialBalance row by row and balances per currency', async () => {
    const mine = await reporting().getTrialBalance({
      scope: scope(),
      fromDate: `${YEAR}-01-01`,
      toDate: `${YEAR}-12-31`,
    });
    const theirs = await balances().getTrialBalance({
      ledgerId: book.ledgerId,
      fromMonth: `${YEAR}-01`,
      toMonth: `${YEAR}-12`,
    });
    const shape = (row: {
      accountCode: string;
      currency: string;
      openingBalance?: { amount: string };
      debit?: { amount: string };
      credit?: { amount: string };
      closingBalance?: { amount: string };
    }) => [
      row.accountCode,
      row.currency,
      row.openingBalance?.amount,
      row.debit?.amount,
      row.credit?.amount,
      row.closingBalance?.amount,
    ];
    const nonEmpty = theirs.rows.filter(
      (row) => row.debit?.amount !== '0.00' || row.credit?.amount !== '0.00',
    );
    expect(mine.rows.map(shape)).toEqual(nonEmpty.map(shape));
    expect(mine.totals.map((total) => total.currency)).toEqual(['EUR', 'USD']);
    for (const total of mine.totals) {
      expect(total.debit?.amount).toBe(total.credit?.amount);
      expect(Money.parse(total.closingBalance!.amount, total.currency).isZero()).toBe(true);
    }
    expect(mine.rows.find((row) => row.accountCode === '1200')).toMatchObject({
      accountName: 'Accounts receivable',
      accountType: 'asset',
    });
  });

  it('account balances at a date and customer balances equal the ledger BalanceService', async () => {
    const asOf = `${YEAR}-06-30`;
    const { rows } = await reporting().getTrialBalance({ scope: scope(), toDate: asOf });
    for (const code of ['1100', '1200', '4000', '5000']) {
      const theirs = await balances().getAccountBalance({
        ledgerId: book.ledgerId,
        accountCode: code,
        asOfDate: asOf,
      });
      const mine = rows.filter((row) => row.accountCode === code);
      expect(mine.map((row) => [row.currency, row.closingBalance?.amount])).toEqual(
        theirs.balances.map((balance) => [balance.currency, balance.balance?.amount]),
      );
    }
    for (const customer of book.customers) {
      const theirs = await balances().getCustomerBalance({
        ledgerId: book.ledgerId,
        customerId: customer.id,
      });
      for (const balance of theirs.balances) {
        const statement = await reporting().getCustomerStatement({
          scope: scope(),
          customerId: customer.id,
          currency: balance.currency,
          pageSize: 1,
        });
        expect(statement.closingBalance?.amount).toBe(balance.balance?.amount);
        expect(statement.customerName).toBe(customer.name);
      }
    }
  });

  it('trial balance over any date range equals hledger (opening, change, closing per account and commodity)', async () => {
    const journal = hledgerJournal(entries);
    const [from, to, dayAfter] = [`${YEAR}-03-15`, `${YEAR}-08-20`, `${YEAR}-08-21`];
    const { rows } = await reporting().getTrialBalance({
      scope: scope(),
      fromDate: from,
      toDate: to,
    });
    const ledgerOf = (csv: string[][]) =>
      new Map(
        csv
          .slice(1)
          .map(([account, commodity, balance]) => [
            `${account}/${commodity}`,
            hledgerAmount(balance, commodity),
          ]),
      );
    const opening = ledgerOf(hledgerCsv(journal, ['bal', '--layout=bare', '-N', '-H', '-e', from]));
    const change = ledgerOf(
      hledgerCsv(journal, ['bal', '--layout=bare', '-N', '-b', from, '-e', dayAfter]),
    );
    const closing = ledgerOf(
      hledgerCsv(journal, ['bal', '--layout=bare', '-N', '-H', '-e', dayAfter]),
    );
    const zero = '0.00';
    for (const row of rows) {
      const key = `a${row.accountCode}/${row.currency}`;
      const moved = Money.parse(row.debit!.amount, row.currency).minus(
        Money.parse(row.credit!.amount, row.currency),
      );
      expect([
        key,
        row.openingBalance?.amount,
        moved.toString(),
        row.closingBalance?.amount,
      ]).toEqual([
        key,
        opening.get(key) ?? zero,
        change.get(key) ?? zero,
        closing.get(key) ?? zero,
      ]);
    }
    // And nothing hledger has a balance for is missing.
    const mine = new Set(rows.map((row) => `a${row.accountCode}/${row.currency}`));
    for (const key of closing.keys()) expect(mine).toContain(key);
  });

  it('account statement pages line by line equal the hledger register with running totals', async () => {
    const journal = hledgerJournal(entries);
    for (const [account, currency] of [
      ['1200', 'EUR'],
      ['1100', 'USD'],
    ]) {
      const register = hledgerCsv(journal, ['reg', `a${account}`, `cur:${currency}`]).slice(1);
      const expected = register.map((line) => [
        line[1],
        hledgerAmount(line[5], currency),
        hledgerAmount(line[6], currency),
      ]);
      const rows: string[][] = [];
      let pageToken = '';
      do {
        const page = await reporting().getAccountStatement({
          scope: scope(),
          accountCode: account,
          currency,
          pageSize: 7,
          pageToken,
        });
        rows.push(
          ...page.rows.map((row) => [
            row.entryDate,
            row.amount!.amount,
            row.runningBalance!.amount,
          ]),
        );
        pageToken = page.nextPageToken;
      } while (pageToken !== '');
      expect(rows).toEqual(expected);
    }
  });

  it('account statement over a range opens with the balance before it and closes with the trial balance', async () => {
    const [from, to] = [`${YEAR}-04-01`, `${YEAR}-09-30`];
    const statement = await reporting().getAccountStatement({
      scope: scope(),
      accountCode: '1200',
      currency: 'EUR',
      fromDate: from,
      toDate: to,
      pageSize: 1000,
    });
    const { rows } = await reporting().getTrialBalance({
      scope: scope(),
      fromDate: from,
      toDate: to,
    });
    const tb = rows.find((row) => row.accountCode === '1200' && row.currency === 'EUR')!;
    expect(statement.openingBalance?.amount).toBe(tb.openingBalance?.amount);
    expect(statement.closingBalance?.amount).toBe(tb.closingBalance?.amount);
    expect(statement.rows.at(-1)?.runningBalance?.amount).toBe(tb.closingBalance?.amount);
    expect(statement.rows.every((row) => row.entryDate >= from && row.entryDate <= to)).toBe(true);
  });

  it('general ledger lists payments and refunds by default, every type with show_all, and the running balance counts every entry', async () => {
    const all: { type: TransactionType; amount: string; running: string }[] = [];
    let pageToken = '';
    do {
      const page = await reporting().listGeneralLedger({
        scope: scope(),
        currency: 'EUR',
        showAll: true,
        pageSize: 50,
        pageToken,
      });
      all.push(
        ...page.rows.map((row) => ({
          type: row.transactionType,
          amount: row.amount!.amount,
          running: row.runningBalance!.amount,
        })),
      );
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    const eur = entries.filter((entry) => entry.lines[0].currency === 'EUR');
    expect(all).toHaveLength(eur.length);
    let running = Money.zero('EUR');
    for (const row of all) {
      running = running.plus(Money.parse(row.amount, 'EUR'));
      expect(row.running).toBe(running.toString());
    }
    const filtered = await reporting().listGeneralLedger({
      scope: scope(),
      currency: 'EUR',
      pageSize: 1000,
    });
    expect(new Set(filtered.rows.map((row) => row.transactionType))).toEqual(
      new Set([TransactionType.PAYMENT, TransactionType.REFUND]),
    );
    expect(filtered.rows).toHaveLength(
      all.filter((row) => [TransactionType.PAYMENT, TransactionType.REFUND].includes(row.type))
        .length,
    );
    // Small pages of the filtered listing (read in chunks along the index) give the same rows
    // and running balances as one big page.
    const paged: typeof filtered.rows = [];
    let token = '';
    do {
      const page = await reporting().listGeneralLedger({
        scope: scope(),
        currency: 'EUR',
        pageSize: 7,
        pageToken: token,
      });
      paged.push(...page.rows);
      token = page.nextPageToken;
    } while (token !== '');
    expect(paged.map((row) => [row.entryId, row.runningBalance?.amount])).toEqual(
      filtered.rows.map((row) => [row.entryId, row.runningBalance?.amount]),
    );
    const someone = filtered.rows.find((row) => row.counterpartyName !== '');
    expect(book.customers.map((customer) => customer.name)).toContain(someone?.counterpartyName);
  });

  it('customer statement runs the customer balance over every entry and ends at the ledger customer balance', async () => {
    const customer = book.customers[0];
    const page = await reporting().getCustomerStatement({
      scope: scope(),
      customerId: customer.id,
      currency: 'EUR',
      showAll: true,
      pageSize: 1000,
    });
    let running = Money.zero('EUR');
    for (const row of page.rows) {
      running = running.plus(Money.parse(row.amount!.amount, 'EUR'));
      expect(row.runningBalance?.amount).toBe(running.toString());
    }
    expect(page.closingBalance?.amount).toBe(running.toString());
    const paymentsOnly = await reporting().getCustomerStatement({
      scope: scope(),
      customerId: customer.id,
      currency: 'EUR',
      pageSize: 1000,
    });
    const byId = new Map(page.rows.map((row) => [row.entryId, row.runningBalance?.amount]));
    for (const row of paymentsOnly.rows) {
      expect([TransactionType.PAYMENT, TransactionType.REFUND]).toContain(row.transactionType);
      expect(row.runningBalance?.amount).toBe(byId.get(row.entryId));
    }
  });

  it('income statement: revenue and expense per month sum to the accounts turnovers, by product too', async () => {
    const [from, to] = [`${YEAR}-01-01`, `${YEAR}-12-31`];
    const plain = await reporting().getIncomeStatement({
      scope: scope(),
      fromDate: from,
      toDate: to,
    });
    const byProduct = await reporting().getIncomeStatement({
      scope: scope(),
      fromDate: from,
      toDate: to,
      breakdown: IncomeBreakdown.PRODUCT,
    });
    const byVendor = await reporting().getIncomeStatement({
      scope: scope(),
      fromDate: from,
      toDate: to,
      breakdown: IncomeBreakdown.VENDOR,
    });
    const yearTotals = (totals: typeof plain.totals) =>
      totals
        .filter((total) => total.period === '')
        .map((total) => [total.currency, total.netIncome?.amount]);
    expect(yearTotals(byProduct.totals)).toEqual(yearTotals(plain.totals));
    expect(yearTotals(byVendor.totals)).toEqual(yearTotals(plain.totals));
    // A range of part months reads the daily turnovers: the same totals whatever the breakdown.
    const part = { scope: scope(), fromDate: `${YEAR}-03-15`, toDate: `${YEAR}-08-20` };
    const partPlain = await reporting().getIncomeStatement(part);
    for (const breakdown of [IncomeBreakdown.PRODUCT, IncomeBreakdown.COUNTERPARTY]) {
      const split = await reporting().getIncomeStatement({ ...part, breakdown });
      expect(split.totals).toEqual(partPlain.totals);
    }
    const { rows } = await reporting().getTrialBalance({
      scope: scope(),
      fromDate: from,
      toDate: to,
    });
    const revenue = rows.find((row) => row.accountCode === '4000' && row.currency === 'EUR')!;
    const expected = Money.parse(revenue.credit!.amount, 'EUR').minus(
      Money.parse(revenue.debit!.amount, 'EUR'),
    );
    const fromRows = byProduct.rows
      .filter((row) => row.accountCode === '4000' && row.amount?.currency === 'EUR')
      .reduce((sum, row) => sum.plus(Money.parse(row.amount!.amount, 'EUR')), Money.zero('EUR'));
    expect(fromRows.toString()).toBe(expected.toString());
    expect(new Set(byProduct.rows.map((row) => row.breakdownKey))).toEqual(
      new Set(['desk', 'room', 'coffee', '']),
    );
    const vendorKeys = new Set(
      byVendor.rows.map((row) => row.breakdownKey).filter((key) => key !== ''),
    );
    expect([...vendorKeys].sort()).toEqual(book.suppliers.map((supplier) => supplier.id).sort());
  });

  it('receivables aging per customer equals the ledger ListInvoices open amounts and unapplied credit', async () => {
    const aging = await reporting().getReceivablesAging({
      scope: scope(),
      asOfDate: `${YEAR}-12-31`,
    });
    for (const customer of book.customers) {
      const { invoices, unappliedCredit } = await balances().listInvoices({
        ledgerId: book.ledgerId,
        customerId: customer.id,
      });
      for (const currency of ['EUR', 'USD']) {
        const open = invoices
          .filter((invoice) => invoice.open?.currency === currency)
          .reduce(
            (sum, invoice) => sum.plus(Money.parse(invoice.open!.amount, currency)),
            Money.zero(currency),
          );
        const mine = aging.customers.find(
          (row) => row.customerId === customer.id && row.currency === currency,
        );
        // A customer the aging leaves out has nothing open: compare with zero, not with itself.
        const total = mine?.total?.amount ?? Money.zero(currency).toString();
        expect([customer.name, currency, total]).toEqual([
          customer.name,
          currency,
          open.toString(),
        ]);
        const credit = unappliedCredit.find((money) => money.currency === currency);
        expect(mine?.unappliedCredit?.amount ?? Money.zero(currency).toString()).toBe(
          credit?.amount ?? Money.zero(currency).toString(),
        );
      }
    }
    const sum = aging.customers
      .filter((row) => row.currency === 'EUR')
      .reduce((total, row) => total.plus(Money.parse(row.total!.amount, 'EUR')), Money.zero('EUR'));
    expect(aging.totals.find((row) => row.currency === 'EUR')?.total?.amount).toBe(sum.toString());
  });

  it('balance sheet balances per currency: assets = liabilities + equity (with current earnings)', async () => {
    const sheet = await reporting().getBalanceSheet({ scope: scope(), asOfDate: `${YEAR}-09-30` });
    expect(sheet.totals.length).toBeGreaterThan(0);
    for (const total of sheet.totals) {
      const assets = Money.parse(total.assets!.amount, total.currency);
      const rightSide = Money.parse(total.liabilities!.amount, total.currency).plus(
        Money.parse(total.equity!.amount, total.currency),
      );
      expect(assets.toString()).toBe(rightSide.toString());
    }
    expect(sheet.rows.some((row) => row.accountName === 'Current earnings')).toBe(true);
  });

  it('turnovers per month chain: each month opens with the previous closing and ends at the trial balance', async () => {
    const { rows } = await reporting().getTurnovers({
      scope: scope(),
      fromMonth: `${YEAR}-01`,
      toMonth: `${YEAR}-12`,
      accountCode: '1200',
    });
    const eur = rows.filter((row) => row.currency === 'EUR');
    for (let i = 1; i < eur.length; i++) {
      expect(eur[i].openingBalance?.amount).toBe(eur[i - 1].closingBalance?.amount);
    }
    const tb = await reporting().getTrialBalance({ scope: scope() });
    expect(eur.at(-1)?.closingBalance?.amount).toBe(
      tb.rows.find((row) => row.accountCode === '1200' && row.currency === 'EUR')?.closingBalance
        ?.amount,
    );
  });

  describe('bad parameters and isolation', () => {
    it.each([
      ['inverted range', { fromDate: `${YEAR}-05-01`, toDate: `${YEAR}-04-01` }, 'to_date'],
      ['malformed date', { fromDate: '2026-13-01' }, 'from_date'],
    ])(
      'trial balance rejects an %s with INVALID_ARGUMENT naming the field',
      async (_, input, field) => {
        await expect(
          reporting().getTrialBalance({ scope: scope(), ...input }),
        ).rejects.toMatchObject({
          code: GrpcStatus.INVALID_ARGUMENT,
          message: expect.stringContaining(field),
          fieldViolations: [expect.objectContaining({ field })],
        });
      },
    );

    it('rejects a huge page, an unknown account, a bad page token and a bad month', async () => {
      await expect(
        reporting().getAccountStatement({ scope: scope(), accountCode: '1200', pageSize: 100_000 }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [expect.objectContaining({ field: 'page_size' })],
      });
      await expect(
        reporting().getAccountStatement({ scope: scope(), accountCode: '9999' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        message: expect.stringContaining('9999'),
        fieldViolations: [expect.objectContaining({ field: 'account_code' })],
      });
      await expect(
        reporting().listGeneralLedger({ scope: scope(), currency: 'EUR', pageToken: 'nope' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [expect.objectContaining({ field: 'page_token' })],
      });
      await expect(
        reporting().getTurnovers({
          scope: scope(),
          fromMonth: `${YEAR}-05`,
          toMonth: `${YEAR}-02`,
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [expect.objectContaining({ field: 'to_month' })],
      });
      await expect(reporting().getReceivablesAging({ scope: scope() })).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [expect.objectContaining({ field: 'as_of_date' })],
      });
    });

    it('asks for a currency when the listing has several', async () => {
      await expect(reporting().listGeneralLedger({ scope: scope() })).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        message: expect.stringContaining('EUR, USD'),
        fieldViolations: [expect.objectContaining({ field: 'currency' })],
      });
    });

    it('answers NOT_FOUND for another tenant asking for this ledger, and for an unknown customer', async () => {
      const other = await platform.newTenant();
      // Its API key reaches reporting through ledger.tenants.v1.
      await eventually(() =>
        platform.client('reporting', ReportingService, other.token).listLedgers({}),
      );
      await expect(
        platform
          .client('reporting', ReportingService, other.token)
          .getTrialBalance({ scope: { ledgerId: book.ledgerId } }),
      ).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        fieldViolations: [expect.objectContaining({ field: 'scope.ledger_id' })],
      });
      await expect(
        platform.client('reporting', ReportingService, other.token).getCustomerStatement({
          scope: { ledgerId: book.ledgerId },
          customerId: book.customers[0].id,
        }),
      ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
      await expect(
        reporting().getCustomerStatement({
          scope: scope(),
          customerId: '00000000-0000-4000-8000-000000000000',
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        fieldViolations: [expect.objectContaining({ field: 'customer_id' })],
      });
    });

    it('gives up waiting for an entry that is not there within the deadline, saying how far it got', async () => {
      await expect(
        reporting().getTrialBalance(
          { scope: { ledgerId: book.ledgerId, minSequence: BigInt(book.posted + 1000) } },
          { deadlineMs: 1_000 },
        ),
      ).rejects.toMatchObject({
        code: GrpcStatus.DEADLINE_EXCEEDED,
      });
    });
  });
});
