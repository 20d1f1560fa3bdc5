import { type GenService } from '@bufbuild/protobuf/codegenv2';
import {
  BalanceService,
  CustomerBalanceState,
  InvoiceStatus,
} from '@kontor/contracts/ledger/v1/balance_service_pb';
import { EntryService, TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { GrpcStatus, type GrpcClient } from '@kontor/grpc';
import { invoice, line, payment, setUpBalancesBook } from './support/balances-fixture';
import { startLedgerHarness, type LedgerHarness } from './support/ledger-harness';

type BalanceClient = GrpcClient<typeof BalanceService extends GenService<infer S> ? S : never>;

const money = (amount: string, currency = 'EUR') => ({ amount, currency });

describe('invoices: credit applied oldest first, reversals and chargebacks', () => {
  let harness: LedgerHarness;

  beforeAll(async () => {
    harness = await startLedgerHarness();
  });
  afterAll(() => harness?.stop());

  async function book() {
    const b = await setUpBalancesBook(harness, await harness.newTenant());
    const balances: BalanceClient = harness.client(BalanceService, b.tenant.token);
    const request = { ledgerId: b.ledgerId, customerId: b.customerId };
    return { b, balances, request };
  }

  it('cancels a reversed invoice instead of paying it with the reversal', async () => {
    const { b, balances, request } = await book();
    const first = await b.post({
      ...invoice(b.customerId, '2026-01-10', '100.00', 'INV-1'),
      dueDate: '2026-02-09',
    });
    await b.post(invoice(b.customerId, '2026-01-20', '50.00', 'INV-2'));
    await harness.client(EntryService, b.tenant.token).reverseEntry({
      ledgerId: b.ledgerId,
      entryId: first,
      idempotencyKey: 'reverse-inv-1',
      entryDate: '2026-01-25',
    });
    const list = await balances.listInvoices(request);
    expect(list.invoices).toMatchObject([
      {
        reference: 'INV-2',
        paid: money('0.00'),
        open: money('50.00'),
        status: InvoiceStatus.UNPAID,
      },
    ]);
    const { balances: customer } = await balances.getCustomerBalance(request);
    expect(customer).toMatchObject([{ balance: money('50.00'), state: CustomerBalanceState.OWES }]);
  });

  it('re-opens a paid invoice on a chargeback and shows due dates', async () => {
    const { b, balances, request } = await book();
    await b.post({
      ...invoice(b.customerId, '2026-03-01', '80.00', 'INV-1'),
      dueDate: '2026-03-31',
    });
    await b.post(payment(b.customerId, '2026-03-05', '80.00'));
    let list = await balances.listInvoices(request);
    expect(list.invoices).toMatchObject([
      { dueDate: '2026-03-31', open: money('0.00'), status: InvoiceStatus.PAID },
    ]);
    expect((await balances.listInvoices({ ...request, openOnly: true })).invoices).toEqual([]);
    await b.post({
      journalSymbol: 'BANK',
      entryDate: '2026-03-20',
      transactionType: TransactionType.CHARGEBACK,
      lines: [
        line('1200', 'debit', '80.00', { counterpartyId: b.customerId }),
        line('1100', 'credit', '80.00'),
      ],
    });
    list = await balances.listInvoices({ ...request, openOnly: true });
    expect(list.invoices).toMatchObject([
      { reference: 'INV-1', open: money('80.00'), status: InvoiceStatus.UNPAID },
    ]);
  });

  it('answers NOT_FOUND for an unknown customer and INVALID_ARGUMENT for a malformed one', async () => {
    const { b, balances } = await book();
    await expect(
      balances.listInvoices({
        ledgerId: b.ledgerId,
        customerId: '00000000-0000-4000-8000-000000000000',
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      fieldViolations: [{ field: 'customer_id' }],
    });
    await expect(
      balances.listInvoices({ ledgerId: b.ledgerId, customerId: 'x'.repeat(10_240) }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'customer_id' }],
    });
    await expect(
      balances.getCustomerBalance({
        ledgerId: b.ledgerId,
        customerId: b.customerId,
        asOfDate: '2026-1-1',
      }),
    ).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'as_of_date' }],
    });
  });
});
