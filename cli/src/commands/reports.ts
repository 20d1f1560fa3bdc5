import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { type MessageInitShape, toJson } from '@bufbuild/protobuf';
import { type Command } from 'commander';
import {
  DealService,
  GetProfitSharingReportResponseSchema,
  PartyRoleSchema,
  type ProfitSharingRow,
  SettlementStatusSchema,
} from '@kontor/contracts/deals/v1/deal_service_pb';
import {
  type AccountTurnoverRow,
  type ExportReportRequestSchema,
  ExportFormatSchema,
  type Freshness,
  GetBalanceSheetResponseSchema,
  GetIncomeStatementResponseSchema,
  GetReceivablesAgingResponseSchema,
  GetTrialBalanceResponseSchema,
  GetTurnoversResponseSchema,
  IncomeBreakdownSchema,
  ReportingService,
  type StatementRow,
  StatementRowSchema,
} from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { TransactionTypeSchema } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { action, type CommandContext, examples, type Io } from '../command-kit';
import { usageError } from '../exit-codes';
import { type Column, tableOf } from '../output/output';
import { enumChoices, enumLabel, money, parseEnum, today } from '../output/values';
import { collectPages, pageOptions, type PageOptions, positiveInteger } from './paging';

// Reports come from the reporting service's read models, built from the ledger's events. Each
// says how current it is; --wait-for N makes it wait until entry N of the ledger is included
// (read-your-writes right after posting).

interface ScopeOptions {
  ledger: string;
  waitFor?: number;
}

interface RangeOptions extends ScopeOptions {
  from?: string;
  to?: string;
  at?: string;
  account?: string;
  customer?: string;
  counterparty?: string;
  currency?: string;
  all?: boolean;
  by?: string;
  journal?: string;
}

// "1200 Accounts receivable"; lines without an account (current earnings) show the name alone.
const accountLabel = (row: { accountCode: string; accountName: string }) =>
  [row.accountCode, row.accountName].filter(Boolean).join(' ');

const scopeOf = (options: ScopeOptions) => ({
  ledgerId: options.ledger,
  minSequence: BigInt(options.waitFor ?? 0),
});

function scoped(command: Command): Command {
  return command
    .requiredOption('--ledger <id>', 'ledger id')
    .option(
      '--wait-for <sequence>',
      'wait until the report includes this ledger entry',
      positiveInteger,
    );
}

function noteFreshness(ctx: CommandContext, freshness: Freshness | undefined) {
  ctx.out.note(`current up to entry ${freshness?.currentSequence.toString() ?? '?'} of the ledger`);
}

const TURNOVER_COLUMNS: Column<AccountTurnoverRow>[] = [
  { header: 'account', cell: (row) => row.accountCode },
  { header: 'name', cell: (row) => row.accountName },
  { header: 'currency', cell: (row) => row.currency },
  { header: 'opening', cell: (row) => row.openingBalance?.amount ?? '', align: 'right' },
  { header: 'debit', cell: (row) => row.debit?.amount ?? '', align: 'right' },
  { header: 'credit', cell: (row) => row.credit?.amount ?? '', align: 'right' },
  { header: 'closing', cell: (row) => row.closingBalance?.amount ?? '', align: 'right' },
];

const STATEMENT_COLUMNS: Column<StatementRow>[] = [
  { header: 'date', cell: (row) => row.entryDate },
  { header: 'entry', cell: (row) => `${row.journalSymbol} ${row.number.toString()}` },
  { header: 'type', cell: (row) => enumLabel(TransactionTypeSchema, row.transactionType) },
  { header: 'reference', cell: (row) => row.reference },
  { header: 'counterparty', cell: (row) => row.counterpartyName },
  { header: 'payment method', cell: (row) => row.paymentMethod },
  { header: 'amount', cell: (row) => money(row.amount), align: 'right' },
  { header: 'running balance', cell: (row) => money(row.runningBalance), align: 'right' },
];

