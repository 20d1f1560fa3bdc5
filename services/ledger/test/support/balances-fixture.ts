import { randomUUID } from 'node:crypto';
import { type MessageInitShape } from '@bufbuild/protobuf';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  EntrySide,
  TransactionType,
  type EntryInputSchema,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type LedgerHarness, type TestTenant } from './ledger-harness';

export type EntryInit = MessageInitShape<typeof EntryInputSchema>;

export interface BalancesBook {
  tenant: TestTenant;
  ledgerId: string;
  customerId: string;
  otherCustomerId: string;
  vendorId: string;
  /** Posts an entry, returns its id. */
  post(entry: Omit<EntryInit, 'ledgerId' | 'idempotencyKey'>): Promise<string>;
}

/** Chart of the balances tests: code, type, role. */
const CHART: readonly [string, string, string | null][] = [
  ['1000', 'asset', null], // cash
  ['1100', 'asset', null], // bank
  ['1200', 'asset', 'receivable'],
  ['2000', 'liability', 'payable'],
  ['2100', 'liability', 'tax'],
  ['3000', 'equity', null],
  ['4000', 'revenue', null],
  ['5000', 'expense', null],
];

/**
 * A ledger (over gRPC) with the chart above, fiscal years `years` (all months open), journals
 * BANK, SALES, NOTE, CASH in each, two customers and a vendor. Reference data is seeded with
 * SQL; entries are written the way the posting engine writes them (entries, lines, daily
 * turnovers, running totals).
 */
export async function setUpBalancesBook(
  harness: LedgerHarness,
  tenant: TestTenant,
  options: { years?: number[]; currency?: string } = {},
): Promise<BalancesBook> {
  const ledgers = harness.client(LedgerService, tenant.token);
  const { ledger } = await ledgers.createLedger({
    requestId: randomUUID(),
    name: `Book ${randomUUID().slice(0, 8)}`,
    baseCurrency: options.currency ?? 'EUR',
  });
  const ledgerId = ledger!.id;
  const accounts = new Map<string, string>();
  for (const [code, type, role] of CHART) {
    const id = randomUUID();
    accounts.set(code, id);
    await harness.query(
      `INSERT INTO ledger.accounts (id, tenant_id, ledger_id, code, name, type, role, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
      [id, tenant.id, ledgerId, code, `Account ${code}`, type, role],
    );
  }
  const journals = new Map<string, string>();
  for (const year of options.years ?? [2026]) {
    const fiscalYearId = randomUUID();
    await harness.query(
      `INSERT INTO ledger.fiscal_years (id, tenant_id, ledger_id, name, first_month, last_month, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())`,
      [fiscalYearId, tenant.id, ledgerId, `FY${year}`, `${year}-01-01`, `${year}-12-01`],
    );
    await harness.query(
      `INSERT INTO ledger.fiscal_months (ledger_id, month, tenant_id, fiscal_year_id, status)
       SELECT $1, make_date($4, m, 1), $2, $3, 'open' FROM generate_series(1, 12) AS m`,
      [ledgerId, tenant.id, fiscalYearId, year],
    );
    for (const symbol of ['BANK', 'SALES', 'NOTE', 'CASH']) {
      const id = randomUUID();
      journals.set(`${year}/${symbol}`, id);
      await harness.query(
        `INSERT INTO ledger.journals (id, tenant_id, ledger_id, fiscal_year_id, symbol, name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())`,
        [id, tenant.id, ledgerId, fiscalYearId, symbol, `Journal ${symbol}`],
      );
    }
  }
  const organization = async (kind: string, name: string) => {
    const id = randomUUID();
    await harness.query(
      `INSERT INTO ledger.organizations (id, tenant_id, external_id, kind, name, created_at)
       VALUES ($1, $2, $3, $4, $5, now())`,
      [id, tenant.id, `${kind}-${id.slice(0, 8)}`, kind, name],
    );
    return id;
  };
  const customerId = await organization('customer', 'Ada Customer');
  const otherCustomerId = await organization('customer', 'Bob Customer');
  const vendorId = await organization('vendor', 'Vera Vendor');

  const post = async (entry: Omit<EntryInit, 'ledgerId' | 'idempotencyKey'>) => {
    const date = entry.entryDate!;
    const journalId = journals.get(`${date.slice(0, 4)}/${entry.journalSymbol}`);
    if (!journalId) throw new Error(`no journal ${entry.journalSymbol} for ${date}`);
    const id = randomUUID();
    const [{ number }] = await harness.query<{ number: string }>(
      `UPDATE ledger.journals SET next_number = next_number + 1 WHERE id = $1
       RETURNING next_number - 1 AS number`,
      [journalId],
    );
    const [{ sequence }] = await harness.query<{ sequence: string }>(
      `UPDATE ledger.ledgers SET last_sequence = last_sequence + 1 WHERE id = $1
       RETURNING last_sequence AS sequence`,
      [ledgerId],
    );
    await harness.query(
      `INSERT INTO ledger.entries (id, tenant_id, ledger_id, journal_id, number, ledger_sequence,
         entry_date, transaction_type, payment_method, reference, description, due_date, source,
         idempotency_key, request_digest, posted_by, posted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'api', $13, '\\x00', 'test', now())`,
      [
        id,
        tenant.id,
        ledgerId,
        journalId,
        number,
        sequence,
        date,
        TransactionType[entry.transactionType ?? TransactionType.ADJUSTMENT].toLowerCase(),
        entry.paymentMethod || null,
        entry.reference || null,
        entry.description || null,
        entry.dueDate || null,
        `key-${id}`,
      ],
    );
    for (const [index, line] of (entry.lines ?? []).entries()) {
      const accountId = accounts.get(line.accountCode!);
      if (!accountId) throw new Error(`no account ${line.accountCode}`);
      const side = line.side === EntrySide.DEBIT ? 'debit' : 'credit';
      const { amount, currency } = line.amount as { amount: string; currency: string };
      await harness.query(
        `INSERT INTO ledger.entry_lines (entry_id, line_no, tenant_id, ledger_id, account_id, side,
           amount, currency, counterparty_id, entry_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          id,
          index + 1,
          tenant.id,
          ledgerId,
          accountId,
          side,
          amount,
          currency,
          line.counterpartyId || null,
          date,
        ],
      );
      const [debit, credit] = side === 'debit' ? [amount, '0'] : ['0', amount];
      await harness.query(
        `INSERT INTO ledger.account_daily_turnovers AS t (account_id, currency, day, tenant_id, debit, credit)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (account_id, currency, day)
         DO UPDATE SET debit = t.debit + EXCLUDED.debit, credit = t.credit + EXCLUDED.credit`,
        [accountId, currency, date, tenant.id, debit, credit],
      );
    }
    return id;
  };

  return { tenant, ledgerId, customerId, otherCustomerId, vendorId, post };
}

