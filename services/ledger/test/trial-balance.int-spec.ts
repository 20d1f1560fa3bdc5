import { type GenService } from '@bufbuild/protobuf/codegenv2';
import { BalanceService } from '@kontor/contracts/ledger/v1/balance_service_pb';
import { TransactionType } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { GrpcStatus, type GrpcClient } from '@kontor/grpc';
import { Money } from '@kontor/money';
import {
  invoice,
  line,
  payment,
  setUpBalancesBook,
  type BalancesBook,
} from './support/balances-fixture';
import { startLedgerHarness, type LedgerHarness } from './support/ledger-harness';

type BalanceClient = GrpcClient<typeof BalanceService extends GenService<infer S> ? S : never>;

describe('trial balance', () => {
  let harness: LedgerHarness;

  beforeAll(async () => {
    harness = await startLedgerHarness();
  });
  afterAll(() => harness?.stop());

  const summary = (response: Awaited<ReturnType<BalanceClient['getTrialBalance']>>) => ({
    rows: response.rows.map((row) => [
      row.accountCode,
      row.currency,
      row.openingBalance?.amount,
      row.debit?.amount,
      row.credit?.amount,
      row.closingBalance?.amount,
    ]),
    totals: response.totals.map((total) => [
      total.currency,
      total.debit?.amount,
      total.credit?.amount,
    ]),
  });

  describe('a small book over two years and two currencies', () => {
    let b: BalancesBook;
    let balances: BalanceClient;

    beforeAll(async () => {
      b = await setUpBalancesBook(harness, await harness.newTenant(), { years: [2025, 2026] });
      balances = harness.client(BalanceService, b.tenant.token);
      await b.post({
        journalSymbol: 'CASH',
        entryDate: '2025-12-31',
        transactionType: TransactionType.ADJUSTMENT,
        lines: [line('1100', 'debit', '500.00'), line('3000', 'credit', '500.00')],
      });
      await b.post(invoice(b.customerId, '2026-01-10', '100.00', 'INV-1'));
      await b.post(payment(b.customerId, '2026-02-01', '60.00'));
      await b.post(invoice(b.customerId, '2026-02-03', '9.99', 'INV-U', 'USD'));
    });

    it('gives opening, turnovers and closing per account, and equal totals', async () => {
      const response = await balances.getTrialBalance({
        ledgerId: b.ledgerId,
        fromMonth: '2026-01',
        toMonth: '2026-12',
      });
      expect(summary(response)).toEqual({
        rows: [
          ['1100', 'EUR', '500.00', '60.00', '0.00', '560.00'],
          ['1200', 'EUR', '0.00', '100.00', '60.00', '40.00'],
          ['1200', 'USD', '0.00', '9.99', '0.00', '9.99'],
          ['3000', 'EUR', '-500.00', '0.00', '0.00', '-500.00'],
          ['4000', 'EUR', '0.00', '0.00', '100.00', '-100.00'],
          ['4000', 'USD', '0.00', '0.00', '9.99', '-9.99'],
        ],
        totals: [
          ['EUR', '160.00', '160.00'],
          ['USD', '9.99', '9.99'],
        ],
      });
    });

    it('carries earlier months into the opening balance', async () => {
      const response = await balances.getTrialBalance({
        ledgerId: b.ledgerId,
        fromMonth: '2026-02',
        toMonth: '2026-02',
      });
      expect(summary(response).rows).toEqual([
        ['1100', 'EUR', '500.00', '60.00', '0.00', '560.00'],
        ['1200', 'EUR', '100.00', '0.00', '60.00', '40.00'],
        ['1200', 'USD', '0.00', '9.99', '0.00', '9.99'],
        ['3000', 'EUR', '-500.00', '0.00', '0.00', '-500.00'],
        ['4000', 'EUR', '-100.00', '0.00', '0.00', '-100.00'],
        ['4000', 'USD', '0.00', '0.00', '9.99', '-9.99'],
      ]);
      const before = await balances.getTrialBalance({
        ledgerId: b.ledgerId,
        fromMonth: '2024-01',
        toMonth: '2024-12',
      });
      expect(summary(before)).toEqual({ rows: [], totals: [] });
    });

    it('rejects bad month ranges with INVALID_ARGUMENT naming the field', async () => {
      const cases: [string, string, string][] = [
        ['2026-05', '2026-04', 'to_month'],
        ['2024-01', '2026-01', 'to_month'],
        ['2026-13', '2026-12', 'from_month'],
        ['x'.repeat(10_240), '2026-12', 'from_month'],
        ['2026-01', '', 'to_month'],
      ];
      for (const [fromMonth, toMonth, field] of cases) {
        await expect(
          balances.getTrialBalance({ ledgerId: b.ledgerId, fromMonth, toMonth }),
        ).rejects.toMatchObject({
          code: GrpcStatus.INVALID_ARGUMENT,
          fieldViolations: [expect.objectContaining({ field })],
        });
      }
    });

    it('refuses a book that does not balance with INTERNAL, never a wrong answer', async () => {
      const other = await setUpBalancesBook(harness, await harness.newTenant());
      await other.post(invoice(other.customerId, '2026-01-10', '100.00', 'INV-1'));
      // Corrupt the turnovers behind the service's back.
      await harness.query(
        `UPDATE ledger.account_daily_turnovers SET debit = debit + 0.01
         WHERE account_id IN (SELECT id FROM ledger.accounts WHERE ledger_id = $1 AND code = '1200')`,
        [other.ledgerId],
      );
      await expect(
        harness.client(BalanceService, other.tenant.token).getTrialBalance({
          ledgerId: other.ledgerId,
          fromMonth: '2026-01',
          toMonth: '2026-12',
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INTERNAL,
        message: expect.stringContaining('incident'),
      });
    });
  });

  it('agrees with the lines, account balances and listings for random balanced entries', async () => {
    const b = await setUpBalancesBook(harness, await harness.newTenant());
    const balances = harness.client(BalanceService, b.tenant.token);
    const codes = ['1100', '1200', '2000', '2100', '3000', '4000', '5000'];
    const currencies = ['EUR', 'USD', 'JPY'];
    const counterparties = [b.customerId, b.otherCustomerId, b.vendorId, ''];
    const types = [
      TransactionType.INVOICE,
      TransactionType.PAYMENT,
      TransactionType.REFUND,
      TransactionType.CREDIT_NOTE,
      TransactionType.FEE,
      TransactionType.ADJUSTMENT,
    ];
    const journals = ['BANK', 'SALES', 'NOTE', 'CASH'];
    let seed = 20261121;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // Expected balance per account/currency, computed here from what was posted.
    const expected = new Map<string, Money>();
    for (let i = 0; i < 60; i += 1) {
      const currency = currencies[random(currencies.length)];
      const lines = [];
      const debits = Array.from({ length: 1 + random(3) }, () =>
        Money.fromMinor(BigInt(1 + random(100_000)), currency),
      );
      const total = debits.reduce((sum, m) => sum.plus(m), Money.zero(currency));
      const credits = total
        .allocate(['1', '2'].slice(0, 1 + random(2)))
        .filter((m) => m.isPositive());
      for (const [side, amounts] of [
        ['debit', debits],
        ['credit', credits],
      ] as const) {
        for (const amount of amounts) {
          const code = codes[random(codes.length)];
          lines.push(
            line(code, side, amount.toString(), {
              currency,
              counterpartyId: counterparties[random(counterparties.length)],
            }),
          );
          const key = `${code}/${currency}`;
          const signed = side === 'debit' ? amount : amount.negate();
          expected.set(key, (expected.get(key) ?? Money.zero(currency)).plus(signed));
        }
      }
      const month = String(1 + random(12)).padStart(2, '0');
      await b.post({
        journalSymbol: journals[random(journals.length)],
        entryDate: `2026-${month}-${String(1 + random(28)).padStart(2, '0')}`,
        transactionType: types[random(types.length)],
        lines,
      });
    }

    const year = await balances.getTrialBalance({
      ledgerId: b.ledgerId,
      fromMonth: '2026-01',
      toMonth: '2026-12',
    });
    for (const total of year.totals) expect(total.debit).toEqual(total.credit);
    const closings = new Map(
      year.rows.map((row) => [`${row.accountCode}/${row.currency}`, row.closingBalance!.amount]),
    );
    for (const [key, balance] of expected) {
      if (!balance.isZero()) expect([key, closings.get(key)]).toEqual([key, balance.toString()]);
    }

    for (const code of codes) {
      const { balances: account } = await balances.getAccountBalance({
        ledgerId: b.ledgerId,
        accountCode: code,
      });
      for (const perCurrency of account) {
        const want = expected.get(`${code}/${perCurrency.currency}`)!;
        expect([code, perCurrency.balance!.amount]).toEqual([code, want.toString()]);
        // The running balance of the account listing's last row is the account balance.
        let pageToken = '';
        let last = '';
        do {
          const page = await balances.listLedgerEntries({
            ledgerId: b.ledgerId,
            accountCode: code,
            currency: perCurrency.currency,
            showAll: true,
            pageSize: 7,
            pageToken,
          });
          last = page.rows.at(-1)?.runningBalance?.amount ?? last;
          pageToken = page.nextPageToken;
        } while (pageToken !== '');
        expect([code, perCurrency.currency, last]).toEqual([
          code,
          perCurrency.currency,
          want.toString(),
        ]);
      }
    }

    // A sub-range opens where the balance as of the day before stands.
    const spring = await balances.getTrialBalance({
      ledgerId: b.ledgerId,
      fromMonth: '2026-03',
      toMonth: '2026-05',
    });
    for (const row of spring.rows.slice(0, 6)) {
      const at = async (asOfDate: string) =>
        (
          await balances.getAccountBalance({
            ledgerId: b.ledgerId,
            accountCode: row.accountCode,
            asOfDate,
          })
        ).balances.find((x) => x.currency === row.currency)?.balance?.amount;
      const zero = Money.zero(row.currency).toString();
      expect((await at('2026-02-28')) ?? zero).toBe(row.openingBalance!.amount);
      expect((await at('2026-05-31')) ?? zero).toBe(row.closingBalance!.amount);
    }
  });
});