export function registerReportCommands(program: Command, io: Io): void {
  const reports = program
    .command('reports')
    .description('financial reports from the reporting service (tables, CSV, JSON, QuickBooks)')
    .addHelpText(
      'after',
      examples('kontor reports trial-balance --ledger 51aa… --from 2026-01-01 --to 2026-12-31'),
    );
  trialBalanceCommand(reports, io);
  turnoversCommand(reports, io);
  statementCommand(reports, io, 'account');
  statementCommand(reports, io, 'customer');
  agingCommand(reports, io);
  incomeStatementCommand(reports, io);
  balanceSheetCommand(reports, io);
  profitSharingCommand(reports, io);
  exportCommand(reports, io);
}

function trialBalanceCommand(reports: Command, io: Io): void {
  scoped(
    reports
      .command('trial-balance')
      .description('trial balance over any date range; it always balances'),
  )
    .requiredOption('--from <YYYY-MM-DD>', 'first date')
    .requiredOption('--to <YYYY-MM-DD>', 'last date')
    .addHelpText(
      'after',
      examples('kontor reports trial-balance --ledger 51aa… --from 2026-01-01 --to 2026-03-31'),
    )
    .action(
      action<RangeOptions>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(ReportingService)
          .getTrialBalance({
            scope: scopeOf(options),
            fromDate: options.from ?? '',
            toDate: options.to ?? '',
          });
        noteFreshness(ctx, response.freshness);
        for (const total of response.totals) {
          ctx.out.note(
            `total ${total.currency}: debit ${total.debit?.amount} = credit ${total.credit?.amount}`,
          );
        }
        return tableOf(
          response.rows,
          TURNOVER_COLUMNS,
          toJson(GetTrialBalanceResponseSchema, response),
        );
      }),
    );
}

function turnoversCommand(reports: Command, io: Io): void {
  scoped(
    reports
      .command('turnovers')
      .description('opening, debit, credit and closing per account and month'),
  )
    .requiredOption('--from <YYYY-MM>', 'first month')
    .requiredOption('--to <YYYY-MM>', 'last month')
    .option('--account <code>', 'one account')
    .addHelpText(
      'after',
      examples('kontor reports turnovers --ledger 51aa… --from 2026-01 --to 2026-03'),
    )
    .action(
      action<RangeOptions>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(ReportingService)
          .getTurnovers({
            scope: scopeOf(options),
            fromMonth: options.from ?? '',
            toMonth: options.to ?? '',
            accountCode: options.account ?? '',
          });
        noteFreshness(ctx, response.freshness);
        return tableOf(
          response.rows,
          [{ header: 'month', cell: (row) => row.period }, ...TURNOVER_COLUMNS],
          toJson(GetTurnoversResponseSchema, response),
        );
      }),
    );
}

function statementCommand(reports: Command, io: Io, kind: 'account' | 'customer'): void {
  const command = scoped(
    pageOptions(
      reports
        .command(`${kind}-statement <${kind === 'account' ? 'accountCode' : 'customerId'}>`)
        .description(
          kind === 'account'
            ? "an account's statement with running balance"
            : "a customer's statement with running balance (default: payments and refunds)",
        ),
    ),
  )
    .option('--from <YYYY-MM-DD>', 'first date')
    .option('--to <YYYY-MM-DD>', 'last date')
    .option('--currency <code>', 'one currency (default: the ledger’s)');
  if (kind === 'account') command.option('--counterparty <orgId>', 'only this counterparty');
  else command.option('--all', 'every transaction type');
  command
    .addHelpText(
      'after',
      examples(
        `kontor reports ${kind}-statement ${kind === 'account' ? '1200' : '7d1e…'} --ledger 51aa…`,
      ),
    )
    .action(
      action<RangeOptions & PageOptions>(io, async (ctx, options, [subject = '']) => {
        const client = ctx.connection().tenant(ReportingService);
        let freshness: Freshness | undefined;
        const common = {
          scope: scopeOf(options),
          currency: options.currency ?? '',
          fromDate: options.from ?? '',
          toDate: options.to ?? '',
        };
        const rows = await collectPages(ctx, options, async (pageSize, pageToken) => {
          const page =
            kind === 'account'
              ? await client.getAccountStatement({
                  ...common,
                  accountCode: subject,
                  counterpartyId: options.counterparty ?? '',
                  pageSize,
                  pageToken,
                })
              : await client.getCustomerStatement({
                  ...common,
                  customerId: subject,
                  showAll: options.all ?? false,
                  pageSize,
                  pageToken,
                });
          freshness = page.freshness;
          return { items: page.rows, nextPageToken: page.nextPageToken };
        });
        noteFreshness(ctx, freshness);
        return tableOf(rows, STATEMENT_COLUMNS, {
          rows: rows.map((row) => toJson(StatementRowSchema, row)),
        });
      }),
    );
}