/** Builders of the usual entries, in the proto's shape. */
export const line = (
  accountCode: string,
  side: 'debit' | 'credit',
  amount: string,
  options: { currency?: string; counterpartyId?: string } = {},
) => ({
  accountCode,
  side: side === 'debit' ? EntrySide.DEBIT : EntrySide.CREDIT,
  amount: { amount, currency: options.currency ?? 'EUR' },
  counterpartyId: options.counterpartyId ?? '',
});

export function invoice(
  customerId: string,
  date: string,
  amount: string,
  reference: string,
  currency = 'EUR',
) {
  return {
    journalSymbol: 'SALES',
    entryDate: date,
    transactionType: TransactionType.INVOICE,
    reference,
    lines: [
      line('1200', 'debit', amount, { currency, counterpartyId: customerId }),
      line('4000', 'credit', amount, { currency }),
    ],
  };
}

export function payment(
  customerId: string,
  date: string,
  amount: string,
  reference = '',
  currency = 'EUR',
) {
  return {
    journalSymbol: 'BANK',
    entryDate: date,
    transactionType: TransactionType.PAYMENT,
    paymentMethod: 'card',
    reference,
    lines: [
      line('1100', 'debit', amount, { currency }),
      line('1200', 'credit', amount, { currency, counterpartyId: customerId }),
    ],
  };
}

export function creditNote(customerId: string, date: string, amount: string, reference = '') {
  return {
    journalSymbol: 'NOTE',
    entryDate: date,
    transactionType: TransactionType.CREDIT_NOTE,
    reference,
    lines: [
      line('4000', 'debit', amount),
      line('1200', 'credit', amount, { counterpartyId: customerId }),
    ],
  };
}

export function refund(customerId: string, date: string, amount: string) {
  return {
    journalSymbol: 'BANK',
    entryDate: date,
    transactionType: TransactionType.REFUND,
    paymentMethod: 'bank_transfer',
    lines: [
      line('1200', 'debit', amount, { counterpartyId: customerId }),
      line('1100', 'credit', amount),
    ],
  };
}
