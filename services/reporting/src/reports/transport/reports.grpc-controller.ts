import { Controller } from '@nestjs/common';
import {
  IncomeBreakdown,
  ReportingService,
  type GetAccountStatementRequest,
  type GetBalanceSheetRequest,
  type GetCustomerStatementRequest,
  type GetIncomeStatementRequest,
  type GetReceivablesAgingRequest,
  type GetTrialBalanceRequest,
  type GetTurnoversRequest,
  type ListGeneralLedgerRequest,
  type ReportScope,
} from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import { transactionTypeOf } from '../../read-model/transport/entry-lines.mapper';
import {
  ReportsService,
  type IncomeBreakdownName,
  type Listing,
  type Scope,
  type StatementRow,
} from '../reports.service';

const freshness = (scope: Scope) => ({ currentSequence: scope.currentSequence });
const scopeInput = (scope: ReportScope | undefined) => ({
  ledgerId: scope?.ledgerId ?? '',
  minSequence: scope?.minSequence ?? 0n,
});
// Waiting for min_sequence ends a little before the caller's deadline, to answer in time.
const waitMs = (ctx: TenantCallContext) => Math.max(0, ctx.remainingMs() - 100);

export const BREAKDOWNS: Record<IncomeBreakdown, IncomeBreakdownName> = {
  [IncomeBreakdown.UNSPECIFIED]: 'none',
  [IncomeBreakdown.PRODUCT]: 'product',
  [IncomeBreakdown.VENDOR]: 'vendor',
  [IncomeBreakdown.COUNTERPARTY]: 'counterparty',
};

export function breakdownOf(value: IncomeBreakdown): IncomeBreakdownName {
  return BREAKDOWNS[value] ?? 'none';
}

export const toStatementRow = (row: StatementRow) => ({
  ...row,
  transactionType: transactionTypeOf(row.transactionType),
});

const listing = (page: Listing) => ({
  ...page,
  rows: page.rows.map(toStatementRow),
  freshness: { currentSequence: page.currentSequence },
});

/** The reports of `kontor.reporting.v1.ReportingService` (ListLedgers lives with the ledgers). */
@Controller()
export class ReportsGrpcController {
  constructor(private readonly reports: ReportsService) {}

  /** The request's scope resolved for the caller's tenant, waiting within the call's deadline. */
  scopeOf(scope: ReportScope | undefined, ctx: TenantCallContext): Promise<Scope> {
    return this.reports.scope(ctx.caller.tenantId, scopeInput(scope), waitMs(ctx));
  }

  /** Runs a report in one snapshot and adds how current it is. */
  private async report<T extends object>(
    scope: ReportScope | undefined,
    ctx: TenantCallContext,
    build: (scope: Scope) => Promise<T>,
  ): Promise<T & { freshness: { currentSequence: bigint } }> {
    const { result, scope: resolved } = await this.reports.run(
      ctx.caller.tenantId,
      scopeInput(scope),
      waitMs(ctx),
      build,
    );

    return { ...result, freshness: freshness(resolved) };
  }

  @GrpcMethod(ReportingService, 'getTrialBalance')
  getTrialBalance(request: GetTrialBalanceRequest, ctx: TenantCallContext) {
    return this.report(request.scope, ctx, (scope) =>
      this.reports.trialBalance(scope, request.fromDate, request.toDate),
    );
  }

  @GrpcMethod(ReportingService, 'getTurnovers')
  getTurnovers(request: GetTurnoversRequest, ctx: TenantCallContext) {
    return this.report(request.scope, ctx, (scope) =>
      this.reports.turnovers(scope, request.fromMonth, request.toMonth, request.accountCode),
    );
  }

  @GrpcMethod(ReportingService, 'getAccountStatement')
  async getAccountStatement(request: GetAccountStatementRequest, ctx: TenantCallContext) {
    return listing(
      await this.report(request.scope, ctx, (scope) =>
        this.reports.accountStatement(scope, request),
      ),
    );
  }

  @GrpcMethod(ReportingService, 'getCustomerStatement')
  async getCustomerStatement(request: GetCustomerStatementRequest, ctx: TenantCallContext) {
    return listing(
      await this.report(request.scope, ctx, (scope) =>
        this.reports.customerStatement(scope, request),
      ),
    );
  }

  @GrpcMethod(ReportingService, 'listGeneralLedger')
  async listGeneralLedger(request: ListGeneralLedgerRequest, ctx: TenantCallContext) {
    return listing(
      await this.report(request.scope, ctx, (scope) => this.reports.generalLedger(scope, request)),
    );
  }

  @GrpcMethod(ReportingService, 'getReceivablesAging')
  getReceivablesAging(request: GetReceivablesAgingRequest, ctx: TenantCallContext) {
    return this.report(request.scope, ctx, (scope) =>
      this.reports.receivablesAging(scope, request.asOfDate),
    );
  }

  @GrpcMethod(ReportingService, 'getIncomeStatement')
  getIncomeStatement(request: GetIncomeStatementRequest, ctx: TenantCallContext) {
    return this.report(request.scope, ctx, (scope) =>
      this.reports.incomeStatement(
        scope,
        request.fromDate,
        request.toDate,
        breakdownOf(request.breakdown),
      ),
    );
  }

  @GrpcMethod(ReportingService, 'getBalanceSheet')
  getBalanceSheet(request: GetBalanceSheetRequest, ctx: TenantCallContext) {
    return this.report(request.scope, ctx, (scope) =>
      this.reports.balanceSheet(scope, request.asOfDate),
    );
  }
}
