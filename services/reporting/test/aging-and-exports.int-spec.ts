import { BalanceService } from '@kontor/contracts/ledger/v1/balance_service_pb';
import { EntryService, TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type MessageInitShape } from '@bufbuild/protobuf';
import {
  ExportFormat,
  ReportingService,
  type ExportReportRequestSchema,
} from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { Money } from '@kontor/money';
import { parseCsv } from '../src/reports/domain/csv';
import { postAll, setUpBook, type PlainEntry, type TestBook } from './support/books';
import { eventually } from './support/eventually';
import {
  startReportingPlatform,
  type ReportingPlatform,
  type TestTenant,
} from './support/reporting-platform';

const eur = (amount: string) => ({ amount, currency: 'EUR' });

describe('receivables aging (hand-computed) and exports (CSV, QuickBooks IIF and Online CSV)', () => {
  let platform: ReportingPlatform;
  let tenant: TestTenant;
  let book: TestBook;

  const reporting = () => platform.client('reporting', ReportingService, tenant.token);
  const scope = () => ({ ledgerId: book.ledgerId, minSequence: BigInt(book.posted) });

  const invoice = (
    key: string,
    customer: number,
    date: string,
    amount: string,
    dueDate?: string,
  ): PlainEntry => ({
    key,
    journal: 'SALES',
    date,
    dueDate,
    type: TransactionType.INVOICE,
    reference: key,
    description: `Invoice ${key}`,
    lines: [
      {
        account: '1200',
        debit: true,
        amount,
        currency: 'EUR',
        counterpartyId: book.customers[customer].id,
      },
      { account: '4000', debit: false, amount, currency: 'EUR', product: 'desk' },
    ],
  });
  const payment = (key: string, customer: number, date: string, amount: string): PlainEntry => ({
    key,
    journal: 'BANK',
    date,
    type: TransactionType.PAYMENT,
    paymentMethod: 'card',
    reference: key,
    description: `Payment ${key}`,
    lines: [
      { account: '1100', debit: true, amount, currency: 'EUR' },
      {
        account: '1200',
        debit: false,
        amount,
        currency: 'EUR',
        counterpartyId: book.customers[customer].id,
      },
    ],
  });
  const creditNote = (key: string, customer: number, date: string, amount: string): PlainEntry => ({
    key,
    journal: 'NOTE',
    date,
    type: TransactionType.CREDIT_NOTE,
    reference: key,
    description: `Credit note ${key}`,
    lines: [
      { account: '4000', debit: true, amount, currency: 'EUR' },
      {
        account: '1200',
        debit: false,
        amount,
        currency: 'EUR',
        counterpartyId: book.customers[customer].id,
      },
    ],
  });

  beforeAll(async () => {
    platform = await startReportingPlatform();
    tenant = await platform.newTenant();
    book = await setUpBook(platform, tenant, { year: 2026, currency: 'EUR', customers: 3 });
    // A: three invoices, one payment of 130 covering A1 and 30 of A2 (oldest first).
    // B: a credit note of 40 before its invoice of 30 (10 left as credit); B2 reversed (cancelled).
    // C: an old invoice of 500 and a recent one of 25.
    const ids = await postAll(platform, tenant, book, [
      invoice('A1', 0, '2026-01-10', '100.00', '2026-02-09'),
      invoice('A2', 0, '2026-04-01', '200.00', '2026-05-01'),
      invoice('A3', 0, '2026-06-10', '50.00', '2026-07-10'),
      payment('PA', 0, '2026-05-15', '130.00'),
      creditNote('CB', 1, '2026-02-01', '40.00'),
      invoice('B1', 1, '2026-03-01', '30.00'),
      invoice('B2', 1, '2026-03-05', '80.00', '2026-03-05'),
      invoice('C1', 2, '2026-01-01', '500.00', '2026-01-15'),
      invoice('C2', 2, '2026-05-20', '25.00', '2026-06-05'),
    ]);
    await platform.client('ledger', EntryService, tenant.token).reverseEntry({
      ledgerId: book.ledgerId,
      entryId: ids[6],
      idempotencyKey: 'reverse-B2',
      entryDate: '2026-03-20',
      description: 'B2 issued by mistake',
    });
    book.posted++;
    await eventually(async () => {
      const { rows } = await reporting().getTrialBalance({ scope: scope() });
      if (rows.some((row) => row.accountName === '')) throw new Error('chart not in yet');
    });
  }, 180_000);
  afterAll(() => platform?.stop());

  it('buckets open invoices by days past due at the as-of date, per customer and in total', async () => {
    const aging = await reporting().getReceivablesAging({ scope: scope(), asOfDate: '2026-06-30' });
    const row = (customer: number) =>
      aging.customers.find((r) => r.customerId === book.customers[customer].id);
    expect(row(0)).toMatchObject({
      customerName: book.customers[0].name,
      current: eur('50.00'),
      days130: eur('0.00'),
      days3160: eur('170.00'),
      days6190: eur('0.00'),
      daysOver90: eur('0.00'),
      total: eur('220.00'),
      unappliedCredit: eur('0.00'),
    });
    expect(row(1)).toMatchObject({ total: eur('0.00'), unappliedCredit: eur('10.00') });
    expect(row(2)).toMatchObject({
      days130: eur('25.00'),
      daysOver90: eur('500.00'),
      total: eur('525.00'),
    });
    expect(aging.totals).toHaveLength(1);
    expect(aging.totals[0]).toMatchObject({
      customerId: '',
      currency: 'EUR',
      current: eur('50.00'),
      days130: eur('25.00'),
      days3160: eur('170.00'),
      days6190: eur('0.00'),
      daysOver90: eur('500.00'),
      total: eur('745.00'),
      unappliedCredit: eur('10.00'),
    });
  });

  it('counts only entries up to the as-of date (payments made later do not cover yet)', async () => {
    const aging = await reporting().getReceivablesAging({ scope: scope(), asOfDate: '2026-03-31' });
    expect(aging.totals).toHaveLength(1);
    expect(aging.totals[0]).toMatchObject({
      current: eur('0.00'),
      days130: eur('0.00'),
      days3160: eur('100.00'),
      days6190: eur('500.00'),
      daysOver90: eur('0.00'),
      total: eur('600.00'),
      unappliedCredit: eur('10.00'),
    });
  });

  it('open amounts per customer equal the ledger ListInvoices (credit applied to the oldest first)', async () => {
    const aging = await reporting().getReceivablesAging({ scope: scope(), asOfDate: '2026-12-31' });
    for (const [index, customer] of book.customers.entries()) {
      const { invoices, unappliedCredit } = await platform
        .client('ledger', BalanceService, tenant.token)
        .listInvoices({ ledgerId: book.ledgerId, customerId: customer.id });
      const open = invoices.reduce(
        (sum, invoice) => sum.plus(Money.parse(invoice.open!.amount, 'EUR')),
        Money.zero('EUR'),
      );
      const mine = aging.customers.find((r) => r.customerId === customer.id);
      expect([index, mine?.total?.amount ?? '0.00']).toEqual([index, open.toString()]);
      expect(mine?.unappliedCredit?.amount ?? '0.00').toBe(unappliedCredit[0]?.amount ?? '0.00');
    }
  });

  async function exported(request: MessageInitShape<typeof ExportReportRequestSchema>) {
    const chunks: Buffer[] = [];
    const meta: string[] = [];
    for await (const chunk of reporting().exportReport(request)) {
      chunks.push(Buffer.from(chunk.data));
      if (chunk.fileName) meta.push(chunk.fileName, chunk.contentType);
    }

    return { text: Buffer.concat(chunks).toString('utf8'), meta };
  }

  it('exports the trial balance as CSV with the same figures as the rpc', async () => {
    const { rows } = await reporting().getTrialBalance({ scope: scope() });
    const { text, meta } = await exported({
      format: ExportFormat.CSV,
      report: { case: 'trialBalance', value: { scope: scope() } },
    });
    expect(meta[1]).toContain('text/csv');
    const csv = parseCsv(text);
    expect(csv[0]).toEqual([
      'Period',
      'Account',
      'Account name',
      'Account type',
      'Currency',
      'Opening balance',
      'Debit',
      'Credit',
      'Closing balance',
    ]);
    expect(csv.slice(1).map((line) => [line[1], line[6], line[7], line[8]])).toEqual(
      rows.map((row) => [
        row.accountCode,
        row.debit?.amount,
        row.credit?.amount,
        row.closingBalance?.amount,
      ]),
    );
  });

  it('exports the whole general ledger as CSV and the aging with a total row', async () => {
    const ledger = parseCsv(
      (
        await exported({
          report: { case: 'generalLedger', value: { scope: scope(), showAll: true } },
        })
      ).text,
    );
    expect(ledger).toHaveLength(1 + book.posted);
    const aging = parseCsv(
      (
        await exported({
          report: { case: 'receivablesAging', value: { scope: scope(), asOfDate: '2026-06-30' } },
        })
      ).text,
    );
    expect(aging.at(-1)).toEqual([
      '',
      'Total',
      'EUR',
      '50.00',
      '25.00',
      '170.00',
      '0.00',
      '500.00',
      '745.00',
      '10.00',
    ]);
  });

  it('exports journal entries as QuickBooks Desktop IIF: every transaction sums to zero', async () => {
    const { text, meta } = await exported({
      format: ExportFormat.QUICKBOOKS_IIF,
      report: { case: 'generalLedger', value: { scope: scope() } },
    });
    expect(meta[0]).toMatch(/\.iif$/);
    const lines = text.split('\r\n').filter((line) => line !== '');
    // The chart first (!ACCNT), then the transaction header block.
    expect(lines[0].split('\t')).toEqual(['!ACCNT', 'NAME', 'ACCNTTYPE']);
    const chartEnd = lines.findIndex((line) => !line.startsWith('ACCNT\t') && line !== lines[0]);
    const accountTypes = new Map(
      lines.slice(1, chartEnd).map((line) => line.split('\t').slice(1, 3) as [string, string]),
    );
    expect(accountTypes.get('1200 Accounts receivable')).toBe('AR');
    expect(lines.slice(chartEnd, chartEnd + 3).map((line) => line.split('\t')[0])).toEqual([
      '!TRNS',
      '!SPL',
      '!ENDTRNS',
    ]);
    const transactions: string[][][] = [];
    let current: string[][] = [];
    for (const line of lines.slice(chartEnd + 3)) {
      const fields = line.split('\t');
      if (fields[0] === 'ENDTRNS') {
        transactions.push(current);
        current = [];
      } else current.push(fields);
    }
    expect(transactions).toHaveLength(book.posted);
    for (const transaction of transactions) {
      expect(transaction[0][0]).toBe('TRNS');
      expect(transaction.slice(1).every((fields) => fields[0] === 'SPL')).toBe(true);
      expect(transaction[0][3]).toMatch(/^\d{2}\/\d{2}\/2026$/);
      const sum = transaction.reduce(
        (total, fields) => total.plus(Money.fromDecimal(fields[6], 'EUR')),
        Money.zero('EUR'),
      );
      expect(sum.isZero()).toBe(true);
      // Every line's account is in the chart, so QuickBooks never has to guess its type.
      expect(transaction.every((fields) => accountTypes.has(fields[4]))).toBe(true);
    }
  });

  it('exports journal entries in the QuickBooks Online journal CSV layout: debits equal credits per journal number', async () => {
    const { text } = await exported({
      format: ExportFormat.QUICKBOOKS_ONLINE_CSV,
      report: { case: 'generalLedger', value: { scope: scope() } },
    });
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      'Journal No',
      'Journal Date',
      'Currency',
      'Account',
      'Debits',
      'Credits',
      'Description',
      'Name',
    ]);
    const journals = new Map<string, Money>();
    for (const row of rows) {
      const signed = Money.fromDecimal(row[4] || '0', 'EUR').minus(
        Money.fromDecimal(row[5] || '0', 'EUR'),
      );
      journals.set(row[0], (journals.get(row[0]) ?? Money.zero('EUR')).plus(signed));
    }
    expect(journals.size).toBe(book.posted);
    expect([...journals.values()].every((sum) => sum.isZero())).toBe(true);
    const { totals } = await reporting().getTrialBalance({ scope: scope() });
    const debits = rows.reduce(
      (sum, row) => sum.plus(Money.fromDecimal(row[4] || '0', 'EUR')),
      Money.zero('EUR'),
    );
    expect(debits.toString()).toBe(totals[0].debit?.amount);
  });

  it('rejects a QuickBooks format for a report that is not journal entries', async () => {
    await expect(
      exported({
        format: ExportFormat.QUICKBOOKS_IIF,
        report: { case: 'trialBalance', value: { scope: scope() } },
      }),
    ).rejects.toMatchObject({ fieldViolations: [expect.objectContaining({ field: 'format' })] });
  });
});
