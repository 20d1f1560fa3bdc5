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
import { csvLine } from '../domain/csv';
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

const STATEMENT_HEADER = [
  'Date',
  'Journal',
  'Number',
  'Ledger sequence',
  'Transaction type',
  'Reference',
  'Customer',
  'Payment method',
  'Description',
  'Account',
  'Due date',
  'Currency',
  'Debit',
  'Credit',
  'Amount',
  'Running balance',
];

const statementLine = (row: StatementRow) =>
  csvLine([
    row.entryDate,
    row.journalSymbol,
    row.number.toString(),
    row.ledgerSequence.toString(),
    row.transactionType,
    row.reference,
    row.counterpartyName,
    row.paymentMethod,
    row.description,
    row.accountCode,
    row.dueDate,
    row.amount.currency,
    row.debit.amount,
    row.credit.amount,
    row.amount.amount,
    row.runningBalance.amount,
  ]);

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
      yield {
        data: Buffer.from([...profitSharingCsv(result)].join(''), 'utf8'),
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

function* turnoverCsv(result: Pick<TurnoverReport, 'rows'>): Generator<string> {
  yield csvLine([
    'Period',
    'Account',
    'Account name',
    'Account type',
    'Currency',
    'Opening balance',
    'Debit',
    'Credit',
    'Closing balance',
  ]);
  for (const row of result.rows) {
    yield csvLine([
      row.period,
      row.accountCode,
      row.accountName,
      row.accountType,
      row.currency,
      row.openingBalance.amount,
      row.debit.amount,
      row.credit.amount,
      row.closingBalance.amount,
    ]);
  }
}

/** Every page of a listing, read EXPORT_PAGE rows at a time. */
async function* listingCsv(page: (token: string) => Promise<Listing>): AsyncGenerator<string> {
  yield csvLine(STATEMENT_HEADER);
  let pageToken = '';
  do {
    const next = await page(pageToken);
    for (const row of next.rows) yield statementLine(row);
    pageToken = next.nextPageToken;
  } while (pageToken !== '');
}

function* agingCsv(result: AgingReport): Generator<string> {
  yield csvLine([
    'Customer id',
    'Customer',
    'Currency',
    'Current',
    '1-30',
    '31-60',
    '61-90',
    'Over 90',
    'Total',
    'Unapplied credit',
  ]);
  for (const row of [...result.customers, ...result.totals]) {
    yield csvLine([
      row.customerId,
      row.customerId === '' ? 'Total' : row.customerName,
      row.currency,
      row.current.amount,
      row.days130.amount,
      row.days3160.amount,
      row.days6190.amount,
      row.daysOver90.amount,
      row.total.amount,
      row.unappliedCredit.amount,
    ]);
  }
}

function* incomeCsv(result: IncomeReport): Generator<string> {
  yield csvLine([
    'Period',
    'Type',
    'Account',
    'Account name',
    'Breakdown',
    'Breakdown label',
    'Currency',
    'Amount',
  ]);
  for (const row of result.rows) {
    yield csvLine([
      row.period,
      row.accountType,
      row.accountCode,
      row.accountName,
      row.breakdownKey,
      row.breakdownLabel,
      row.amount.currency,
      row.amount.amount,
    ]);
  }
  yield csvLine(['Period', 'Currency', 'Revenue', 'Expense', 'Net income']);
  for (const total of result.totals) {
    yield csvLine([
      total.period || 'Total',
      total.currency,
      amount(total.revenue),
      amount(total.expense),
      amount(total.netIncome),
    ]);
  }
}

function* balanceSheetCsv(result: BalanceSheetReport): Generator<string> {
  yield csvLine(['Section', 'Account', 'Account name', 'Currency', 'Balance']);
  for (const row of result.rows) {
    yield csvLine([
      row.section,
      row.accountCode,
      row.accountName,
      row.balance.currency,
      row.balance.amount,
    ]);
  }
  yield csvLine(['Currency', 'Assets', 'Liabilities', 'Equity']);
  for (const total of result.totals) {
    yield csvLine([
      total.currency,
      total.assets.amount,
      total.liabilities.amount,
      total.equity.amount,
    ]);
  }
}

function* profitSharingCsv(result: ProfitSharingReport): Generator<string> {
  yield csvLine([
    'Deal id',
    'Deal',
    'Period',
    'Period start',
    'Period end',
    'Payer id',
    'Payer',
    'Payee id',
    'Payee',
    'Role',
    'Currency',
    'Amount',
    'Settlement total',
    'Settlement id',
  ]);
  for (const row of result.rows) {
    yield csvLine([
      row.dealId,
      row.dealName,
      row.periodLabel,
      row.periodStart,
      row.periodEnd,
      row.payerOrganizationId,
      row.payerOrganizationName,
      row.payeeOrganizationId,
      row.payeeOrganizationName,
      row.role,
      row.amount.currency,
      row.amount.amount,
      row.settlementTotal.amount,
      row.settlementId,
    ]);
  }
  yield csvLine(['Organization id', 'Organization', 'Currency', 'Received', 'Paid', 'Net']);
  for (const total of result.totals) {
    yield csvLine([
      total.organizationId,
      total.organizationName,
      total.currency,
      total.received.amount,
      total.paid.amount,
      total.net.amount,
    ]);
  }
}
