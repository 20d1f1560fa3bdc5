import { Controller } from '@nestjs/common';
import {
  BalanceService,
  type GetAccountBalanceRequest,
  type GetCustomerBalanceRequest,
  type GetTrialBalanceRequest,
  type ListInvoicesRequest,
  type ListLedgerEntriesRequest,
} from '@kontor/contracts/ledger/v1/balance_service_pb';
import { pageSize } from '@kontor/db';
import { requireUuid } from '@kontor/errors';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { BalancesService } from '../balances.service';
import {
  parseCurrency,
  parseDate,
  parseDateRange,
  parseMonthRange,
  requireAccountCode,
  requireJournalSymbol,
} from '../domain/query-inputs';
import {
  toCustomerBalanceState,
  toInvoiceMessage,
  toLedgerEntryRowMessage,
  toMoneyMessage,
} from './balance.proto-mapper';

const optionalUuid = (field: string, value: string) =>
  value === '' ? null : requireUuid(field, value);

@Controller()
export class BalancesGrpcController {
  constructor(private readonly balances: BalancesService) {}

  @GrpcMethod(BalanceService, 'getAccountBalance')
  async getAccountBalance(request: GetAccountBalanceRequest, ctx: TenantCallContext) {
    const balances = await this.balances.accountBalance(
      ctx.caller.tenantId,
      requireUuid('ledger_id', request.ledgerId),
      requireAccountCode('account_code', request.accountCode),
      parseDate('as_of_date', request.asOfDate),
      optionalUuid('counterparty_id', request.counterpartyId),
    );

    return {
      balances: balances.map((b) => ({
        currency: b.currency,
        debit: toMoneyMessage(b.debit),
        credit: toMoneyMessage(b.credit),
        balance: toMoneyMessage(b.balance),
      })),
    };
  }

  @GrpcMethod(BalanceService, 'getCustomerBalance')
  async getCustomerBalance(request: GetCustomerBalanceRequest, ctx: TenantCallContext) {
    const balances = await this.balances.customerBalance(
      ctx.caller.tenantId,
      requireUuid('ledger_id', request.ledgerId),
      requireUuid('customer_id', request.customerId),
      parseDate('as_of_date', request.asOfDate),
    );

    return {
      balances: balances.map((b) => ({
        currency: b.currency,
        balance: toMoneyMessage(b.balance),
        state: toCustomerBalanceState(b.state),
      })),
    };
  }

  @GrpcMethod(BalanceService, 'listInvoices')
  async listInvoices(request: ListInvoicesRequest, ctx: TenantCallContext) {
    const list = await this.balances.invoices(
      ctx.caller.tenantId,
      requireUuid('ledger_id', request.ledgerId),
      requireUuid('customer_id', request.customerId),
      request.openOnly,
    );

    return {
      invoices: list.invoices.map(toInvoiceMessage),
      unappliedCredit: list.unappliedCredit.map(toMoneyMessage),
    };
  }

  @GrpcMethod(BalanceService, 'listLedgerEntries')
  async listLedgerEntries(request: ListLedgerEntriesRequest, ctx: TenantCallContext) {
    const dates = parseDateRange(request.fromDate, request.toDate);
    const page = await this.balances.listEntries(ctx.caller.tenantId, {
      ledgerId: requireUuid('ledger_id', request.ledgerId),
      customerId: optionalUuid('customer_id', request.customerId),
      accountCode:
        request.accountCode === '' ? null : requireAccountCode('account_code', request.accountCode),
      journalSymbol:
        request.journalSymbol === ''
          ? null
          : requireJournalSymbol('journal_symbol', request.journalSymbol),
      fromDate: dates.from,
      toDate: dates.to,
      showAll: request.showAll,
      currency: parseCurrency('currency', request.currency),
      pageSize: pageSize(request.pageSize),
      pageToken: request.pageToken,
    });

    return { rows: page.rows.map(toLedgerEntryRowMessage), nextPageToken: page.nextPageToken };
  }

  @GrpcMethod(BalanceService, 'getTrialBalance')
  async getTrialBalance(request: GetTrialBalanceRequest, ctx: TenantCallContext) {
    const ledgerId = requireUuid('ledger_id', request.ledgerId);
    const months = parseMonthRange(request.fromMonth, request.toMonth);
    const trial = await this.balances.trialBalance(ctx.caller.tenantId, ledgerId, months);

    return {
      rows: trial.rows.map((row) => ({
        accountCode: row.accountCode,
        currency: row.currency,
        openingBalance: toMoneyMessage(row.openingBalance),
        debit: toMoneyMessage(row.debit),
        credit: toMoneyMessage(row.credit),
        closingBalance: toMoneyMessage(row.closingBalance),
      })),
      totals: trial.totals.map((total) => ({
        currency: total.currency,
        debit: toMoneyMessage(total.debit),
        credit: toMoneyMessage(total.credit),
      })),
    };
  }
}
