import { toJson } from '@bufbuild/protobuf';
import { type Command, InvalidArgumentError } from 'commander';
import {
  type AccountTurnover,
  CloseMonthResponseSchema,
  CreateFiscalYearResponseSchema,
  type FiscalYear,
  FiscalYearSchema,
  type Journal,
  JournalSchema,
  MonthStatusSchema,
  PeriodService,
  ReopenMonthResponseSchema,
} from '@kontor/contracts/ledger/v1/period_service_pb';
import { action, type CommandContext, examples, type Io } from '../command-kit';
import { CliError, ExitCode, usageError } from '../exit-codes';
import { type Column, recordOf, tableOf } from '../output/output';
import { enumLabel, timestamp, today } from '../output/values';
import { positiveInteger } from './paging';

const JOURNAL_COLUMNS: Column<Journal>[] = [
  { header: 'symbol', cell: (journal) => journal.symbol },
  { header: 'name', cell: (journal) => journal.name },
  { header: 'next number', cell: (journal) => journal.nextEntryNumber.toString(), align: 'right' },
  { header: 'id', cell: (journal) => journal.id },
];

export const TURNOVER_COLUMNS: Column<AccountTurnover>[] = [
  { header: 'account', cell: (row) => row.accountCode },
  { header: 'currency', cell: (row) => row.currency },
  { header: 'opening', cell: (row) => row.openingBalance?.amount ?? '', align: 'right' },
  { header: 'debit', cell: (row) => row.debit?.amount ?? '', align: 'right' },
  { header: 'credit', cell: (row) => row.credit?.amount ?? '', align: 'right' },
  { header: 'closing', cell: (row) => row.closingBalance?.amount ?? '', align: 'right' },
];

interface MonthRow {
  year: FiscalYear;
  month: FiscalYear['months'][number];
}

// "SYM:Name" pairs for --journal, repeatable.
function journalSpec(value: string, previous: { symbol: string; name: string }[] = []) {
  const separator = value.indexOf(':');
  if (separator < 1) throw new InvalidArgumentError('expected SYMBOL:Name, e.g. SAL:Sales');
  return [...previous, { symbol: value.slice(0, separator), name: value.slice(separator + 1) }];
}

interface CreateYearOptions {
  ledger: string;
  name: string;
  start: string;
  months: number;
  journal?: { symbol: string; name: string }[];
}

export function registerPeriodCommands(program: Command, io: Io): void {
  const periods = program
    .command('periods')
    .description('fiscal years and months: create, list, close and reopen')
    .addHelpText('after', examples('kontor periods list --ledger 51aa…'));

  const journals = program
    .command('journals')
    .description("a fiscal year's journals (symbol and name unique within the year)")
    .addHelpText(
      'after',
      examples('kontor journals list --year 9c3b…', 'kontor journals show SALES --ledger 51aa…'),
    );
  periodCreateYearCommand(periods, io);
  periodListCommand(periods, io);
  periodCloseCommand(periods, io);
  periodReopenCommand(periods, io);
  journalCreateCommand(journals, io);
  journalListCommand(journals, io);
  journalShowCommand(journals, io);
}

function periodCreateYearCommand(periods: Command, io: Io): void {
  periods
    .command('create-year')
    .description('open a fiscal year of months, with its journals')
    .requiredOption('--ledger <id>', 'ledger id')
    .requiredOption('--name <name>', 'e.g. FY2026')
    .requiredOption('--start <month>', 'first month, YYYY-MM')
    .option('--months <n>', 'number of months', positiveInteger, 12)
    .option('--journal <SYMBOL:Name>', 'a journal of the year (repeatable)', journalSpec)
    .addHelpText(
      'after',
      examples(
        'kontor periods create-year --ledger 51aa… --name FY2026 --start 2026-01 --journal SAL:Sales --journal BNK:Bank',
      ),
    )
    .action(
      action<CreateYearOptions>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(PeriodService)
          .createFiscalYear({
            ledgerId: options.ledger,
            name: options.name,
            startMonth: options.start,
            monthCount: options.months,
            journals: options.journal ?? [],
          });
        return tableOf(
          response.journals,
          JOURNAL_COLUMNS,
          toJson(CreateFiscalYearResponseSchema, response),
        );
      }),
    );
}

