import { randomUUID } from 'node:crypto';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { MonthStatus, PeriodService } from '@kontor/contracts/ledger/v1/period_service_pb';
import { GrpcStatus, parseApiKey } from '@kontor/grpc';
import { setUpBook, type Book } from './support/books';
import { startLedgerHarness, type LedgerHarness, type TestTenant } from './support/ledger-harness';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

type Line = [accountCode: string, side: 'debit' | 'credit', amount: string, currency: string];

describe('fiscal years and months', () => {
  let harness: LedgerHarness;
  let tenant: TestTenant;
  let sequence = 0;

  beforeAll(async () => {
    harness = await startLedgerHarness();
    tenant = await harness.newTenant();
  });
  afterAll(() => harness?.stop());

  const periods = () => harness.client(PeriodService, tenant.token);
  const newLedger = async (token = tenant.token) => {
    const { ledger } = await harness.client(LedgerService, token).createLedger({
      requestId: randomUUID(),
      name: 'Periods book',
      baseCurrency: 'EUR',
    });

    return ledger!.id;
  };

  /** An entry written straight into the tables, as the posting engine would (built in parallel). */
  async function insertEntry(book: Book, date: string, lines: Line[]): Promise<void> {
    sequence += 1;
    const entryId = randomUUID();
    await harness.query(
      `INSERT INTO ledger.entries (id, tenant_id, ledger_id, journal_id, number, ledger_sequence,
         entry_date, transaction_type, source, idempotency_key, request_digest, posted_by, posted_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6, 'adjustment', 'api', $7, '\\x00', 'test', now())`,
      [entryId, tenant.id, book.ledgerId, book.journals.GENERAL, sequence, date, `test-${entryId}`],
    );
    for (const [index, [code, side, amount, currency]] of lines.entries()) {
      await harness.query(
        `INSERT INTO ledger.entry_lines (entry_id, line_no, tenant_id, ledger_id, account_id, side,
           amount, currency, entry_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          entryId,
          index + 1,
          tenant.id,
          book.ledgerId,
          book.accounts[code],
          side,
          amount,
          currency,
          date,
        ],
      );
    }
  }

  describe('CreateFiscalYear and ListFiscalYears', () => {
    it('creates 12 open months when month_count is 0, across a calendar year end', async () => {
      const ledgerId = await newLedger();
      const { fiscalYear } = await periods().createFiscalYear({
        ledgerId,
        name: 'FY 2026/27',
        startMonth: '2026-07',
      });
      expect(fiscalYear!.months.map((m) => m.month)).toEqual([
        '2026-07',
        '2026-08',
        '2026-09',
        '2026-10',
        '2026-11',
        '2026-12',
        '2027-01',
        '2027-02',
        '2027-03',
        '2027-04',
        '2027-05',
        '2027-06',
      ]);
      expect(fiscalYear!.months.every((m) => m.status === MonthStatus.OPEN && !m.closeTime)).toBe(
        true,
      );
      const rows = await harness.query<{ n: string }>(
        `SELECT count(*) AS n FROM ledger.fiscal_months WHERE fiscal_year_id = $1 AND status = 'open'`,
        [fiscalYear!.id],
      );
      expect(rows[0].n).toBe('12');
    });

    it('lists fiscal years oldest first with their months', async () => {
      const ledgerId = await newLedger();
      await periods().createFiscalYear({
        ledgerId,
        name: '2027',
        startMonth: '2027-01',
        monthCount: 12,
      });
      await periods().createFiscalYear({
        ledgerId,
        name: 'short 2026',
        startMonth: '2026-10',
        monthCount: 3,
      });
      const { fiscalYears } = await periods().listFiscalYears({ ledgerId });
      expect(fiscalYears.map((y) => [y.name, y.months.length, y.months[0].month])).toEqual([
        ['short 2026', 3, '2026-10'],
        ['2027', 12, '2027-01'],
      ]);
    });

    it('accepts 24 months and rejects 25 with INVALID_ARGUMENT on month_count', async () => {
      const ledgerId = await newLedger();
      const { fiscalYear } = await periods().createFiscalYear({
        ledgerId,
        name: 'long',
        startMonth: '2030-01',
        monthCount: 24,
      });
      expect(fiscalYear!.months.at(-1)!.month).toBe('2031-12');
      await expect(
        periods().createFiscalYear({
          ledgerId,
          name: 'too long',
          startMonth: '2040-01',
          monthCount: 25,
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [{ field: 'month_count' }],
      });
    });

    it.each(['2026-13', '26-01', '', '2026-1'])(
      'rejects the start month %j with INVALID_ARGUMENT on start_month',
      async (startMonth) => {
        const ledgerId = await newLedger();
        await expect(
          periods().createFiscalYear({ ledgerId, name: 'x', startMonth }),
        ).rejects.toMatchObject({
          code: GrpcStatus.INVALID_ARGUMENT,
          fieldViolations: [{ field: 'start_month' }],
        });
      },
    );

    it('refuses an overlapping fiscal year with FAILED_PRECONDITION naming the first shared month', async () => {
      const ledgerId = await newLedger();
      await periods().createFiscalYear({ ledgerId, name: '2026', startMonth: '2026-01' });
      await expect(
        periods().createFiscalYear({
          ledgerId,
          name: 'overlap',
          startMonth: '2026-11',
          monthCount: 6,
        }),
      ).rejects.toMatchObject({
        code: GrpcStatus.FAILED_PRECONDITION,
        message: expect.stringContaining('month 2026-11 already belongs to fiscal year "2026"'),
        fieldViolations: [{ field: 'start_month' }],
      });
      // Nothing of the refused year was written.
      const { fiscalYears } = await periods().listFiscalYears({ ledgerId });
      expect(fiscalYears).toHaveLength(1);
    });

    it('rejects a taken fiscal year name with ALREADY_EXISTS naming it', async () => {
      const ledgerId = await newLedger();
      await periods().createFiscalYear({ ledgerId, name: '2026', startMonth: '2026-01' });
      await expect(
        periods().createFiscalYear({ ledgerId, name: '2026', startMonth: '2027-01' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.ALREADY_EXISTS,
        message: expect.stringContaining('"2026"'),
        fieldViolations: [{ field: 'name' }],
      });
    });

    it('lets exactly one of two concurrent overlapping fiscal years win', async () => {
      const ledgerId = await newLedger();
      const results = await Promise.allSettled([
        periods().createFiscalYear({ ledgerId, name: 'A', startMonth: '2026-01' }),
        periods().createFiscalYear({ ledgerId, name: 'B', startMonth: '2026-06' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({
        reason: { code: GrpcStatus.FAILED_PRECONDITION },
      });
    });

    it("answers NOT_FOUND for an unknown ledger and another tenant's ledger", async () => {
      const other = await harness.newTenant();
      const theirs = await newLedger(other.token);
      for (const ledgerId of [UNKNOWN_ID, theirs]) {
        await expect(
          periods().createFiscalYear({ ledgerId, name: '2026', startMonth: '2026-01' }),
        ).rejects.toMatchObject({
          code: GrpcStatus.NOT_FOUND,
          fieldViolations: [{ field: 'ledger_id' }],
        });
        await expect(periods().listFiscalYears({ ledgerId })).rejects.toMatchObject({
          code: GrpcStatus.NOT_FOUND,
        });
        await expect(periods().closeMonth({ ledgerId, month: '2026-01' })).rejects.toMatchObject({
          code: GrpcStatus.NOT_FOUND,
        });
      }
    });
  });

  describe('CloseMonth and ReopenMonth', () => {
    let book: Book;

    beforeAll(async () => {
      book = await setUpBook(harness, tenant, { year: 2026, currency: 'EUR' });
      await insertEntry(book, '2026-01-15', [
        ['1100', 'debit', '100.00', 'EUR'],
        ['3000', 'credit', '100.00', 'EUR'],
      ]);
      await insertEntry(book, '2026-02-01', [
        ['1200', 'debit', '50.25', 'EUR'],
        ['4000', 'credit', '50.25', 'EUR'],
      ]);
      await insertEntry(book, '2026-02-28', [
        ['1100', 'debit', '30.00', 'EUR'],
        ['1200', 'credit', '30.00', 'EUR'],
        ['1100', 'debit', '10.00', 'USD'],
        ['4000', 'credit', '10.00', 'USD'],
      ]);
      // After February: must not count.
      await insertEntry(book, '2026-03-01', [
        ['1100', 'debit', '999.00', 'EUR'],
        ['3000', 'credit', '999.00', 'EUR'],
      ]);
      // Another ledger of the same tenant, same month: must not count either.
      const other = await setUpBook(harness, tenant, { year: 2026, currency: 'EUR' });
      await insertEntry(other, '2026-02-10', [
        ['1100', 'debit', '7.00', 'EUR'],
        ['3000', 'credit', '7.00', 'EUR'],
      ]);
    });

    const money = (amount: string, currency = 'EUR') => ({ amount, currency });
    const plain = (value?: { amount: string; currency: string }) => ({
      amount: value?.amount,
      currency: value?.currency,
    });

    it('records opening balance, debit and credit turnover and closing balance per account and currency', async () => {
      const { month, turnovers } = await periods().closeMonth({
        ledgerId: book.ledgerId,
        month: '2026-02',
      });
      expect(month).toMatchObject({ month: '2026-02', status: MonthStatus.CLOSED });
      expect(month!.closeTime).toBeDefined();
      const compact = turnovers.map((t) => ({
        account: t.accountCode,
        currency: t.currency,
        opening: plain(t.openingBalance),
        debit: plain(t.debit),
        credit: plain(t.credit),
        closing: plain(t.closingBalance),
      }));
      expect(compact).toEqual([
        {
          account: '1100',
          currency: 'EUR',
          opening: money('100.00'),
          debit: money('30.00'),
          credit: money('0.00'),
          closing: money('130.00'),
        },
        {
          account: '1100',
          currency: 'USD',
          opening: money('0.00', 'USD'),
          debit: money('10.00', 'USD'),
          credit: money('0.00', 'USD'),
          closing: money('10.00', 'USD'),
        },
        {
          account: '1200',
          currency: 'EUR',
          opening: money('0.00'),
          debit: money('50.25'),
          credit: money('30.00'),
          closing: money('20.25'),
        },
        {
          account: '3000',
          currency: 'EUR',
          opening: money('-100.00'),
          debit: money('0.00'),
          credit: money('0.00'),
          closing: money('-100.00'),
        },
        {
          account: '4000',
          currency: 'EUR',
          opening: money('0.00'),
          debit: money('0.00'),
          credit: money('50.25'),
          closing: money('-50.25'),
        },
        {
          account: '4000',
          currency: 'USD',
          opening: money('0.00', 'USD'),
          debit: money('0.00', 'USD'),
          credit: money('10.00', 'USD'),
          closing: money('-10.00', 'USD'),
        },
      ]);

      const stored = await harness.query<{ n: string; closing: string }>(
        `SELECT count(*) AS n, sum(closing_balance)::text AS closing FROM ledger.month_closings
          WHERE ledger_id = $1 AND month = '2026-02-01'`,
        [book.ledgerId],
      );
      // The trial balance balances: closing balances sum to zero over both currencies' accounts.
      expect(stored[0]).toEqual({ n: '6', closing: '0.0000000000' });
      const audit = await harness.query<{ action: string; actor: string; reason: string | null }>(
        `SELECT action, actor, reason FROM ledger.period_audit WHERE ledger_id = $1 ORDER BY id`,
        [book.ledgerId],
      );
      expect(audit).toEqual([
        { action: 'closed', actor: `api-key:${parseApiKey(tenant.token)!.keyId}`, reason: null },
      ]);
      const { fiscalYears } = await periods().listFiscalYears({ ledgerId: book.ledgerId });
      expect(fiscalYears[0].months.find((m) => m.month === '2026-02')!.status).toBe(
        MonthStatus.CLOSED,
      );
    });

    it('refuses to close a closed month again with FAILED_PRECONDITION', async () => {
      await expect(
        periods().closeMonth({ ledgerId: book.ledgerId, month: '2026-02' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.FAILED_PRECONDITION,
        message: expect.stringContaining('2026-02 is already closed'),
      });
    });

    it('closes a month once when two closes race', async () => {
      const results = await Promise.allSettled([
        periods().closeMonth({ ledgerId: book.ledgerId, month: '2026-01' }),
        periods().closeMonth({ ledgerId: book.ledgerId, month: '2026-01' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({
        reason: { code: GrpcStatus.FAILED_PRECONDITION },
      });
      const audit = await harness.query<{ n: string }>(
        `SELECT count(*) AS n FROM ledger.period_audit WHERE ledger_id = $1 AND month = '2026-01-01'`,
        [book.ledgerId],
      );
      expect(audit[0].n).toBe('1');
    });

    it('requires a reason of 1-500 characters to reopen', async () => {
      for (const reason of ['', '   ', 'r'.repeat(501)]) {
        await expect(
          periods().reopenMonth({ ledgerId: book.ledgerId, month: '2026-02', reason }),
        ).rejects.toMatchObject({
          code: GrpcStatus.INVALID_ARGUMENT,
          fieldViolations: [{ field: 'reason' }],
        });
      }
    });

    it('refuses to reopen an open month with FAILED_PRECONDITION', async () => {
      await expect(
        periods().reopenMonth({ ledgerId: book.ledgerId, month: '2026-05', reason: 'why not' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.FAILED_PRECONDITION,
        message: expect.stringContaining('2026-05'),
      });
    });

    it('reopens with an audited reason, and closing again replaces the recorded turnovers', async () => {
      const { month } = await periods().reopenMonth({
        ledgerId: book.ledgerId,
        month: '2026-02',
        reason: 'late bank fee',
      });
      expect(month).toMatchObject({ month: '2026-02', status: MonthStatus.OPEN });
      await insertEntry(book, '2026-02-27', [
        ['5100', 'debit', '1.50', 'EUR'],
        ['1100', 'credit', '1.50', 'EUR'],
      ]);
      const { turnovers } = await periods().closeMonth({
        ledgerId: book.ledgerId,
        month: '2026-02',
      });
      expect(turnovers.find((t) => t.accountCode === '1100' && t.currency === 'EUR')).toMatchObject(
        {
          credit: money('1.50'),
          closingBalance: money('128.50'),
        },
      );
      expect(turnovers.find((t) => t.accountCode === '5100')).toMatchObject({
        debit: money('1.50'),
      });
      const stored = await harness.query<{ n: string }>(
        `SELECT count(*) AS n FROM ledger.month_closings WHERE ledger_id = $1 AND month = '2026-02-01'`,
        [book.ledgerId],
      );
      expect(stored[0].n).toBe('7');
      const audit = await harness.query<{ action: string; reason: string | null }>(
        `SELECT action, reason FROM ledger.period_audit
          WHERE ledger_id = $1 AND month = '2026-02-01' ORDER BY id`,
        [book.ledgerId],
      );
      expect(audit).toEqual([
        { action: 'closed', reason: null },
        { action: 'reopened', reason: 'late bank fee' },
        { action: 'closed', reason: null },
      ]);
    });

    it('records carried balances with zero turnover for a month without lines of its own', async () => {
      const { month, turnovers } = await periods().closeMonth({
        ledgerId: book.ledgerId,
        month: '2026-12',
      });
      expect(month!.status).toBe(MonthStatus.CLOSED);
      // December sees the balances carried from earlier months as openings.
      expect(turnovers.find((t) => t.accountCode === '3000')).toMatchObject({
        openingBalance: money('-1099.00'),
        debit: money('0.00'),
        closingBalance: money('-1099.00'),
      });
    });

    it('answers INVALID_ARGUMENT for a malformed month and NOT_FOUND for a month outside every fiscal year', async () => {
      await expect(
        periods().closeMonth({ ledgerId: book.ledgerId, month: '2026-13' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.INVALID_ARGUMENT,
        fieldViolations: [{ field: 'month' }],
      });
      await expect(
        periods().closeMonth({ ledgerId: book.ledgerId, month: '2031-01' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
        fieldViolations: [{ field: 'month' }],
      });
      await expect(
        periods().reopenMonth({ ledgerId: book.ledgerId, month: '2031-01', reason: 'r' }),
      ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    });

    it("cannot close or reopen another tenant's month", async () => {
      const other = await harness.newTenant();
      const theirs = harness.client(PeriodService, other.token);
      await expect(
        theirs.closeMonth({ ledgerId: book.ledgerId, month: '2026-03' }),
      ).rejects.toMatchObject({
        code: GrpcStatus.NOT_FOUND,
      });
      await expect(
        theirs.reopenMonth({ ledgerId: book.ledgerId, month: '2026-02', reason: 'r' }),
      ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    });
  });
});
