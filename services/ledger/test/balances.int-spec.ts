import { BalanceService } from '@kontor/contracts/ledger/v1/balance_service_pb';
import {
  CustomerBalanceState,
  InvoiceStatus,
} from '@kontor/contracts/ledger/v1/balance_service_pb';
import { GrpcStatus, type GrpcClient } from '@kontor/grpc';
import { type GenService } from '@bufbuild/protobuf/codegenv2';
import {
  creditNote,
  invoice,
  line,
  payment,
  refund,
  setUpBalancesBook,
  type BalancesBook,
} from './support/balances-fixture';
import { startLedgerHarness, type LedgerHarness } from './support/ledger-harness';
import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';

type BalanceClient = GrpcClient<typeof BalanceService extends GenService<infer S> ? S : never>;

const money = (amount: string, currency = 'EUR') => ({ amount, currency });

describe('balances: account, customer and invoices', () => {
  let harness: LedgerHarness;

  beforeAll(async () => {
    harness = await startLedgerHarness();
  });
  afterAll(() => harness?.stop());

  async function book(): Promise<BalancesBook> {
    return setUpBalancesBook(harness, await harness.newTenant());
  }

  describe('the seeds example: invoices 100.00 and 50.00, a payment 120.00, a credit note 40.00', () => {
    let b: BalancesBook;
    let balances: BalanceClient;

    beforeAll(async () => {
      b = await book();
      balances = harness.client(BalanceService, b.tenant.token);
      await b.post(invoice(b.customerId, '2026-01-10', '100.00', 'INV-1'));
      await b.post(invoice(b.customerId, '2026-01-20', '50.00', 'INV-2'));
      await b.post(payment(b.customerId, '2026-02-01', '120.00', 'PAY-1'));
    });

    it('owes 30.00 after the payment: first invoice paid, second partly paid 20.00 / 30.00', async () => {
      const { balances: customer } = await balances.getCustomerBalance({
        ledgerId: b.ledgerId,
        customerId: b.customerId,
      });
      expect(customer).toMatchObject([
        { currency: 'EUR', balance: money('30.00'), state: CustomerBalanceState.OWES },
      ]);
      const list = await balances.listInvoices({ ledgerId: b.ledgerId, customerId: b.customerId });
      expect(list.invoices).toMatchObject([
        {
          reference: 'INV-1',
          entryDate: '2026-01-10',
          amount: money('100.00'),
          paid: money('100.00'),
          open: money('0.00'),
          status: InvoiceStatus.PAID,
        },
        {
          reference: 'INV-2',
          amount: money('50.00'),
          paid: money('20.00'),
          open: money('30.00'),
          status: InvoiceStatus.PARTLY_PAID,
        },
      ]);
      expect(list.unappliedCredit).toEqual([]);
      const open = await balances.listInvoices({
        ledgerId: b.ledgerId,
        customerId: b.customerId,
        openOnly: true,
      });
      expect(open.invoices.map((i) => i.reference)).toEqual(['INV-2']);
    });

    it('holds 10.00 credit after a credit note of 40.00, both invoices paid', async () => {
      await b.post(creditNote(b.customerId, '2026-02-05', '40.00', 'CN-1'));
      const { balances: customer } = await balances.getCustomerBalance({
        ledgerId: b.ledgerId,
        customerId: b.customerId,
      });
      expect(customer).toMatchObject([
        { currency: 'EUR', balance: money('-10.00'), state: CustomerBalanceState.CREDIT },
      ]);
      const list = await balances.listInvoices({ ledgerId: b.ledgerId, customerId: b.customerId });
      expect(list.invoices.map((i) => [i.reference, i.open?.amount, i.status])).toEqual([
        ['INV-1', '0.00', InvoiceStatus.PAID],
        ['INV-2', '0.00', InvoiceStatus.PAID],
      ]);
      expect(list.unappliedCredit).toMatchObject([money('10.00')]);
    });

    it('applies the open credit to the next invoice automatically, then is settled', async () => {
      await b.post(invoice(b.customerId, '2026-03-01', '25.00', 'INV-3'));
      let list = await balances.listInvoices({ ledgerId: b.ledgerId, customerId: b.customerId });
      expect(list.invoices[2]).toMatchObject({
        reference: 'INV-3',
        paid: money('10.00'),
        open: money('15.00'),
        status: InvoiceStatus.PARTLY_PAID,
      });
      await b.post(payment(b.customerId, '2026-03-05', '15.00'));
      const { balances: customer } = await balances.getCustomerBalance({
        ledgerId: b.ledgerId,
        customerId: b.customerId,
      });
      expect(customer).toMatchObject([
        { balance: money('0.00'), state: CustomerBalanceState.SETTLED },
      ]);
      list = await balances.listInvoices({ ledgerId: b.ledgerId, customerId: b.customerId });
      expect(list.invoices.every((i) => i.status === InvoiceStatus.PAID)).toBe(true);
      expect(list.unappliedCredit).toEqual([]);
    });

    it('answers a balance as of a date', async () => {
      const at = async (asOfDate: string) =>
        (
          await balances.getCustomerBalance({
            ledgerId: b.ledgerId,
            customerId: b.customerId,
            asOfDate,
          })
        ).balances.map((x) => [x.balance?.amount, x.state]);
      expect(await at('2026-01-15')).toEqual([['100.00', CustomerBalanceState.OWES]]);
      expect(await at('2026-02-01')).toEqual([['30.00', CustomerBalanceState.OWES]]);
      expect(await at('2026-02-05')).toEqual([['-10.00', CustomerBalanceState.CREDIT]]);
    });

    it('re-opens an invoice when credit is refunded', async () => {
      const c = await book();
      const client = harness.client(BalanceService, c.tenant.token);
      await c.post(invoice(c.customerId, '2026-04-01', '80.00', 'INV-A'));
      await c.post(payment(c.customerId, '2026-04-02', '100.00'));
      await c.post(refund(c.customerId, '2026-04-03', '30.00'));
      const list = await client.listInvoices({ ledgerId: c.ledgerId, customerId: c.customerId });
      expect(list.invoices).toMatchObject([
        { paid: money('70.00'), open: money('10.00'), status: InvoiceStatus.PARTLY_PAID },
      ]);
      expect(list.unappliedCredit).toEqual([]);
    });
  });

  it('reports a customer without entries as settled in the ledger currency', async () => {
    const b = await book();
    const balances = harness.client(BalanceService, b.tenant.token);
    const { balances: customer } = await balances.getCustomerBalance({
      ledgerId: b.ledgerId,
      customerId: b.otherCustomerId,
    });
    expect(customer).toMatchObject([
      { currency: 'EUR', balance: money('0.00'), state: CustomerBalanceState.SETTLED },
    ]);
  });

  it('keeps currencies apart in customer balances and invoices', async () => {
    const b = await book();
    const balances = harness.client(BalanceService, b.tenant.token);
    await b.post(invoice(b.customerId, '2026-01-10', '100.00', 'E-1'));
    await b.post(invoice(b.customerId, '2026-01-11', '70.00', 'U-1', 'USD'));
    await b.post(payment(b.customerId, '2026-01-12', '100.00', '', 'USD'));
    const { balances: customer } = await balances.getCustomerBalance({
      ledgerId: b.ledgerId,
      customerId: b.customerId,
    });
    expect(customer).toMatchObject([
      { currency: 'EUR', balance: money('100.00'), state: CustomerBalanceState.OWES },
      { currency: 'USD', balance: money('-30.00', 'USD'), state: CustomerBalanceState.CREDIT },
    ]);
    const list = await balances.listInvoices({ ledgerId: b.ledgerId, customerId: b.customerId });
    expect(list.invoices.map((i) => [i.reference, i.status])).toEqual([
      ['E-1', InvoiceStatus.UNPAID],
      ['U-1', InvoiceStatus.PAID],
    ]);
    expect(list.unappliedCredit).toMatchObject([money('30.00', 'USD')]);
  });

  describe('account balances', () => {
    let b: BalancesBook;
    let balances: BalanceClient;

    beforeAll(async () => {
      b = await book();
      balances = harness.client(BalanceService, b.tenant.token);
      await b.post(invoice(b.customerId, '2026-03-10', '100.00', 'I-1'));
      await b.post(invoice(b.otherCustomerId, '2026-03-12', '40.00', 'I-2'));
      await b.post(payment(b.customerId, '2026-03-20', '60.00'));
    });

    it('is empty before the first entry and sums turnovers up to the date', async () => {
      const at = async (asOfDate: string) =>
        (await balances.getAccountBalance({ ledgerId: b.ledgerId, accountCode: '1200', asOfDate }))
          .balances;
      expect(await at('2026-03-09')).toEqual([]);
      expect(await at('2026-03-10')).toMatchObject([
        {
          currency: 'EUR',
          debit: money('100.00'),
          credit: money('0.00'),
          balance: money('100.00'),
        },
      ]);
      expect(await at('2026-03-31')).toMatchObject([
        { debit: money('140.00'), credit: money('60.00'), balance: money('80.00') },
      ]);
      const all = await balances.getAccountBalance({ ledgerId: b.ledgerId, accountCode: '1200' });
      expect(all.balances).toMatchObject([{ balance: money('80.00') }]);
      const revenue = await balances.getAccountBalance({
        ledgerId: b.ledgerId,
        accountCode: '4000',
      });
      expect(revenue.balances).toMatchObject([{ balance: money('-140.00') }]);
    });

    it('gives one counterparty balance from its lines', async () => {
      const of = async (counterpartyId: string, asOfDate = '') =>
        (
          await balances.getAccountBalance({
            ledgerId: b.ledgerId,
            accountCode: '1200',
            counterpartyId,
            asOfDate,
          })
        ).balances;
      expect(await of(b.customerId)).toMatchObject([
        { debit: money('100.00'), credit: money('60.00'), balance: money('40.00') },
      ]);
      expect(await of(b.otherCustomerId)).toMatchObject([{ balance: money('40.00') }]);
      expect(await of(b.customerId, '2026-03-15')).toMatchObject([{ balance: money('100.00') }]);
      expect(await of(b.vendorId)).toEqual([]);
    });

    it('names an unknown account code in NOT_FOUND', async () => {
      await expect(
        balances.getAccountBalance({ ledgerId: b.ledgerId, accountCode: '9999' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        message: expect.stringContaining('9999'),
        fieldViolations: [{ field: 'account_code' }],
      });
    });

    it('rejects bad input with INVALID_ARGUMENT naming the field', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ asOfDate: '2026-02-30' }, 'as_of_date'],
        [{ asOfDate: 'x'.repeat(10_240) }, 'as_of_date'],
        [{ accountCode: 'x'.repeat(10_240) }, 'account_code'],
        [{ counterpartyId: 'nope' }, 'counterparty_id'],
        [{ ledgerId: 'x'.repeat(10_240) }, 'ledger_id'],
      ];
      for (const [override, field] of cases) {
        await expect(
          balances.getAccountBalance({ ledgerId: b.ledgerId, accountCode: '1200', ...override }),
        ).rejects.toMatchObject({
          code: GrpcStatus.INVALID_ARGUMENT,
          fieldViolations: [expect.objectContaining({ field })],
        });
      }
    });
  });

  it('keeps tenants apart: another tenant sees NOT_FOUND for the ledger and the customer', async () => {
    const b = await book();
    await b.post(invoice(b.customerId, '2026-01-10', '100.00', 'INV-1'));
    const intruder = await harness.newTenant();
    const theirs = harness.client(BalanceService, intruder.token);
    const request = { ledgerId: b.ledgerId, customerId: b.customerId };
    await expect(theirs.getCustomerBalance(request)).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      fieldViolations: [{ field: 'ledger_id' }],
    });
    await expect(theirs.listInvoices(request)).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
    await expect(
      theirs.getAccountBalance({ ledgerId: b.ledgerId, accountCode: '1200' }),
    ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    await expect(theirs.listLedgerEntries({ ledgerId: b.ledgerId })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
    await expect(
      theirs.getTrialBalance({ ledgerId: b.ledgerId, fromMonth: '2026-01', toMonth: '2026-12' }),
    ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    // Their own ledger cannot name our customer either.
    const own = await setUpBalancesBook(harness, intruder);
    await expect(
      theirs.getCustomerBalance({ ledgerId: own.ledgerId, customerId: b.customerId }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      fieldViolations: [{ field: 'customer_id' }],
    });
  });

  it('ignores lines of other accounts and entries of other types in the customer balance', async () => {
    const b = await book();
    const balances = harness.client(BalanceService, b.tenant.token);
    // A vendor bill naming the customer on a payable account does not touch their receivable.
    await b.post({
      journalSymbol: 'CASH',
      entryDate: '2026-05-01',
      transactionType: TransactionType.COST,
      lines: [
        line('5000', 'debit', '12.00'),
        line('2000', 'credit', '12.00', { counterpartyId: b.customerId }),
      ],
    });
    const { balances: customer } = await balances.getCustomerBalance({
      ledgerId: b.ledgerId,
      customerId: b.customerId,
    });
    expect(customer).toMatchObject([
      { balance: money('0.00'), state: CustomerBalanceState.SETTLED },
    ]);
  });
});