function periodListCommand(periods: Command, io: Io): void {
  periods
    .command('list')
    .description('list fiscal years and the status of each month')
    .requiredOption('--ledger <id>', 'ledger id')
    .addHelpText('after', examples('kontor periods list --ledger 51aa…'))
    .action(
      action<{ ledger: string }>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(PeriodService)
          .listFiscalYears({ ledgerId: options.ledger });
        const rows: MonthRow[] = response.fiscalYears.flatMap((year) =>
          year.months.map((month) => ({ year, month })),
        );
        return tableOf(
          rows,
          [
            { header: 'fiscal year', cell: (row) => row.year.name },
            { header: 'month', cell: (row) => row.month.month },
            { header: 'status', cell: (row) => enumLabel(MonthStatusSchema, row.month.status) },
            { header: 'closed at', cell: (row) => timestamp(row.month.closeTime) },
            { header: 'year id', cell: (row) => row.year.id },
          ],
          { fiscalYears: response.fiscalYears.map((year) => toJson(FiscalYearSchema, year)) },
        );
      }),
    );
}

function periodCloseCommand(periods: Command, io: Io): void {
  periods
    .command('close <month>')
    .description('close a month (YYYY-MM): records turnovers and closing balances')
    .requiredOption('--ledger <id>', 'ledger id')
    .addHelpText('after', examples('kontor periods close 2026-03 --ledger 51aa…'))
    .action(
      action<{ ledger: string }>(io, async (ctx, options, [month = '']) => {
        const response = await ctx
          .connection()
          .tenant(PeriodService)
          .closeMonth({ ledgerId: options.ledger, month });
        ctx.out.note(`closed ${month}; turnovers:`);
        return tableOf(
          response.turnovers,
          TURNOVER_COLUMNS,
          toJson(CloseMonthResponseSchema, response),
        );
      }),
    );
}

function periodReopenCommand(periods: Command, io: Io): void {
  periods
    .command('reopen <month>')
    .description('reopen a closed month; the reason is kept with the month')
    .requiredOption('--ledger <id>', 'ledger id')
    .requiredOption('--reason <text>', 'why it is reopened')
    .addHelpText(
      'after',
      examples('kontor periods reopen 2026-03 --ledger 51aa… --reason "late supplier invoice"'),
    )
    .action(
      action<{ ledger: string; reason: string }>(io, async (ctx, options, [month = '']) => {
        const response = await ctx
          .connection()
          .tenant(PeriodService)
          .reopenMonth({ ledgerId: options.ledger, month, reason: options.reason });
        return recordOf(
          [
            ['month', response.month?.month ?? month],
            ['status', enumLabel(MonthStatusSchema, response.month?.status ?? 0)],
          ],
          toJson(ReopenMonthResponseSchema, response),
        );
      }),
    );
}

function journalCreateCommand(journals: Command, io: Io): void {
  journals
    .command('create')
    .description('add a journal to a fiscal year')
    .requiredOption('--year <fiscalYearId>', 'fiscal year id (see `kontor periods list`)')
    .requiredOption('--symbol <symbol>', '1–50 letters or digits')
    .requiredOption('--name <name>', '1–50 characters')
    .addHelpText(
      'after',
      examples('kontor journals create --year 9c3b… --symbol PUR --name Purchases'),
    )
    .action(
      action<{ year: string; symbol: string; name: string }>(io, async (ctx, options) => {
        const response = await ctx.connection().tenant(PeriodService).createJournal({
          fiscalYearId: options.year,
          symbol: options.symbol,
          name: options.name,
        });
        const journal = response.journal;
        return tableOf(
          journal ? [journal] : [],
          JOURNAL_COLUMNS,
          journal ? toJson(JournalSchema, journal) : null,
        );
      }),
    );
}

