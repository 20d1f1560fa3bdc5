import { Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { Money } from '@kontor/money';
import {
  applyCredits,
  customerBalanceState,
  receivableItems,
  type AppliedInvoice,
  type CustomerBalanceState,
} from './domain/apply-credits';
import {
  BalanceError,
  BalanceErrorCode,
  invalidQuery,
  UnbalancedTrialBalanceError,
} from './domain/balance.errors';
import {
  decodeListingToken,
  encodeListingToken,
  queryFingerprint,
} from './domain/listing-page-token';
import {
  trialBalanceTotals,
  type TrialBalanceRow,
  type TrialBalanceTotal,
} from './domain/trial-balance';
import { type MonthRange } from './domain/query-inputs';
import {
  ACCOUNT_BALANCE_FOR_COUNTERPARTY,
  ACCOUNT_BALANCE_FROM_TURNOVERS,
  CUSTOMER_BALANCE,
  CUSTOMER_RECEIVABLE_MOVEMENTS,
  LISTING_CURRENCIES,
  LISTING_PAGE,
  TRIAL_BALANCE,
} from './persistence/balance.sql';

export interface AccountBalance {
  currency: string;
  debit: Money;
  credit: Money;
  balance: Money;
}

export interface CustomerBalance {
  currency: string;
  balance: Money;
  state: CustomerBalanceState;
}

export interface InvoiceItem {
  entryId: string;
  reference: string;
  entryDate: string;
  dueDate: string;
  amount: Money;
}

export interface InvoiceList {
  invoices: AppliedInvoice<InvoiceItem>[];
  unappliedCredit: Money[];
}

export interface ListingQuery {
  ledgerId: string;
  customerId: string | null;
  accountCode: string | null;
  journalSymbol: string | null;
  fromDate: string | null;
  toDate: string | null;
  showAll: boolean;
  currency: string | null;
  pageSize: number;
  pageToken: string;
}

export interface ListingRow {
  entryId: string;
  journalSymbol: string;
  number: bigint;
  entryDate: string;
  transactionType: string;
  reference: string;
  customerName: string;
  paymentMethod: string;
  amount: Money;
  runningBalance: Money;
  description: string;
}

export interface ListingPage {
  rows: ListingRow[];
  nextPageToken: string;
}

export interface TrialBalance {
  rows: TrialBalanceRow[];
  totals: TrialBalanceTotal[];
}

interface LedgerRow {
  base_currency: string;
}

interface ListingSqlRow {
  id: string;
  entry_date: string;
  journal_symbol: string;
  number: string;
  sequence: string;
  transaction_type: string;
  reference: string;
  payment_method: string;
  description: string;
  amount: string;
  running_balance: string;
  customer_name: string;
}

/**
 * Balances, the customer ledger, listings and the trial balance, read from posted entries. Every
 * read starts from the caller's ledger: another tenant's ledger is NOT_FOUND, and every later
 * query is bound to that ledger's id.
 */
@Injectable()
export class BalancesService {
  private readonly logger = new Logger(BalancesService.name);

  constructor(private readonly orm: MikroORM) {}

  async accountBalance(
    tenantId: string,
    ledgerId: string,
    accountCode: string,
    asOf: string | null,
    counterpartyId: string | null,
  ): Promise<AccountBalance[]> {
    await this.ledger(tenantId, ledgerId);
    const accountId = await this.accountId(ledgerId, accountCode);
    if (counterpartyId !== null)
      await this.organization(tenantId, counterpartyId, 'counterparty_id');
    const rows = await this.sql<{ currency: string; debit: string; credit: string }>(
      counterpartyId === null ? ACCOUNT_BALANCE_FROM_TURNOVERS : ACCOUNT_BALANCE_FOR_COUNTERPARTY,
      counterpartyId === null ? [accountId, asOf] : [accountId, asOf, counterpartyId],
    );

    return rows.map((row) => {
      const debit = Money.fromDecimal(row.debit, row.currency);
      const credit = Money.fromDecimal(row.credit, row.currency);

      return { currency: row.currency, debit, credit, balance: debit.minus(credit) };
    });
  }

  /** Per currency; a customer without receivable lines is settled in the ledger's currency. */
  async customerBalance(
    tenantId: string,
    ledgerId: string,
    customerId: string,
    asOf: string | null,
  ): Promise<CustomerBalance[]> {
    const ledger = await this.ledger(tenantId, ledgerId);
    await this.organization(tenantId, customerId, 'customer_id');
    const rows = await this.sql<{ currency: string; balance: string }>(CUSTOMER_BALANCE, [
      ledgerId,
      customerId,
      asOf,
    ]);
    const balances = rows.map((row) => Money.fromDecimal(row.balance, row.currency));
    if (balances.length === 0) balances.push(Money.zero(ledger.base_currency));

    return balances.map((balance) => ({
      currency: balance.currency.code,
      balance,
      state: customerBalanceState(balance),
    }));
  }

  /**
   * A customer's invoices with the credit applied oldest first. Each entry's net effect on the
   * customer's receivable is split by receivableItems (invoices; reversals cancel the invoice
   * they reverse; everything else feeds the credit pool, signed) and the pool is applied by
   * applyCredits (see there for the rule).
   */
  async invoices(
    tenantId: string,
    ledgerId: string,
    customerId: string,
    openOnly: boolean,
  ): Promise<InvoiceList> {
    await this.ledger(tenantId, ledgerId);
    await this.organization(tenantId, customerId, 'customer_id');
    const rows = await this.sql<{
      id: string;
      transaction_type: string;
      reverses_entry_id: string | null;
      reference: string;
      entry_date: string;
      due_date: string;
      currency: string;
      net: string;
    }>(CUSTOMER_RECEIVABLE_MOVEMENTS, [ledgerId, customerId]);
    const { invoices, credits } = receivableItems(
      rows.map((row) => ({
        entryId: row.id,
        reversesEntryId: row.reverses_entry_id,
        transactionType: row.transaction_type,
        net: Money.fromDecimal(row.net, row.currency),
        reference: row.reference,
        entryDate: row.entry_date,
        dueDate: row.due_date,
      })),
    );
    const applied = applyCredits(invoices, credits);

    return {
      invoices: openOnly
        ? applied.invoices.filter((invoice) => !invoice.open.isZero())
        : applied.invoices,
      unappliedCredit: applied.unappliedCredit,
    };
  }

  async listEntries(tenantId: string, query: ListingQuery): Promise<ListingPage> {
    const ledger = await this.ledger(tenantId, query.ledgerId);
    const customerName =
      query.customerId === null
        ? null
        : (await this.organization(tenantId, query.customerId, 'customer_id')).name;
    const accountId =
      query.accountCode === null ? null : await this.accountId(query.ledgerId, query.accountCode);
    const scope = [query.ledgerId, query.customerId, accountId];
    const currency = query.currency ?? (await this.listingCurrency(scope, ledger.base_currency));
    const fingerprint = queryFingerprint([
      query.ledgerId,
      query.customerId,
      query.accountCode,
      query.journalSymbol?.toLowerCase() ?? null,
      query.fromDate,
      query.toDate,
      query.showAll,
      currency,
    ]);
    const after = decodeListingToken(query.pageToken, fingerprint);
    const rows = await this.sql<ListingSqlRow>(LISTING_PAGE, [
      ...scope,
      currency,
      query.fromDate,
      query.toDate,
      query.showAll,
      query.journalSymbol,
      query.customerId === null && accountId === null,
      after?.entryDate ?? null,
      after?.sequence ?? null,
      query.pageSize + 1,
    ]);
    const shown = rows.slice(0, query.pageSize);
    const page = shown.map((row) => ({
      entryId: row.id,
      journalSymbol: row.journal_symbol,
      number: BigInt(row.number),
      entryDate: row.entry_date,
      transactionType: row.transaction_type,
      reference: row.reference,
      customerName: customerName ?? row.customer_name,
      paymentMethod: row.payment_method,
      amount: Money.fromDecimal(row.amount, currency),
      runningBalance: Money.fromDecimal(row.running_balance, currency),
      description: row.description,
    }));
    const last = shown[shown.length - 1];
    const nextPageToken =
      rows.length > query.pageSize && last
        ? encodeListingToken({ entryDate: last.entry_date, sequence: last.sequence }, fingerprint)
        : '';

    return { rows: page, nextPageToken };
  }

  async trialBalance(
    tenantId: string,
    ledgerId: string,
    months: MonthRange,
  ): Promise<TrialBalance> {
    await this.ledger(tenantId, ledgerId);
    const rows = await this.sql<{
      code: string;
      currency: string;
      opening: string;
      debit: string;
      credit: string;
    }>(TRIAL_BALANCE, [ledgerId, months.from, months.toExclusive]);
    const turnovers = rows
      .map((row) => {
        const openingBalance = Money.fromDecimal(row.opening, row.currency);
        const debit = Money.fromDecimal(row.debit, row.currency);
        const credit = Money.fromDecimal(row.credit, row.currency);

        return {
          accountCode: row.code,
          currency: row.currency,
          openingBalance,
          debit,
          credit,
          closingBalance: openingBalance.plus(debit).minus(credit),
        };
      })
      .filter((row) => !(row.openingBalance.isZero() && row.debit.isZero() && row.credit.isZero()));
    try {
      return {
        rows: turnovers,
        totals: trialBalanceTotals(
          turnovers,
          `ledger ${ledgerId} ${months.from}..${months.toExclusive}`,
        ),
      };
    } catch (error) {
      if (error instanceof UnbalancedTrialBalanceError) {
        // The transport logs the stack with the incident reference it answers with.
        this.logger.error(
          `BUG: trial balance refused, the book does not balance: ${error.message}`,
        );
      }
      throw error;
    }
  }

  private async listingCurrency(scope: (string | null)[], baseCurrency: string): Promise<string> {
    const rows = await this.sql<{ currency: string }>(LISTING_CURRENCIES, scope);
    if (rows.length > 1) {
      throw invalidQuery(
        'currency',
        `required: this listing has entries in ${rows.map((row) => row.currency).join(', ')}`,
      );
    }

    return rows[0]?.currency ?? baseCurrency;
  }

  private async ledger(tenantId: string, ledgerId: string): Promise<LedgerRow> {
    const [ledger] = await this.sql<LedgerRow>(
      'SELECT base_currency FROM ledgers WHERE id = ? AND tenant_id = ?',
      [ledgerId, tenantId],
    );
    if (!ledger) {
      // Another tenant's ledger is indistinguishable from a missing one.
      throw new BalanceError(BalanceErrorCode.LEDGER_NOT_FOUND, `ledger ${ledgerId} not found`, {
        fieldViolations: [{ field: 'ledger_id', description: 'no such ledger for this tenant' }],
      });
    }

    return ledger;
  }

  private async accountId(ledgerId: string, code: string): Promise<string> {
    const [account] = await this.sql<{ id: string }>(
      'SELECT id FROM accounts WHERE ledger_id = ? AND code = ?',
      [ledgerId, code],
    );
    if (!account) {
      throw new BalanceError(
        BalanceErrorCode.ACCOUNT_NOT_FOUND,
        `account ${code} not found in ledger ${ledgerId}`,
        { fieldViolations: [{ field: 'account_code', description: `no account "${code}"` }] },
      );
    }

    return account.id;
  }

  private async organization(
    tenantId: string,
    organizationId: string,
    field: string,
  ): Promise<{ name: string }> {
    const [organization] = await this.sql<{ name: string }>(
      'SELECT name FROM organizations WHERE id = ? AND tenant_id = ?',
      [organizationId, tenantId],
    );
    if (!organization) {
      throw new BalanceError(
        BalanceErrorCode.ORGANIZATION_NOT_FOUND,
        `organization ${organizationId} not found`,
        { fieldViolations: [{ field, description: 'no such organization for this tenant' }] },
      );
    }

    return organization;
  }

  private sql<Row>(statement: string, params: unknown[]): Promise<Row[]> {
    return this.orm.em.fork().getConnection().execute<Row[]>(statement, params);
  }
}
