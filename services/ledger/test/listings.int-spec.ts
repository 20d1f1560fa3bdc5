import { type GenService } from '@bufbuild/protobuf/codegenv2';
import {
  BalanceService,
  type ListLedgerEntriesRequest,
} from '@kontor/contracts/ledger/v1/balance_service_pb';
import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { GrpcStatus, type GrpcClient } from '@kontor/grpc';
import {
  creditNote,
  invoice,
  payment,
  refund,
  setUpBalancesBook,
  type BalancesBook,
} from './support/balances-fixture';
import { startLedgerHarness, type LedgerHarness } from './support/ledger-harness';

type BalanceClient = GrpcClient<typeof BalanceService extends GenService<infer S> ? S : never>;
type ListRequest = Partial<Omit<ListLedgerEntriesRequest, '$typeName' | '$unknown' | 'ledgerId'>>;

describe('ledger listings with running balances', () => {
  let harness: LedgerHarness;
  let b: BalancesBook;
  let balances: BalanceClient;

  beforeAll(async () => {
    harness = await startLedgerHarness();
    b = await setUpBalancesBook(harness, await harness.newTenant());
    balances = harness.client(BalanceService, b.tenant.token);
    const ada = b.customerId;
    const bob = b.otherCustomerId;
    await b.post(invoice(ada, '2026-01-10', '100.00', 'INV-1')); // SALES 1
    await b.post(invoice(bob, '2026-01-15', '30.00', 'INV-2')); // SALES 2
    await b.post(invoice(ada, '2026-01-20', '50.00', 'INV-3')); // SALES 3
    await b.post(payment(ada, '2026-02-01', '120.00', 'PAY-1')); // BANK 1
    await b.post(payment(bob, '2026-02-01', '30.00', 'PAY-2')); // BANK 2
    await b.post(creditNote(ada, '2026-02-05', '40.00', 'CN-1')); // NOTE 1
    await b.post(refund(ada, '2026-02-10', '10.00')); // BANK 3
  });
  afterAll(() => harness?.stop());

  const list = (request: ListRequest) =>
    balances.listLedgerEntries({ ledgerId: b.ledgerId, ...request });
  const rowsOf = (response: Awaited<ReturnType<typeof list>>) =>
    response.rows.map((row) => [
      row.entryDate,
      `${row.journalSymbol}${row.number}`,
      row.amount?.amount,
      row.runningBalance?.amount,
    ]);

  async function listAll(request: Omit<ListRequest, 'pageToken'>) {
    const rows: ReturnType<typeof rowsOf> = [];
    let pageToken = '';
    let pages = 0;
    do {
      const response = await list({ ...request, pageToken });
      rows.push(...rowsOf(response));
      pageToken = response.nextPageToken;
      pages += 1;
    } while (pageToken !== '');
    return { rows, pages };
  }

  const adaAll = [
    ['2026-01-10', 'SALES1', '100.00', '100.00'],
    ['2026-01-20', 'SALES3', '50.00', '150.00'],
    ['2026-02-01', 'BANK1', '-120.00', '30.00'],
    ['2026-02-05', 'NOTE1', '-40.00', '-10.00'],
    ['2026-02-10', 'BANK3', '10.00', '0.00'],
  ];

  it('shows a customer ledger with every type and its running balance', async () => {
    const response = await list({ customerId: b.customerId, showAll: true });
    expect(rowsOf(response)).toEqual(adaAll);
    expect(response.nextPageToken).toBe('');
    expect(response.rows[0]).toMatchObject({
      transactionType: TransactionType.INVOICE,
      reference: 'INV-1',
      customerName: 'Ada Customer',
    });
    expect(response.rows[2]).toMatchObject({
      transactionType: TransactionType.PAYMENT,
      paymentMethod: 'card',
      reference: 'PAY-1',
    });
  });

  it("orders a day's entries as they were posted, whatever their journals, across pages", async () => {
    const own = await setUpBalancesBook(harness, await harness.newTenant());
    // Posted sale first, payment second: by journal symbol BANK would sort before SALES.
    await own.post(invoice(own.customerId, '2026-03-02', '20.00', 'INV-9')); // SALES 1
    await own.post(payment(own.customerId, '2026-03-02', '20.00', 'PAY-9')); // BANK 1
    const client = harness.client(BalanceService, own.tenant.token);
    const request = { ledgerId: own.ledgerId, customerId: own.customerId, showAll: true };

    const whole = await client.listLedgerEntries(request);
    const first = await client.listLedgerEntries({ ...request, pageSize: 1 });
    const second = await client.listLedgerEntries({
      ...request,
      pageSize: 1,
      pageToken: first.nextPageToken,
    });

    const expected = [
      ['2026-03-02', 'SALES1', '20.00', '20.00'],
      ['2026-03-02', 'BANK1', '-20.00', '0.00'],
    ];
    expect(rowsOf(whole)).toEqual(expected);
    expect([...rowsOf(first), ...rowsOf(second)]).toEqual(expected);
    expect(second.nextPageToken).toBe('');
  });

  it('lists only payments and refunds by default, with balances counting the hidden rows', async () => {
    const response = await list({ customerId: b.customerId });
    expect(rowsOf(response)).toEqual([
      ['2026-02-01', 'BANK1', '-120.00', '30.00'],
      ['2026-02-10', 'BANK3', '10.00', '0.00'],
    ]);
    expect(response.rows.map((row) => row.transactionType)).toEqual([
      TransactionType.PAYMENT,
      TransactionType.REFUND,
    ]);
  });

  it('keeps running balances across pages', async () => {
    for (const pageSize of [1, 2, 3]) {
      const { rows, pages } = await listAll({ customerId: b.customerId, showAll: true, pageSize });
      expect(rows).toEqual(adaAll);
      expect(pages).toBe(Math.ceil(adaAll.length / pageSize));
    }
    const filtered = await listAll({ customerId: b.customerId, pageSize: 1 });
    expect(filtered.rows.map((row) => row[3])).toEqual(['30.00', '0.00']);
  });

  it('opens at the balance before from_date and stops at to_date', async () => {
    const response = await list({
      customerId: b.customerId,
      showAll: true,
      fromDate: '2026-01-20',
      toDate: '2026-02-05',
    });
    expect(rowsOf(response)).toEqual(adaAll.slice(1, 4));
    const paged = await listAll({
      customerId: b.customerId,
      showAll: true,
      fromDate: '2026-02-01',
      pageSize: 1,
    });
    expect(paged.rows).toEqual(adaAll.slice(2));
  });

  it('lists an account with its balance and each entry customer', async () => {
    const response = await list({ accountCode: '1200', showAll: true });
    expect(rowsOf(response)).toEqual([
      ['2026-01-10', 'SALES1', '100.00', '100.00'],
      ['2026-01-15', 'SALES2', '30.00', '130.00'],
      ['2026-01-20', 'SALES3', '50.00', '180.00'],
      ['2026-02-01', 'BANK1', '-120.00', '60.00'],
      ['2026-02-01', 'BANK2', '-30.00', '30.00'],
      ['2026-02-05', 'NOTE1', '-40.00', '-10.00'],
      ['2026-02-10', 'BANK3', '10.00', '0.00'],
    ]);
    expect(response.rows.map((row) => row.customerName)).toEqual([
      'Ada Customer',
      'Bob Customer',
      'Ada Customer',
      'Ada Customer',
      'Bob Customer',
      'Ada Customer',
      'Ada Customer',
    ]);
    const { balances: account } = await balances.getAccountBalance({
      ledgerId: b.ledgerId,
      accountCode: '1200',
    });
    expect(account[0]?.balance?.amount).toBe(response.rows.at(-1)?.runningBalance?.amount);
  });

  it('filters by journal (case-insensitive) and still counts other journals in the balance', async () => {
    const response = await list({ accountCode: '1200', journalSymbol: 'bank', showAll: true });
    expect(rowsOf(response)).toEqual([
      ['2026-02-01', 'BANK1', '-120.00', '60.00'],
      ['2026-02-01', 'BANK2', '-30.00', '30.00'],
      ['2026-02-10', 'BANK3', '10.00', '0.00'],
    ]);
  });

  it('lists the general ledger with entry totals and their cumulative sum', async () => {
    const response = await list({ showAll: true });
    expect(rowsOf(response)).toEqual([
      ['2026-01-10', 'SALES1', '100.00', '100.00'],
      ['2026-01-15', 'SALES2', '30.00', '130.00'],
      ['2026-01-20', 'SALES3', '50.00', '180.00'],
      ['2026-02-01', 'BANK1', '120.00', '300.00'],
      ['2026-02-01', 'BANK2', '30.00', '330.00'],
      ['2026-02-05', 'NOTE1', '40.00', '370.00'],
      ['2026-02-10', 'BANK3', '10.00', '380.00'],
    ]);
    const defaults = await list({});
    expect(defaults.rows.map((row) => row.customerName)).toEqual([
      'Ada Customer',
      'Bob Customer',
      'Ada Customer',
    ]);
  });

  it('rejects bad requests with INVALID_ARGUMENT naming the field', async () => {
    const first = await list({ customerId: b.customerId, showAll: true, pageSize: 2 });
    const cases: [ListRequest, string][] = [
      [{ pageSize: 100_000 }, 'page_size'],
      [{ pageSize: -1 }, 'page_size'],
      [{ pageToken: 'forged' }, 'page_token'],
      [{ pageToken: 'x'.repeat(10_240) }, 'page_token'],
      [{ pageToken: Buffer.from('{"d":"2026-01-01"}').toString('base64url') }, 'page_token'],
      // A real token replayed with other filters.
      [{ customerId: b.customerId, pageToken: first.nextPageToken }, 'page_token'],
      [{ fromDate: '2026-03-01', toDate: '2026-02-01' }, 'to_date'],
      [{ fromDate: '2026-02-30' }, 'from_date'],
      [{ journalSymbol: 'x'.repeat(10_240) }, 'journal_symbol'],
      [{ accountCode: 'x'.repeat(10_240) }, 'account_code'],
      [{ currency: 'x'.repeat(10_240) }, 'currency'],
      [{ currency: 'ABC' }, 'currency'],
      [{ customerId: 'not-a-uuid' }, 'customer_id'],
    ];
    for (const [request, field] of cases) {
      await expect(list(request)).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [expect.objectContaining({ field })],
      });
    }
    await expect(list({ accountCode: '9999' })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      message: expect.stringContaining('9999'),
    });
  });

  it('requires a currency once the scope has more than one', async () => {
    await b.post(invoice(b.customerId, '2026-03-01', '70.00', 'INV-USD', 'USD'));
    await expect(list({ customerId: b.customerId, showAll: true })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      message: expect.stringContaining('EUR, USD'),
      fieldViolations: [{ field: 'currency' }],
    });
    const usd = await list({ customerId: b.customerId, showAll: true, currency: 'usd' });
    expect(usd.rows.map((row) => [row.amount, row.runningBalance])).toMatchObject([
      [
        { amount: '70.00', currency: 'USD' },
        { amount: '70.00', currency: 'USD' },
      ],
    ]);
    const eur = await list({ customerId: b.customerId, showAll: true, currency: 'EUR' });
    expect(rowsOf(eur)).toEqual(adaAll);
    // Bob has only EUR: no currency needed.
    expect((await list({ customerId: b.otherCustomerId, showAll: true })).rows).toHaveLength(2);
  });
});
