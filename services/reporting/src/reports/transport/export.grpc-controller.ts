import { Controller } from '@nestjs/common';
import {
  ExportFormat,
  ReportingService,
  type ExportReportRequest,
  type ExportReportResponse,
} from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { type MessageInitShape } from '@bufbuild/protobuf';
import { type ExportReportResponseSchema } from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { GrpcMethod, type TenantCallContext } from '@kontor/grpc';
import {
  ProfitSharingService,
  type ProfitSharingReport,
} from '../../profit-sharing/profit-sharing.service';
import { csvTable, type CsvColumn } from '../domain/csv';
import {
  IIF_HEADER,
  iifAccounts,
  iifEntry,
  QBO_HEADER,
  qboEntry,
  type ExportEntry,
} from '../domain/quickbooks';
import { invalidQuery } from '../domain/report.errors';
import {
  ReportsService,
  type Listing,
  type Scope,
  type StatementRow,
  type WireMoney,
} from '../reports.service';
import { breakdownOf, ReportsGrpcController } from './reports.grpc-controller';

type Chunk = MessageInitShape<typeof ExportReportResponseSchema>;

/** Bytes per streamed chunk (well under gRPC's 4 MB message limit). */
const CHUNK_BYTES = 64 * 1024;
/** Rows per listing page read while exporting. */
const EXPORT_PAGE = 1000;

const amount = (value: WireMoney | undefined) => value?.amount ?? '';

const STATEMENT_COLUMNS: CsvColumn<StatementRow>[] = [
  ['Date', (row) => row.entryDate],
  ['Journal', (row) => row.journalSymbol],
  ['Number', (row) => row.number.toString()],
  ['Ledger sequence', (row) => row.ledgerSequence.toString()],
  ['Transaction type', (row) => row.transactionType],
  ['Reference', (row) => row.reference],
  ['Customer', (row) => row.counterpartyName],
  ['Payment method', (row) => row.paymentMethod],
  ['Description', (row) => row.description],
  ['Account', (row) => row.accountCode],
  ['Due date', (row) => row.dueDate],
  ['Currency', (row) => row.amount.currency],
  ['Debit', (row) => row.debit.amount],
  ['Credit', (row) => row.credit.amount],
  ['Amount', (row) => row.amount.amount],
  ['Running balance', (row) => row.runningBalance.amount],
];

/** ExportReport: any report as CSV, the general ledger also for QuickBooks, streamed in chunks. */
@Controller()
export class ExportGrpcController {
  constructor(
    private readonly reports: ReportsService,
    private readonly scopes: ReportsGrpcController,
    private readonly profitSharing: ProfitSharingService,
  ) {}

  @GrpcMethod(ReportingService, 'exportReport')
  async *exportReport(
    request: ExportReportRequest,
    ctx: TenantCallContext,
  ): AsyncGenerator<Chunk | ExportReportResponse> {
    const format = request.format === ExportFormat.UNSPECIFIED ? ExportFormat.CSV : request.format;
    const report = request.report;
    if (report.case === undefined) {
      throw invalidQuery('report', 'name one report to export (e.g. trial_balance)');
    }
    if (format !== ExportFormat.CSV && report.case !== 'generalLedger') {
      throw invalidQuery(
        'format',
        'QuickBooks formats export journal entries: use them with general_ledger',
      );
    }
    if (!Object.values(ExportFormat).includes(format)) {
      throw invalidQuery('format', `unknown format ${format}`);
    }
    if (report.case === 'profitSharing') {
      // Not a ledger report: no scope; the whole (small) report in one pass.
      const result = await this.profitSharing.report(
        ctx.caller.tenantId,
        report.value,
        Math.max(0, ctx.remainingMs() - 100),
      );
      const subject = report.value.dealId || report.value.organizationId;
      let text = '';
      for await (const line of profitSharingCsv(result)) text += line;
      yield {
        data: Buffer.from(text, 'utf8'),
        fileName: `profit-sharing-${subject}.csv`,
        contentType: 'text/csv; charset=utf-8',
      };
      return;
    }
    const scope = await this.scopes.scopeOf(report.value.scope, ctx);
    const name = `${report.case}-${scope.ledgerId}`;
    const meta =
      format === ExportFormat.QUICKBOOKS_IIF
        ? { fileName: `${name}.iif`, contentType: 'application/x-iif' }
        : { fileName: `${name}.csv`, contentType: 'text/csv; charset=utf-8' };
    let buffer = '';
    let first = true;
    const take = (): Chunk => {
      const chunk: Chunk = { data: Buffer.from(buffer, 'utf8'), ...(first ? meta : {}) };
      buffer = '';
      first = false;

      return chunk;
    };
    for await (const text of this.text(scope, request)) {
      if (ctx.signal.aborted) return;
      buffer += text;
      if (buffer.length >= CHUNK_BYTES) yield take();
    }
    if (buffer.length > 0 || first) yield take();
  }