function journalListCommand(journals: Command, io: Io): void {
  journals
    .command('list')
    .description("list a fiscal year's journals")
    .requiredOption('--year <fiscalYearId>', 'fiscal year id')
    .addHelpText('after', examples('kontor journals list --year 9c3b…'))
    .action(
      action<{ year: string }>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(PeriodService)
          .listJournals({ fiscalYearId: options.year });
        return tableOf(response.journals, JOURNAL_COLUMNS, {
          journals: response.journals.map((journal) => toJson(JournalSchema, journal)),
        });
      }),
    );
}

interface JournalInYear {
  journal: Journal;
  year: FiscalYear;
}

function journalShowCommand(journals: Command, io: Io): void {
  journals
    .command('show <symbolOrId>')
    .description(
      'show a journal by symbol or id; a symbol found in several fiscal years means the one of ' +
        'the current month unless --year says otherwise',
    )
    .requiredOption('--ledger <id>', 'ledger id')
    .option('--year <idOrName>', 'fiscal year id or name, e.g. FY2026')
    .addHelpText(
      'after',
      examples(
        'kontor journals show SALES --ledger 51aa…',
        'kontor journals show SALES --ledger 51aa… --year FY2025',
        'kontor journals show 0c41… --ledger 51aa… --json',
      ),
    )
    .action(
      action<{ ledger: string; year?: string }>(io, async (ctx, options, [wanted = '']) => {
        const { journal, year } = await findJournal(ctx, options.ledger, wanted, options.year);
        return recordOf(
          [
            ...JOURNAL_COLUMNS.map((column): [string, string] => [
              column.header,
              column.cell(journal),
            ]),
            ['fiscal year', year.name],
            ['fiscal year id', year.id],
          ],
          toJson(JournalSchema, journal),
        );
      }),
    );
}

// ListJournals is per fiscal year: the journal is looked for in the ledger's years (or the one
// --year names) by id or by symbol, which the server keeps unique case-insensitively per year.
async function findJournal(
  ctx: CommandContext,
  ledgerId: string,
  wanted: string,
  yearWanted: string | undefined,
): Promise<JournalInYear> {
  const client = ctx.connection().tenant(PeriodService);
  const { fiscalYears } = await client.listFiscalYears({ ledgerId });
  const years = yearWanted
    ? fiscalYears.filter((year) => year.id === yearWanted || year.name === yearWanted)
    : fiscalYears;
  if (yearWanted && years.length === 0) {
    throw new CliError(
      ExitCode.notFound,
      `no fiscal year "${yearWanted}" in ledger ${ledgerId} ` +
        `(it has: ${fiscalYears.map((year) => year.name).join(', ') || 'none'})`,
    );
  }
  const listed = await Promise.all(
    years.map(async (year) => {
      const { journals } = await client.listJournals({ fiscalYearId: year.id });
      return journals.map((journal) => ({ journal, year }));
    }),
  );
  const matches = listed
    .flat()
    .filter(
      ({ journal }) =>
        journal.id === wanted || journal.symbol.toLowerCase() === wanted.toLowerCase(),
    );
  const thisMonth = today().slice(0, 7);
  const current = matches.filter(({ year }) => year.months.some((m) => m.month === thisMonth));
  const chosen = matches.length > 1 && current.length === 1 ? current : matches;
  if (chosen.length === 1 && chosen[0]) return chosen[0];
  if (chosen.length === 0) {
    throw new CliError(
      ExitCode.notFound,
      `no journal "${wanted}" in ${yearWanted ? `fiscal year ${yearWanted}` : 'any fiscal year'} ` +
        `of ledger ${ledgerId}`,
    );
  }
  throw usageError(
    `journal "${wanted}" is in fiscal years ${chosen.map(({ year }) => year.name).join(', ')}: ` +
      'pick one with --year',
  );
}