function agingCommand(reports: Command, io: Io): void {
  scoped(
    reports
      .command('aging')
      .description('receivables aging per customer: current, 1–30, 31–60, 61–90, 90+ days'),
  )
    .option('--at <YYYY-MM-DD>', 'as of this date (default: today)')
    .addHelpText('after', examples('kontor reports aging --ledger 51aa… --at 2026-03-31'))
    .action(
      action<RangeOptions>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(ReportingService)
          .getReceivablesAging({ scope: scopeOf(options), asOfDate: options.at ?? today() });
        noteFreshness(ctx, response.freshness);
        const rows = [
          ...response.customers,
          ...response.totals.map((total) => ({ ...total, customerName: 'TOTAL' })),
        ];
        const amount = (value: { amount: string } | undefined) => value?.amount ?? '';
        return tableOf(
          rows,
          [
            { header: 'customer', cell: (row) => row.customerName },
            { header: 'currency', cell: (row) => row.currency },
            { header: 'current', cell: (row) => amount(row.current), align: 'right' },
            { header: '1–30', cell: (row) => amount(row.days130), align: 'right' },
            { header: '31–60', cell: (row) => amount(row.days3160), align: 'right' },
            { header: '61–90', cell: (row) => amount(row.days6190), align: 'right' },
            { header: '90+', cell: (row) => amount(row.daysOver90), align: 'right' },
            { header: 'total', cell: (row) => amount(row.total), align: 'right' },
            {
              header: 'unapplied credit',
              cell: (row) => amount(row.unappliedCredit),
              align: 'right',
            },
          ],
          toJson(GetReceivablesAgingResponseSchema, response),
        );
      }),
    );
}

function incomeStatementCommand(reports: Command, io: Io): void {
  scoped(
    reports.command('income-statement').description('revenue, expense and net income by period'),
  )
    .requiredOption('--from <YYYY-MM-DD>', 'first date')
    .requiredOption('--to <YYYY-MM-DD>', 'last date')
    .option('--by <breakdown>', `breakdown: ${enumChoices(IncomeBreakdownSchema).join(', ')}`)
    .addHelpText(
      'after',
      examples(
        'kontor reports income-statement --ledger 51aa… --from 2026-01-01 --to 2026-03-31 --by product',
      ),
    )
    .action(
      action<RangeOptions>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(ReportingService)
          .getIncomeStatement({
            scope: scopeOf(options),
            fromDate: options.from ?? '',
            toDate: options.to ?? '',
            breakdown: options.by ? parseEnum(IncomeBreakdownSchema, '--by', options.by) : 0,
          });
        noteFreshness(ctx, response.freshness);
        for (const total of response.totals) {
          ctx.out.note(
            // An empty period is the total of the whole range.
            `${total.period || `${options.from} – ${options.to}`} ${total.currency}: revenue ${total.revenue?.amount} − expense ${total.expense?.amount} = net income ${total.netIncome?.amount}`,
          );
        }
        return tableOf(
          response.rows,
          [
            { header: 'period', cell: (row) => row.period },
            { header: 'type', cell: (row) => row.accountType },
            { header: 'account', cell: accountLabel },
            { header: 'breakdown', cell: (row) => row.breakdownLabel || row.breakdownKey },
            { header: 'amount', cell: (row) => money(row.amount), align: 'right' },
          ],
          toJson(GetIncomeStatementResponseSchema, response),
        );
      }),
    );
}

