import { Injectable } from '@nestjs/common';
import { IsolationLevel } from '@mikro-orm/core';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { pageSize } from '@kontor/db';
import { quoteInput, requireUuid } from '@kontor/errors';
import { Money } from '@kontor/money';
import { query, type Row } from '../database/sql';
import { ReadModelService } from '../read-model/read-model.service';
import {
  dateRange,
  decodeListingToken,
  encodeListingToken,
  MONTHS_MAX,
  monthsBetween,
  monthStart,
  nextMonth,
  optionalCurrency,
  optionalDate,
  requiredDate,
  type ListingPosition,
} from './domain/query-inputs';
import { formatMinor, toMinor } from './domain/minor-units';
import { type ExportAccount } from './domain/quickbooks';
import { invalidQuery, ReportError, ReportErrorCode } from './domain/report.errors';
import * as SQL from './persistence/reports.sql';

/** Money on the wire: an exact decimal string with its currency. */
export interface WireMoney {
  amount: string;
  currency: string;
}

export const money = (value: Money): WireMoney => ({
  amount: value.toString(),
  currency: value.currency.code,
});

const dec = (text: string, currency: string): Money => Money.fromDecimal(text, currency);

/** What every report request names: the ledger and how current the answer must be. */
export interface ScopeInput {
  ledgerId: string;
  minSequence: bigint;
}

/** A resolved scope: the model version the report reads and how current it is. */
export interface Scope {
  tenantId: string;
  ledgerId: string;
  version: number;
  currentSequence: bigint;
  baseCurrency: string | null;
  em: EntityManager;
}

export interface AccountTurnoverRow {
  accountCode: string;
  accountName: string;
  accountType: string;
  currency: string;
  openingBalance: WireMoney;
  debit: WireMoney;
  credit: WireMoney;
  closingBalance: WireMoney;
  period: string;
}

export interface StatementRow {
  entryId: string;
  ledgerSequence: bigint;
  entryDate: string;
  journalSymbol: string;
  number: bigint;
  transactionType: string;
  reference: string;
  description: string;
  paymentMethod: string;
  counterpartyId: string;
  counterpartyName: string;
  debit: WireMoney;
  credit: WireMoney;
  amount: WireMoney;
  runningBalance: WireMoney;
  accountCode: string;
  dueDate: string;
}

export interface Listing {
  openingBalance?: WireMoney;
  closingBalance?: WireMoney;
  rows: StatementRow[];
  nextPageToken: string;
  currentSequence: bigint;
}

export interface JournalLine {
  entryId: string;
  entryDate: string;
  lineNo: number;
  journalSymbol: string;
  number: string;
  transactionType: string;
  reference: string;
  description: string;
  memo: string;
  accountCode: string;
  accountName: string;
  isDebit: boolean;
  amount: Money;
  counterpartyName: string;
}

export interface AgingRow {
  customerId: string;
  customerName: string;
  currency: string;
  current: WireMoney;
  days130: WireMoney;
  days3160: WireMoney;
  days6190: WireMoney;
  daysOver90: WireMoney;
  total: WireMoney;
  unappliedCredit: WireMoney;
}

const AGING_FIELDS = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const;

export type IncomeBreakdownName = 'none' | 'product' | 'vendor' | 'counterparty';