  private async *text(scope: Scope, request: ExportReportRequest): AsyncGenerator<string> {
    const report = request.report;
    const journalFormat =
      request.format !== ExportFormat.CSV && request.format !== ExportFormat.UNSPECIFIED;
    switch (report.case) {
      case 'trialBalance': {
        yield* turnoverCsv(
          await this.reports.trialBalance(scope, report.value.fromDate, report.value.toDate),
        );
        return;
      }
      case 'turnovers': {
        yield* turnoverCsv(
          await this.reports.turnovers(
            scope,
            report.value.fromMonth,
            report.value.toMonth,
            report.value.accountCode,
          ),
        );
        return;
      }
      case 'accountStatement': {
        const input = report.value;
        yield* listingCsv((pageToken) =>
          this.reports.accountStatement(scope, { ...input, pageSize: EXPORT_PAGE, pageToken }),
        );
        return;
      }
      case 'customerStatement': {
        const input = report.value;
        yield* listingCsv((pageToken) =>
          this.reports.customerStatement(scope, { ...input, pageSize: EXPORT_PAGE, pageToken }),
        );
        return;
      }
      case 'generalLedger': {
        const input = report.value;
        if (journalFormat) {
          yield* this.journal(scope, request.format, input);
          return;
        }
        yield* listingCsv((pageToken) =>
          this.reports.generalLedger(scope, { ...input, pageSize: EXPORT_PAGE, pageToken }),
        );
        return;
      }
      case 'receivablesAging': {
        yield* agingCsv(await this.reports.receivablesAging(scope, report.value.asOfDate));
        return;
      }
      case 'incomeStatement': {
        yield* incomeCsv(
          await this.reports.incomeStatement(
            scope,
            report.value.fromDate,
            report.value.toDate,
            breakdownOf(report.value.breakdown),
          ),
        );
        return;
      }
      case 'balanceSheet': {
        yield* balanceSheetCsv(await this.reports.balanceSheet(scope, report.value.asOfDate));
        return;
      }
      case 'profitSharing':
      case undefined:
        return;
    }
  }

  /**
   * Journal entries with all their lines, in listing order, as IIF (after the chart) or QuickBooks
   * Online CSV; entries posted after the scope was read stay out (one snapshot).
   */
  private async *journal(
    scope: Scope,
    format: ExportFormat,
    input: { currency: string; fromDate: string; toDate: string },
  ): AsyncGenerator<string> {
    const iif = format === ExportFormat.QUICKBOOKS_IIF;
    const render = iif ? iifEntry : qboEntry;
    yield iif ? iifAccounts(await this.reports.ledgerAccounts(scope)) + IIF_HEADER : QBO_HEADER;
    let entry = null as ExportEntry | null;
    for await (const lines of this.reports.journalLines(scope, input)) {
      let text = '';
      for (const line of lines) {
        if (entry?.entryId !== line.entryId) {
          if (entry) text += render(entry);
          entry = {
            entryId: line.entryId,
            entryDate: line.entryDate,
            journalSymbol: line.journalSymbol,
            number: line.number,
            reference: line.reference,
            description: line.description,
            lines: [],
          };
        }
        entry.lines.push(line);
      }
      yield text;
    }
    if (entry) yield render(entry);
  }
}

type TurnoverReport = Awaited<ReturnType<ReportsService['trialBalance']>>;
type AgingReport = Awaited<ReturnType<ReportsService['receivablesAging']>>;
type IncomeReport = Awaited<ReturnType<ReportsService['incomeStatement']>>;
type BalanceSheetReport = Awaited<ReturnType<ReportsService['balanceSheet']>>;

const TURNOVER_COLUMNS: CsvColumn<TurnoverReport['rows'][number]>[] = [
  ['Period', (row) => row.period],
  ['Account', (row) => row.accountCode],
  ['Account name', (row) => row.accountName],
  ['Account type', (row) => row.accountType],
  ['Currency', (row) => row.currency],
  ['Opening balance', (row) => row.openingBalance.amount],
  ['Debit', (row) => row.debit.amount],
  ['Credit', (row) => row.credit.amount],
  ['Closing balance', (row) => row.closingBalance.amount],
];

function turnoverCsv(result: Pick<TurnoverReport, 'rows'>): AsyncGenerator<string> {
  return csvTable(TURNOVER_COLUMNS, result.rows);
}