function balanceSheetCommand(reports: Command, io: Io): void {
  scoped(reports.command('balance-sheet').description('assets, liabilities and equity at a date'))
    .option('--at <YYYY-MM-DD>', 'as of this date (default: today)')
    .addHelpText('after', examples('kontor reports balance-sheet --ledger 51aa… --at 2026-03-31'))
    .action(
      action<RangeOptions>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(ReportingService)
          .getBalanceSheet({ scope: scopeOf(options), asOfDate: options.at ?? today() });
        noteFreshness(ctx, response.freshness);
        for (const total of response.totals) {
          ctx.out.note(
            `${total.currency}: assets ${total.assets?.amount}, liabilities ${total.liabilities?.amount}, equity ${total.equity?.amount}`,
          );
        }
        return tableOf(
          response.rows,
          [
            { header: 'section', cell: (row) => row.section },
            { header: 'account', cell: accountLabel },
            { header: 'balance', cell: (row) => money(row.balance), align: 'right' },
          ],
          toJson(GetBalanceSheetResponseSchema, response),
        );
      }),
    );
}

function profitSharingCommand(reports: Command, io: Io): void {
  reports
    .command('profit-sharing')
    .description("what each party earned under a deal, or across an organization's deals")
    .option('--deal <dealId>', 'one deal')
    .option('--org <organizationId>', 'all deals of an organization')
    .requiredOption('--from <YYYY-MM-DD>', 'first day of the range')
    .requiredOption('--to <YYYY-MM-DD>', 'last day of the range')
    .addHelpText(
      'after',
      examples(
        'kontor reports profit-sharing --deal 3f0a… --from 2026-01-01 --to 2026-12-31',
        'kontor reports profit-sharing --org 7d1e… --from 2026-01-01 --to 2026-03-31',
      ),
    )
    .action(
      action<{ deal?: string; org?: string; from: string; to: string }>(
        io,
        async (ctx, options) => {
          if (!options.deal && !options.org) throw usageError('give --deal or --org');
          const response = await ctx
            .connection()
            .tenant(DealService)
            .getProfitSharingReport({
              dealId: options.deal ?? '',
              organizationId: options.org ?? '',
              fromDate: options.from ?? '',
              toDate: options.to ?? '',
            });
          for (const total of response.totals) {
            ctx.out.note(
              `${total.organizationId}: received ${money(total.received)}, paid ${money(total.paid)}`,
            );
          }
          return profitSharingTable(
            response.rows,
            toJson(GetProfitSharingReportResponseSchema, response),
          );
        },
      ),
    );
}

/** What each party earned per deal and period: basis, the settlement total and the share. */
export function profitSharingTable(rows: ProfitSharingRow[], json: unknown = null) {
  return tableOf(
    rows,
    [
      { header: 'deal', cell: (row) => row.dealName },
      { header: 'period', cell: (row) => row.periodLabel },
      { header: 'status', cell: (row) => enumLabel(SettlementStatusSchema, row.status) },
      { header: 'party', cell: (row) => row.organizationId },
      { header: 'role', cell: (row) => enumLabel(PartyRoleSchema, row.role) },
      { header: 'basis', cell: (row) => money(row.basisAmount), align: 'right' },
      { header: 'total', cell: (row) => money(row.total), align: 'right' },
      { header: 'share', cell: (row) => money(row.amount), align: 'right' },
    ],
    json,
  );
}

const EXPORTABLE = [
  'trial-balance',
  'turnovers',
  'account-statement',
  'customer-statement',
  'general-ledger',
  'aging',
  'income-statement',
  'balance-sheet',
] as const;

type ExportRequest = MessageInitShape<typeof ExportReportRequestSchema>;