/**
 * The reports over the read models. Each resolves its scope first (the ledger must be the
 * caller tenant's; an optional wait for a ledger sequence), then reads one model version.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly readModel: ReadModelService,
  ) {}

  /**
   * Runs a report in one read-only REPEATABLE READ transaction: every query of the report (sums,
   * page, watermark) sees the same snapshot, so they agree with each other even while events
   * arrive or a rebuild swaps versions.
   */
  async run<T>(
    tenantId: string,
    input: ScopeInput,
    waitMs: number,
    report: (scope: Scope) => Promise<T>,
  ): Promise<{ result: T; scope: Scope }> {
    await this.waitFor(input, waitMs);

    return this.orm.em.fork().transactional(
      async (em) => {
        const scope = await this.resolve(em, tenantId, input);

        return { result: await report(scope), scope };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  /** The scope outside a transaction (exports, which stream page by page). */
  async scope(tenantId: string, input: ScopeInput, waitMs: number): Promise<Scope> {
    await this.waitFor(input, waitMs);

    return this.resolve(this.orm.em.fork(), tenantId, input);
  }

  private async waitFor(input: ScopeInput, waitMs: number): Promise<void> {
    const ledgerId = requireUuid('scope.ledger_id', input.ledgerId);
    if (input.minSequence < 0n) {
      throw invalidQuery('scope.min_sequence', `must be >= 0, got ${input.minSequence}`);
    }
    if (input.minSequence > 0n) {
      await this.readModel.waitForSequence(ledgerId, input.minSequence, waitMs);
    }
  }

  private async resolve(em: EntityManager, tenantId: string, input: ScopeInput): Promise<Scope> {
    const ledgerId = requireUuid('scope.ledger_id', input.ledgerId);
    const version = await this.readModel.activeVersion(em);
    const [ledger] = await query<{
      known: boolean;
      base_currency: string | null;
      current_sequence: string;
    }>(em, SQL.LEDGER_OF_TENANT, [version, tenantId, ledgerId]);
    if (!ledger.known) {
      // Another tenant's ledger is indistinguishable from a missing one.
      throw new ReportError(ReportErrorCode.LEDGER_NOT_FOUND, `ledger ${ledgerId} not found`, {
        fieldViolations: [
          { field: 'scope.ledger_id', description: 'no such ledger for this tenant' },
        ],
      });
    }

    return {
      tenantId,
      ledgerId,
      version,
      currentSequence: BigInt(ledger.current_sequence),
      baseCurrency: ledger.base_currency,
      em,
    };
  }

  private params(scope: Scope): unknown[] {
    return [scope.version, scope.tenantId, scope.ledgerId];
  }

  async trialBalance(scope: Scope, fromDate: string, toDate: string) {
    const range = dateRange(
      { field: 'from_date', value: fromDate },
      { field: 'to_date', value: toDate },
    );
    const found = await query<Row & Record<string, string>>(scope.em, SQL.TRIAL_BALANCE, [
      ...this.params(scope),
      range.from,
      range.to,
    ]);
    const totals = new Map<
      string,
      { debit: Money; credit: Money; opening: Money; closing: Money }
    >();
    const rows: AccountTurnoverRow[] = found.map((row) => {
      const opening = dec(row.opening, row.currency);
      const debit = dec(row.debit, row.currency);
      const credit = dec(row.credit, row.currency);
      const closing = opening.plus(debit).minus(credit);
      const zero = Money.zero(row.currency);
      const total = totals.get(row.currency) ?? {
        debit: zero,
        credit: zero,
        opening: zero,
        closing: zero,
      };
      totals.set(row.currency, {
        debit: total.debit.plus(debit),
        credit: total.credit.plus(credit),
        opening: total.opening.plus(opening),
        closing: total.closing.plus(closing),
      });

      return {
        accountCode: row.account_code,
        accountName: row.account_name,
        accountType: row.account_type,
        currency: row.currency,
        openingBalance: money(opening),
        debit: money(debit),
        credit: money(credit),
        closingBalance: money(closing),
        period: '',
      };
    });

    return {
      rows,
      totals: [...totals.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, total]) => ({
          currency,
          debit: money(total.debit),
          credit: money(total.credit),
          openingBalance: money(total.opening),
          closingBalance: money(total.closing),
        })),
    };
  }

  async turnovers(scope: Scope, fromMonth: string, toMonth: string, accountCode: string) {
    const from = monthStart('from_month', fromMonth);
    const to = monthStart('to_month', toMonth);
    if (to < from) {
      throw invalidQuery(
        'to_month',
        `must not be before from_month (${fromMonth}), got ${toMonth}`,
      );
    }
    const months = monthsBetween(from, to);
    if (months.length > MONTHS_MAX) {
      throw invalidQuery('to_month', `the range may span at most ${MONTHS_MAX} months`);
    }
    if (accountCode !== '') await this.requireAccount(scope, accountCode, 'account_code');
    const found = await query<Row & Record<string, string | null>>(
      scope.em,
      SQL.MONTHLY_TURNOVERS,
      [...this.params(scope), from, nextMonth(to), accountCode || null],
    );
    // Per account and currency: the months in order, each opening with the previous closing.
    const rows: AccountTurnoverRow[] = [];
    const groups = new Map<string, (typeof found)[number][]>();
    for (const row of found) {
      const key = `${row.account_code}\u0000${row.currency}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    for (const group of groups.values()) {
      const { account_code, account_name, account_type, currency } = group[0] as Record<
        string,
        string
      >;
      const byMonth = new Map(group.map((row) => [row.month, row]));
      const before = byMonth.get(null);
      let balance = before
        ? dec(before.debit!, currency).minus(dec(before.credit!, currency))
        : Money.zero(currency);
      for (const month of months) {
        const row = byMonth.get(month);
        const debit = row ? dec(row.debit!, currency) : Money.zero(currency);
        const credit = row ? dec(row.credit!, currency) : Money.zero(currency);
        const closing = balance.plus(debit).minus(credit);
        if (row || !balance.isZero()) {
          rows.push({
            accountCode: account_code,
            accountName: account_name,
            accountType: account_type,
            currency,
            openingBalance: money(balance),
            debit: money(debit),
            credit: money(credit),
            closingBalance: money(closing),
            period: month,
          });
        }
        balance = closing;
      }
    }

    return { rows };
  }

  private async requireAccount(scope: Scope, code: string, field: string): Promise<string> {
    const [account] = await query<{ known: boolean; name: string | null }>(
      scope.em,
      SQL.ACCOUNT_OF_LEDGER,
      [...this.params(scope), code],
    );
    if (!account.known) {
      throw new ReportError(
        ReportErrorCode.ACCOUNT_NOT_FOUND,
        `account ${quoteInput(code)} not found in ledger ${scope.ledgerId}`,
        { fieldViolations: [{ field, description: 'no such account in this ledger' }] },
      );
    }

    return account.name ?? '';
  }

  /** The currency asked for, else the only one there is, else the base currency. */
  private async pickCurrency(
    scope: Scope,
    asked: string,
    sql: string,
    params: unknown[],
    what: string,
  ): Promise<string> {
    const currency = optionalCurrency('currency', asked);
    if (currency !== null) return currency;
    const found = (await query<{ currency: string }>(scope.em, sql, params)).map(
      (row) => row.currency,
    );
    if (found.length > 1) {
      throw invalidQuery(
        'currency',
        `is required: ${what} has lines in ${found.join(', ')}; amounts are never converted`,
      );
    }

    return found[0] ?? scope.baseCurrency ?? 'EUR';
  }

  async accountStatement(
    scope: Scope,
    input: {
      accountCode: string;
      counterpartyId: string;
      currency: string;
      fromDate: string;
      toDate: string;
      pageSize: number;
      pageToken: string;
    },
  ): Promise<Listing> {
    if (input.accountCode === '') throw invalidQuery('account_code', 'is required');
    const size = pageSize(input.pageSize);
    const range = dateRange(
      { field: 'from_date', value: input.fromDate },
      { field: 'to_date', value: input.toDate },
    );
    const after = decodeListingToken(input.pageToken);
    const counterparty =
      input.counterpartyId === '' ? null : requireUuid('counterparty_id', input.counterpartyId);
    await this.requireAccount(scope, input.accountCode, 'account_code');
    const currency = await this.pickCurrency(
      scope,
      input.currency,
      SQL.ACCOUNT_CURRENCIES,
      [...this.params(scope), input.accountCode],
      `account ${input.accountCode}`,
    );
    const params = [
      ...this.params(scope),
      input.accountCode,
      currency,
      counterparty,
      range.from,
      range.to,
      after?.date ?? null,
      after?.sequence ?? null,
      after?.line ?? null,
    ];
    const [sums] = await query<Record<string, string>>(
      scope.em,
      counterparty === null ? SQL.ACCOUNT_STATEMENT_SUMS_BY_DAY : SQL.ACCOUNT_STATEMENT_SUMS,
      params,
    );
    const found = await query<Record<string, string>>(scope.em, SQL.ACCOUNT_STATEMENT_PAGE, [
      ...params,
      size + 1,
    ]);
    const start = dec(sums.opening, currency).plus(
      after ? dec(sums.before_page, currency) : Money.zero(currency),
    );
    const rows = found
      .slice(0, size)
      .map((row) => statementRow(row, currency, start, row.account_code));
    const last = found.length > size ? found[size - 1] : undefined;

    return {
      openingBalance: money(dec(sums.opening, currency)),
      closingBalance: money(dec(sums.closing, currency)),
      rows,
      nextPageToken: last
        ? encodeListingToken({
            date: last.entry_date,
            sequence: last.ledger_sequence,
            line: Number(last.line_no),
          })
        : '',
      currentSequence: scope.currentSequence,
    };
  }

  async customerStatement(
    scope: Scope,
    input: {
      customerId: string;
      currency: string;
      fromDate: string;
      toDate: string;
      showAll: boolean;
      pageSize: number;
      pageToken: string;
    },
  ): Promise<Listing & { customerName: string }> {
    const customerId = requireUuid('customer_id', input.customerId);
    const size = pageSize(input.pageSize);
    const range = dateRange(
      { field: 'from_date', value: input.fromDate },
      { field: 'to_date', value: input.toDate },
    );
    const after = decodeListingToken(input.pageToken);
    const customerName = await this.requireCustomer(scope, customerId);
    const currency = await this.pickCurrency(
      scope,
      input.currency,
      SQL.CUSTOMER_CURRENCIES,
      [...this.params(scope), customerId],
      `customer ${customerId}`,
    );
    const params = [
      ...this.params(scope),
      customerId,
      currency,
      range.from,
      range.to,
      after?.date ?? null,
      after?.sequence ?? null,
      input.showAll,
    ];
    const [sums] = await query<Record<string, string>>(
      scope.em,
      SQL.CUSTOMER_STATEMENT_SUMS,
      params,
    );
    const found = await query<Record<string, string>>(scope.em, SQL.CUSTOMER_STATEMENT_PAGE, [
      ...params,
      size + 1,
    ]);
    const start = dec(sums.before_page, currency);
    const rows = found.slice(0, size).map((row) => ({
      ...statementRow(row, currency, start, ''),
      counterpartyId: customerId,
      counterpartyName: customerName,
    }));
    const last = found.length > size ? found[size - 1] : undefined;

    return {
      customerName,
      openingBalance: money(dec(sums.opening, currency)),
      closingBalance: money(dec(sums.closing, currency)),
      rows,
      nextPageToken: last
        ? encodeListingToken({ date: last.entry_date, sequence: last.ledger_sequence, line: 0 })
        : '',
      currentSequence: scope.currentSequence,
    };
  }

  private async requireCustomer(scope: Scope, customerId: string): Promise<string> {
    const [organization] = await query<{ name: string }>(scope.em, SQL.ORGANIZATION_OF_TENANT, [
      scope.version,
      scope.tenantId,
      customerId,
    ]);
    if (!organization) {
      throw new ReportError(
        ReportErrorCode.CUSTOMER_NOT_FOUND,
        `customer ${customerId} not found`,
        {
          fieldViolations: [
            { field: 'customer_id', description: 'no such organization for this tenant' },
          ],
        },
      );
    }

    return organization.name;
  }

  async generalLedger(
    scope: Scope,
    input: {
      currency: string;
      fromDate: string;
      toDate: string;
      showAll: boolean;
      journalSymbol: string;
      pageSize: number;
      pageToken: string;
    },
  ): Promise<Listing> {
    const size = pageSize(input.pageSize);
    const range = dateRange(
      { field: 'from_date', value: input.fromDate },
      { field: 'to_date', value: input.toDate },
    );
    const after = decodeListingToken(input.pageToken);
    const currency = await this.pickCurrency(
      scope,
      input.currency,
      SQL.LEDGER_CURRENCIES,
      this.params(scope),
      `ledger ${scope.ledgerId}`,
    );
    // The running total counts every entry; the filters only choose the rows shown. Entries
    // are read in chunks along the index from the page token until the page is full.
    const [before] = await query<{ total: string }>(scope.em, SQL.GENERAL_LEDGER_BEFORE, [
      ...this.params(scope),
      currency,
      range.from,
      after?.date ?? null,
      after?.sequence ?? null,
    ]);
    const shown = (row: Record<string, string>) =>
      (input.showAll || row.transaction_type === 'payment' || row.transaction_type === 'refund') &&
      (input.journalSymbol === '' ||
        row.journal_symbol.toLowerCase() === input.journalSymbol.toLowerCase());
    const chunk = Math.max(4 * (size + 1), 200);
    const rows: StatementRow[] = [];
    let base = dec(before.total, currency);
    let position = after ? { date: after.date, sequence: after.sequence } : null;
    let last: Record<string, string> | undefined;
    let more = false;
    for (;;) {
      const found = await query<Record<string, string>>(scope.em, SQL.GENERAL_LEDGER_CHUNK, [
        ...this.params(scope),
        currency,
        range.from,
        range.to,
        position?.date ?? null,
        position?.sequence ?? null,
        chunk,
      ]);
      for (const row of found) {
        if (!shown(row)) continue;
        if (rows.length === size) {
          more = true;
          break;
        }
        rows.push(statementRow(row, currency, base, ''));
        last = row;
      }
      if (more || found.length < chunk) break;
      const end = found[found.length - 1];
      base = base.plus(dec(end.running, currency));
      position = { date: end.entry_date, sequence: end.ledger_sequence };
    }

    return {
      rows,
      nextPageToken:
        more && last
          ? encodeListingToken({ date: last.entry_date, sequence: last.ledger_sequence, line: 0 })
          : '',
      currentSequence: scope.currentSequence,
    };
  }

  /** The ledger's accounts with type and role, in code order (the IIF account list). */
  async ledgerAccounts(scope: Scope): Promise<ExportAccount[]> {
    const rows: Record<string, string>[] = await query(
      scope.em,
      SQL.LEDGER_ACCOUNTS,
      this.params(scope),
    );
    return rows.map((row) => ({
      code: row.code,
      name: row.name,
      type: row.type,
      role: row.role,
    }));
  }

  /** Every line of the entries in range, in listing order, in chunks (journal exports). */
  async *journalLines(
    scope: Scope,
    input: { currency: string; fromDate: string; toDate: string },
    chunk = 5000,
  ): AsyncGenerator<JournalLine[]> {
    const range = dateRange(
      { field: 'from_date', value: input.fromDate },
      { field: 'to_date', value: input.toDate },
    );
    const currency = await this.pickCurrency(
      scope,
      input.currency,
      SQL.LEDGER_CURRENCIES,
      this.params(scope),
      `ledger ${scope.ledgerId}`,
    );
    let after: ListingPosition | null = null;
    for (;;) {
      const found: Record<string, string | number | boolean>[] = await query(
        scope.em,
        SQL.JOURNAL_LINES,
        [
          ...this.params(scope),
          currency,
          range.from,
          range.to,
          // One snapshot across chunks: entries posted after the export started stay out.
          scope.currentSequence.toString(),
          after?.date ?? null,
          after?.sequence ?? null,
          after?.line ?? null,
          chunk,
        ],
      );
      if (found.length === 0) return;
      yield found.map((row) => ({
        entryId: String(row.entry_id),
        entryDate: String(row.entry_date),
        lineNo: Number(row.line_no),
        journalSymbol: String(row.journal_symbol),
        number: String(row.number),
        transactionType: String(row.transaction_type),
        reference: String(row.reference),
        description: String(row.description),
        memo: String(row.memo),
        accountCode: String(row.account_code),
        accountName: String(row.account_name),
        isDebit: row.is_debit === true,
        amount: dec(String(row.amount), currency),
        counterpartyName: String(row.counterparty_name),
      }));
      if (found.length < chunk) return;
      const last = found[found.length - 1];
      after = {
        date: String(last.entry_date),
        sequence: String(last.ledger_sequence),
        line: Number(last.line_no),
      };
    }
  }

  async receivablesAging(scope: Scope, asOfDate: string) {
    const asOf = requiredDate('as_of_date', asOfDate);
    // The maintained open items answer for any day on or after the latest receivable movement
    // (the usual "as of today"); an earlier day is computed from the lines up to it.
    const [{ last_date: lastDate }] = await query<{ last_date: string | null }>(
      scope.em,
      SQL.RECEIVABLES_LAST_DATE,
      this.params(scope),
    );
    const found = await query<Record<string, string>>(
      scope.em,
      lastDate === null || lastDate <= asOf
        ? SQL.RECEIVABLES_AGING_OPEN_ITEMS
        : SQL.RECEIVABLES_AGING,
      [...this.params(scope), asOf],
    );
    // Thousands of customers: figures are added as minor units (see minor-units.ts).
    const fields = [...AGING_FIELDS, 'total', 'unapplied_credit'] as const;
    const totals = new Map<string, bigint[]>();
    const customers: AgingRow[] = found.map((row) => {
      const amounts = fields.map((field) => toMinor(row[field], row.currency));
      const total = totals.get(row.currency);
      totals.set(row.currency, total ? total.map((sum, index) => sum + amounts[index]) : amounts);

      return agingRow(row.customer_id, row.customer_name, row.currency, amounts);
    });

    return {
      customers,
      totals: [...totals.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, amounts]) => agingRow('', '', currency, amounts)),
    };
  }

  async incomeStatement(
    scope: Scope,
    fromDate: string,
    toDate: string,
    breakdown: IncomeBreakdownName,
  ) {
    const range = dateRange(
      { field: 'from_date', value: fromDate },
      { field: 'to_date', value: toDate },
      true,
    );
    // Whole months read the monthly turnovers; other ranges the daily ones.
    const wholeMonths =
      range.from!.endsWith('-01') && nextMonth(range.to!.slice(0, 8) + '01') === addDay(range.to!);
    const found = await query<Record<string, string>>(
      scope.em,
      breakdown === 'none'
        ? SQL.INCOME_BY_ACCOUNT
        : wholeMonths
          ? SQL.INCOME_BY_MONTHS
          : SQL.INCOME_BY_DETAIL,
      [...this.params(scope), range.from, range.to, ...(breakdown === 'none' ? [] : [breakdown])],
    );
    const totals = new Map<
      string,
      { period: string; currency: string; revenue: Money; expense: Money }
    >();
    const add = (period: string, currency: string, type: string, amount: Money) => {
      const key = `${period}\u0000${currency}`;
      const total = totals.get(key) ?? {
        period,
        currency,
        revenue: Money.zero(currency),
        expense: Money.zero(currency),
      };
      if (type === 'revenue') total.revenue = total.revenue.plus(amount);
      else total.expense = total.expense.plus(amount);
      totals.set(key, total);
    };
    const rows = found.map((row) => {
      const amount = dec(row.amount, row.currency);
      add(row.period, row.currency, row.account_type, amount);
      add('', row.currency, row.account_type, amount);

      return {
        period: row.period,
        accountType: row.account_type,
        accountCode: row.account_code,
        accountName: row.account_name,
        breakdownKey: row.breakdown_key,
        breakdownLabel: row.breakdown_label,
        amount: money(amount),
      };
    });
    const ordered = [...totals.values()].sort((a, b) => {
      const [pa, pb] = [a.period || '9999', b.period || '9999'];
      if (pa !== pb) return pa < pb ? -1 : 1;

      return a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0;
    });

    return {
      rows,
      totals: ordered.map((total) => ({
        period: total.period,
        currency: total.currency,
        revenue: money(total.revenue),
        expense: money(total.expense),
        netIncome: money(total.revenue.minus(total.expense)),
      })),
    };
  }

  async balanceSheet(scope: Scope, asOfDate: string) {
    const asOf = optionalDate('as_of_date', asOfDate);
    const found = await query<Record<string, string>>(scope.em, SQL.BALANCES_BY_TYPE, [
      ...this.params(scope),
      asOf,
    ]);
    const sections = ['asset', 'liability', 'equity'] as const;
    const rows: {
      section: string;
      accountCode: string;
      accountName: string;
      balance: WireMoney;
      currency: string;
    }[] = [];
    const totals = new Map<string, Record<'asset' | 'liability' | 'equity', Money>>();
    const totalOf = (currency: string) => {
      const zero = Money.zero(currency);
      const total = totals.get(currency) ?? { asset: zero, liability: zero, equity: zero };
      totals.set(currency, total);

      return total;
    };
    const earnings = new Map<string, Money>();
    for (const row of found) {
      const balance = dec(row.balance, row.currency);
      const total = totalOf(row.currency);
      if (row.account_type === 'revenue' || row.account_type === 'expense') {
        // Unclosed earnings: credit minus debit of the income accounts.
        earnings.set(
          row.currency,
          (earnings.get(row.currency) ?? Money.zero(row.currency)).minus(balance),
        );
        continue;
      }
      const section = (sections as readonly string[]).includes(row.account_type)
        ? (row.account_type as (typeof sections)[number])
        : 'asset';
      const natural = section === 'asset' ? balance : balance.negate();
      total[section] = total[section].plus(natural);
      rows.push({
        section,
        accountCode: row.account_code,
        accountName: row.account_name,
        balance: money(natural),
        currency: row.currency,
      });
    }
    for (const [currency, amount] of earnings) {
      const total = totalOf(currency);
      total.equity = total.equity.plus(amount);
      rows.push({
        section: 'equity',
        accountCode: '',
        accountName: 'Current earnings',
        balance: money(amount),
        currency,
      });
    }
    const rank = (section: string) => sections.indexOf(section as (typeof sections)[number]);
    rows.sort(
      (a, b) =>
        rank(a.section) - rank(b.section) ||
        (a.accountCode === '' ? 1 : 0) - (b.accountCode === '' ? 1 : 0) ||
        (a.accountCode < b.accountCode ? -1 : a.accountCode > b.accountCode ? 1 : 0) ||
        (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0),
    );

    return {
      rows: rows.map(({ currency: _currency, ...row }) => row),
      totals: [...totals.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([currency, total]) => ({
          currency,
          assets: money(total.asset),
          liabilities: money(total.liability),
          equity: money(total.equity),
        })),
    };
  }
}

/** The day after "YYYY-MM-DD". */
function addDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function statementRow(
  row: Record<string, string>,
  currency: string,
  start: Money,
  accountCode: string,
): StatementRow {
  return {
    entryId: row.entry_id,
    ledgerSequence: BigInt(row.ledger_sequence),
    entryDate: row.entry_date,
    journalSymbol: row.journal_symbol,
    number: BigInt(row.number),
    transactionType: row.transaction_type,
    reference: row.reference,
    description: row.description,
    paymentMethod: row.payment_method,
    counterpartyId: row.counterparty_id ?? '',
    counterpartyName: row.counterparty_name ?? '',
    debit: money(dec(row.debit, currency)),
    credit: money(dec(row.credit, currency)),
    amount: money(dec(row.amount, currency)),
    runningBalance: money(start.plus(dec(row.running, currency))),
    accountCode,
    dueDate: row.due_date ?? '',
  };
}

function agingRow(
  customerId: string,
  customerName: string,
  currency: string,
  amounts: readonly bigint[],
): AgingRow {
  const [current, days130, days3160, days6190, daysOver90, total, unappliedCredit] = amounts.map(
    (minor) => ({ amount: formatMinor(minor, currency), currency }),
  );

  return {
    customerId,
    customerName,
    currency,
    current,
    days130,
    days3160,
    days6190,
    daysOver90,
    total,
    unappliedCredit,
  };
}
