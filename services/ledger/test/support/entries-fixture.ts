import { randomUUID } from 'node:crypto';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  EntrySide,
  TransactionType,
  type EntrySource,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { type LedgerHarness, type TestTenant } from './ledger-harness';

/** A plain EntryLine init (spreads stay plain objects). */
export interface LineInit {
  accountCode: string;
  side: EntrySide;
  amount: { amount: string; currency: string };
  counterpartyId?: string;
  product?: string;
  orderId?: string;
  dealId?: string;
  memo?: string;
}

/** A plain EntryInput init. */
export interface EntryInit {
  idempotencyKey: string;
  ledgerId: string;
  journalSymbol: string;
  entryDate: string;
  transactionType: TransactionType;
  lines: LineInit[];
  paymentMethod?: string;
  reference?: string;
  description?: string;
  source?: EntrySource;
  dueDate?: string;
}

export interface EntriesBook {
  ledgerId: string;
  fiscalYearId: string;
  /** account code → id */
  accounts: Record<string, string>;
  /** a customer organization of the tenant */
  customerId: string;
}

/** Accounts of the test chart: code, type, balance limit. */
export const TEST_CHART: readonly [string, string, string | null][] = [
  ['1000', 'asset', 'no_negative'], // cash: never below zero
  ['1100', 'asset', null], // bank
  ['1200', 'asset', null], // receivables
  ['2000', 'liability', 'no_positive'], // payables: never a debit balance
  ['3000', 'equity', null],
  ['4000', 'revenue', null],
  ['5000', 'expense', null],
];

/**
 * A ledger (through gRPC) with a chart, one fiscal year of 12 months (those in `closedMonths`
 * closed, the next year missing) and journals CASH, BANK, SALES, NOTE, seeded with SQL until
 * the reference-data APIs exist.
 */
export async function setUpEntriesBook(
  harness: LedgerHarness,
  tenant: TestTenant,
  options: { year?: number; currency?: string; closedMonths?: number[] } = {},
): Promise<EntriesBook> {
  const year = options.year ?? 2026;
  const ledgers = harness.client(LedgerService, tenant.token);
  const { ledger } = await ledgers.createLedger({
    requestId: randomUUID(),
    name: `Book ${randomUUID().slice(0, 8)}`,
    baseCurrency: options.currency ?? 'EUR',
  });
  const ledgerId = ledger!.id;
  const fiscalYearId = randomUUID();
  const accounts: Record<string, string> = {};
  for (const [code, type, limit] of TEST_CHART) {
    accounts[code] = randomUUID();
    await harness.query(
      `INSERT INTO ledger.accounts (id, tenant_id, ledger_id, code, name, type, balance_limit, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
      [accounts[code], tenant.id, ledgerId, code, `Account ${code}`, type, limit],
    );
  }
  await harness.query(
    `INSERT INTO ledger.fiscal_years (id, tenant_id, ledger_id, name, first_month, last_month, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, now())`,
    [fiscalYearId, tenant.id, ledgerId, `FY${year}`, `${year}-01-01`, `${year}-12-01`],
  );
  await harness.query(
    `INSERT INTO ledger.fiscal_months (ledger_id, month, tenant_id, fiscal_year_id, status)
     SELECT $1, make_date($4, m, 1), $2, $3,
            CASE WHEN m = ANY($5::int[]) THEN 'closed' ELSE 'open' END
       FROM generate_series(1, 12) AS m`,
    [ledgerId, tenant.id, fiscalYearId, year, options.closedMonths ?? []],
  );
  for (const symbol of ['CASH', 'BANK', 'SALES', 'NOTE']) {
    await harness.query(
      `INSERT INTO ledger.journals (id, tenant_id, ledger_id, fiscal_year_id, symbol, name, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())`,
      [randomUUID(), tenant.id, ledgerId, fiscalYearId, symbol, `Journal ${symbol}`],
    );
  }
  const customerId = randomUUID();
  await harness.query(
    `INSERT INTO ledger.organizations (id, tenant_id, external_id, kind, name, created_at)
     VALUES ($1, $2, $3, 'customer', 'Customer One', now())`,
    [customerId, tenant.id, `cust-${customerId.slice(0, 8)}`],
  );

  return { ledgerId, fiscalYearId, accounts, customerId };
}

export interface SimpleEntry {
  key?: string;
  journal?: string;
  date?: string;
  debit: string;
  credit: string;
  amount: string;
  currency?: string;
  type?: TransactionType;
}

/** A two-line entry: debit one account, credit another. */
export function twoLine(ledgerId: string, entry: SimpleEntry): EntryInit {
  const amount = { amount: entry.amount, currency: entry.currency ?? 'EUR' };

  return {
    idempotencyKey: entry.key ?? randomUUID(),
    ledgerId,
    journalSymbol: entry.journal ?? 'CASH',
    entryDate: entry.date ?? '2026-03-15',
    transactionType: entry.type ?? TransactionType.PAYMENT,
    lines: [
      { accountCode: entry.debit, side: EntrySide.DEBIT, amount },
      { accountCode: entry.credit, side: EntrySide.CREDIT, amount },
    ],
  };
}