function exportReportOf(report: string, options: RangeOptions): ExportRequest['report'] {
  const scope = scopeOf(options);
  const range = { fromDate: options.from ?? '', toDate: options.to ?? '' };
  switch (report) {
    case 'trial-balance':
      return { case: 'trialBalance', value: { scope, ...range } };
    case 'turnovers':
      return {
        case: 'turnovers',
        value: {
          scope,
          fromMonth: options.from ?? '',
          toMonth: options.to ?? '',
          accountCode: options.account ?? '',
        },
      };
    case 'account-statement':
      return {
        case: 'accountStatement',
        value: {
          scope,
          ...range,
          accountCode: options.account ?? '',
          counterpartyId: options.counterparty ?? '',
          currency: options.currency ?? '',
        },
      };
    case 'customer-statement':
      return {
        case: 'customerStatement',
        value: {
          scope,
          ...range,
          customerId: options.customer ?? '',
          showAll: options.all ?? false,
          currency: options.currency ?? '',
        },
      };
    case 'general-ledger':
      return {
        case: 'generalLedger',
        value: {
          scope,
          ...range,
          showAll: options.all ?? false,
          journalSymbol: options.journal ?? '',
          currency: options.currency ?? '',
        },
      };
    case 'aging':
      return { case: 'receivablesAging', value: { scope, asOfDate: options.at ?? today() } };
    case 'income-statement':
      return {
        case: 'incomeStatement',
        value: {
          scope,
          ...range,
          breakdown: options.by ? parseEnum(IncomeBreakdownSchema, '--by', options.by) : 0,
        },
      };
    case 'balance-sheet':
      return { case: 'balanceSheet', value: { scope, asOfDate: options.at ?? today() } };
    default:
      throw usageError(`<report> must be one of ${EXPORTABLE.join(', ')} (got "${report}")`);
  }
}

function exportCommand(reports: Command, io: Io): void {
  scoped(
    reports
      .command('export <report>')
      .description(`a report as a file, streamed: ${EXPORTABLE.join(', ')}`),
  )
    .requiredOption('--format <format>', enumChoices(ExportFormatSchema).join(', '))
    .requiredOption('--out <path>', 'file to write')
    .option('--from <date>', 'first date (YYYY-MM for turnovers)')
    .option('--to <date>', 'last date (YYYY-MM for turnovers)')
    .option('--at <YYYY-MM-DD>', 'as-of date (aging, balance sheet; default: today)')
    .option('--account <code>', 'account (account-statement, turnovers)')
    .option('--customer <id>', 'customer (customer-statement)')
    .option('--counterparty <orgId>', 'counterparty (account-statement)')
    .option('--journal <symbol>', 'journal (general-ledger)')
    .option('--currency <code>', 'currency (statements, general-ledger)')
    .option('--all', 'every transaction type (statements, general-ledger)')
    .option('--by <breakdown>', 'income-statement breakdown')
    .addHelpText(
      'after',
      examples(
        'kontor reports export general-ledger --ledger 51aa… --all --format quickbooks-iif --out march.iif',
        'kontor reports export trial-balance --ledger 51aa… --from 2026-01-01 --to 2026-03-31 --format csv --out tb.csv',
      ),
    )
    .action(
      action<RangeOptions & { format: string; out: string }>(
        io,
        async (ctx, options, [report = '']) => {
          const request: ExportRequest = {
            format: parseEnum(ExportFormatSchema, '--format', options.format),
            report: exportReportOf(report, options),
          };
          const out = createWriteStream(options.out);
          let bytes = 0;
          for await (const part of ctx
            .connection()
            .tenant(ReportingService)
            .exportReport(request)) {
            bytes += part.data.length;
            if (!out.write(part.data)) await once(out, 'drain');
          }
          out.end();
          await once(out, 'finish');
          ctx.out.note(`wrote ${options.out} (${bytes} bytes)`);
          return undefined;
        },
      ),
    );
}