/** Every page of a listing, read EXPORT_PAGE rows at a time, as one CSV table. */
async function* listingCsv(page: (token: string) => Promise<Listing>): AsyncGenerator<string> {
  async function* rows(): AsyncGenerator<StatementRow> {
    let pageToken = '';
    do {
      const next = await page(pageToken);
      yield* next.rows;
      pageToken = next.nextPageToken;
    } while (pageToken !== '');
  }
  yield* csvTable(STATEMENT_COLUMNS, rows());
}

const AGING_COLUMNS: CsvColumn<AgingReport['customers'][number]>[] = [
  ['Customer id', (row) => row.customerId],
  ['Customer', (row) => (row.customerId === '' ? 'Total' : row.customerName)],
  ['Currency', (row) => row.currency],
  ['Current', (row) => row.current.amount],
  ['1-30', (row) => row.days130.amount],
  ['31-60', (row) => row.days3160.amount],
  ['61-90', (row) => row.days6190.amount],
  ['Over 90', (row) => row.daysOver90.amount],
  ['Total', (row) => row.total.amount],
  ['Unapplied credit', (row) => row.unappliedCredit.amount],
];

function agingCsv(result: AgingReport): AsyncGenerator<string> {
  return csvTable(AGING_COLUMNS, [...result.customers, ...result.totals]);
}

const INCOME_COLUMNS: CsvColumn<IncomeReport['rows'][number]>[] = [
  ['Period', (row) => row.period],
  ['Type', (row) => row.accountType],
  ['Account', (row) => row.accountCode],
  ['Account name', (row) => row.accountName],
  ['Breakdown', (row) => row.breakdownKey],
  ['Breakdown label', (row) => row.breakdownLabel],
  ['Currency', (row) => row.amount.currency],
  ['Amount', (row) => row.amount.amount],
];
const INCOME_TOTAL_COLUMNS: CsvColumn<IncomeReport['totals'][number]>[] = [
  ['Period', (total) => total.period || 'Total'],
  ['Currency', (total) => total.currency],
  ['Revenue', (total) => amount(total.revenue)],
  ['Expense', (total) => amount(total.expense)],
  ['Net income', (total) => amount(total.netIncome)],
];

async function* incomeCsv(result: IncomeReport): AsyncGenerator<string> {
  yield* csvTable(INCOME_COLUMNS, result.rows);
  yield* csvTable(INCOME_TOTAL_COLUMNS, result.totals);
}

const BALANCE_SHEET_COLUMNS: CsvColumn<BalanceSheetReport['rows'][number]>[] = [
  ['Section', (row) => row.section],
  ['Account', (row) => row.accountCode],
  ['Account name', (row) => row.accountName],
  ['Currency', (row) => row.balance.currency],
  ['Balance', (row) => row.balance.amount],
];
const BALANCE_SHEET_TOTAL_COLUMNS: CsvColumn<BalanceSheetReport['totals'][number]>[] = [
  ['Currency', (total) => total.currency],
  ['Assets', (total) => total.assets.amount],
  ['Liabilities', (total) => total.liabilities.amount],
  ['Equity', (total) => total.equity.amount],
];

async function* balanceSheetCsv(result: BalanceSheetReport): AsyncGenerator<string> {
  yield* csvTable(BALANCE_SHEET_COLUMNS, result.rows);
  yield* csvTable(BALANCE_SHEET_TOTAL_COLUMNS, result.totals);
}

const PROFIT_SHARING_COLUMNS: CsvColumn<ProfitSharingReport['rows'][number]>[] = [
  ['Deal id', (row) => row.dealId],
  ['Deal', (row) => row.dealName],
  ['Period', (row) => row.periodLabel],
  ['Period start', (row) => row.periodStart],
  ['Period end', (row) => row.periodEnd],
  ['Payer id', (row) => row.payerOrganizationId],
  ['Payer', (row) => row.payerOrganizationName],
  ['Payee id', (row) => row.payeeOrganizationId],
  ['Payee', (row) => row.payeeOrganizationName],
  ['Role', (row) => row.role],
  ['Currency', (row) => row.amount.currency],
  ['Amount', (row) => row.amount.amount],
  ['Settlement total', (row) => row.settlementTotal.amount],
  ['Settlement id', (row) => row.settlementId],
];
const PROFIT_SHARING_TOTAL_COLUMNS: CsvColumn<ProfitSharingReport['totals'][number]>[] = [
  ['Organization id', (total) => total.organizationId],
  ['Organization', (total) => total.organizationName],
  ['Currency', (total) => total.currency],
  ['Received', (total) => total.received.amount],
  ['Paid', (total) => total.paid.amount],
  ['Net', (total) => total.net.amount],
];

async function* profitSharingCsv(result: ProfitSharingReport): AsyncGenerator<string> {
  yield* csvTable(PROFIT_SHARING_COLUMNS, result.rows);
  yield* csvTable(PROFIT_SHARING_TOTAL_COLUMNS, result.totals);
}
