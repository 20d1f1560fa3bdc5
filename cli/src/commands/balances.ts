import { toJson } from '@bufbuild/protobuf';
import { type Command } from 'commander';
import {
  BalanceService,
  type CustomerBalance,
  CustomerBalanceState,
  GetAccountBalanceResponseSchema,
  GetCustomerBalanceResponseSchema,
  GetTrialBalanceResponseSchema,
  InvoiceStatusSchema,
  LedgerEntryRowSchema,
  ListInvoicesResponseSchema,
  type LedgerEntryRow,
} from '@kontor/contracts/ledger/v1/balance_service_pb';
import { TransactionTypeSchema } from '@kontor/contracts/ledger/v1/entry_service_pb';
import { action, type CommandContext, examples, type Io } from '../command-kit';
import { type Column, messageOf, type Printable, tableOf } from '../output/output';
import { enumLabel, money } from '../output/values';
import { collectPages, pageOptions, type PageOptions } from './paging';
import { TURNOVER_COLUMNS } from './periods';

/** The seeds' wording: positive = the customer owes, negative = credit, zero = settled. */
export function customerBalanceWording(balance: CustomerBalance): string {
  const amount = money(balance.balance).replace(/^-/, '');
  switch (balance.state) {
    case CustomerBalanceState.OWES:
      return `owes ${amount}`;
    case CustomerBalanceState.CREDIT:
      return `has ${amount} credit`;
    case CustomerBalanceState.SETTLED:
    case CustomerBalanceState.UNSPECIFIED:
      return 'settled';
  }
}

interface ListingOptions extends PageOptions {
  ledger: string;
  from?: string;
  to?: string;
  journal?: string;
  account?: string;
  currency?: string;
  all?: boolean;
}

const LISTING_COLUMNS: Column<LedgerEntryRow>[] = [
  { header: 'date', cell: (row) => row.entryDate },
  { header: 'entry', cell: (row) => `${row.journalSymbol} ${row.number.toString()}` },
  { header: 'type', cell: (row) => enumLabel(TransactionTypeSchema, row.transactionType) },
  { header: 'invoice ref', cell: (row) => row.reference },
  { header: 'customer', cell: (row) => row.customerName },
  { header: 'payment method', cell: (row) => row.paymentMethod },
  { header: 'amount', cell: (row) => money(row.amount), align: 'right' },
  { header: 'running balance', cell: (row) => money(row.runningBalance), align: 'right' },
];

function listingOptions(command: Command): Command {
  return pageOptions(command)
    .requiredOption('--ledger <id>', 'ledger id')
    .option('--from <YYYY-MM-DD>', 'first date')
    .option('--to <YYYY-MM-DD>', 'last date')
    .option('--journal <symbol>', 'only this journal')
    .option('--account <code>', 'only lines on this account')
    .option('--currency <code>', 'only this currency')
    .option('--all', 'every transaction type (default: payments and refunds)');
}

async function listing(ctx: CommandContext, options: ListingOptions, customerId: string) {
  const client = ctx.connection().tenant(BalanceService);
  const rows = await collectPages(ctx, options, async (pageSize, pageToken) => {
    const page = await client.listLedgerEntries({
      ledgerId: options.ledger,
      customerId,
      accountCode: options.account ?? '',
      journalSymbol: options.journal ?? '',
      fromDate: options.from ?? '',
      toDate: options.to ?? '',
      currency: options.currency ?? '',
      showAll: options.all ?? false,
      pageSize,
      pageToken,
    });
    return { items: page.rows, nextPageToken: page.nextPageToken };
  });
  return listingTable(rows);
}

/** Ledger listing rows as the seeds show them: invoice ref, type, customer, method, running balance. */
export function listingTable(rows: LedgerEntryRow[]): Printable {
  return tableOf(rows, LISTING_COLUMNS, {
    rows: rows.map((row) => toJson(LedgerEntryRowSchema, row)),
  });
}

export function registerBalanceCommands(program: Command, io: Io): void {
  const balance = program
    .command('balance')
    .description('balances: an account at a date, or what a customer owes')
    .addHelpText('after', examples('kontor balance customer 7d1e… --ledger 51aa…'));
  balanceAccountCommand(balance, io);
  balanceCustomerCommand(balance, io);
  invoicesCommand(program, io);
  generalLedgerCommand(program, io);
  customerLedgerCommand(program, io);
  trialBalanceCommand(program, io);
}

function balanceAccountCommand(balance: Command, io: Io): void {
  balance
    .command('account <code>')
    .description("an account's balance (debit minus credit) per currency at a date")
    .requiredOption('--ledger <id>', 'ledger id')
    .option('--at <YYYY-MM-DD>', 'as of this date (default: today)')
    .option('--counterparty <orgId>', 'only lines with this counterparty')
    .addHelpText(
      'after',
      examples(
        'kontor balance account 1200 --ledger 51aa…',
        'kontor balance account 4000 --ledger 51aa… --at 2026-03-31',
      ),
    )
    .action(
      action<{ ledger: string; at?: string; counterparty?: string }>(
        io,
        async (ctx, options, [accountCode = '']) => {
          const response = await ctx
            .connection()
            .tenant(BalanceService)
            .getAccountBalance({
              ledgerId: options.ledger,
              accountCode,
              asOfDate: options.at ?? '',
              counterpartyId: options.counterparty ?? '',
            });
          return tableOf(
            response.balances,
            [
              { header: 'currency', cell: (row) => row.currency },
              { header: 'debit', cell: (row) => row.debit?.amount ?? '', align: 'right' },
              { header: 'credit', cell: (row) => row.credit?.amount ?? '', align: 'right' },
              { header: 'balance', cell: (row) => row.balance?.amount ?? '', align: 'right' },
            ],
            toJson(GetAccountBalanceResponseSchema, response),
          );
        },
      ),
    );
}

function balanceCustomerCommand(balance: Command, io: Io): void {
  balance
    .command('customer <customerId>')
    .description('what a customer owes (positive), has as credit (negative) or settled')
    .requiredOption('--ledger <id>', 'ledger id')
    .option('--at <YYYY-MM-DD>', 'as of this date (default: today)')
    .addHelpText('after', examples('kontor balance customer 7d1e… --ledger 51aa…'))
    .action(
      action<{ ledger: string; at?: string }>(io, async (ctx, options, [customerId = '']) => {
        const response = await ctx
          .connection()
          .tenant(BalanceService)
          .getCustomerBalance({ ledgerId: options.ledger, customerId, asOfDate: options.at ?? '' });
        const json = toJson(GetCustomerBalanceResponseSchema, response);
        if (response.balances.length === 0) return messageOf('settled (no entries)', json);
        return messageOf(response.balances.map(customerBalanceWording).join('\n'), json);
      }),
    );
}

function invoicesCommand(program: Command, io: Io): void {
  program
    .command('invoices <customerId>')
    .description("a customer's invoices: paid, partly paid or unpaid, oldest first")
    .requiredOption('--ledger <id>', 'ledger id')
    .option('--open', 'only invoices not fully paid')
    .addHelpText('after', examples('kontor invoices 7d1e… --ledger 51aa… --open'))
    .action(
      action<{ ledger: string; open?: boolean }>(io, async (ctx, options, [customerId = '']) => {
        const response = await ctx
          .connection()
          .tenant(BalanceService)
          .listInvoices({ ledgerId: options.ledger, customerId, openOnly: options.open ?? false });
        for (const credit of response.unappliedCredit) {
          ctx.out.note(`unapplied credit: ${money(credit)}`);
        }
        return tableOf(
          response.invoices,
          [
            { header: 'reference', cell: (row) => row.reference },
            { header: 'date', cell: (row) => row.entryDate },
            { header: 'due', cell: (row) => row.dueDate },
            { header: 'amount', cell: (row) => money(row.amount), align: 'right' },
            { header: 'paid', cell: (row) => money(row.paid), align: 'right' },
            { header: 'open', cell: (row) => money(row.open), align: 'right' },
            { header: 'status', cell: (row) => enumLabel(InvoiceStatusSchema, row.status) },
          ],
          toJson(ListInvoicesResponseSchema, response),
        );
      }),
    );
}

function generalLedgerCommand(program: Command, io: Io): void {
  listingOptions(
    program
      .command('general-ledger')
      .description('the general ledger with running balance (default: payments and refunds)'),
  )
    .addHelpText(
      'after',
      examples(
        'kontor general-ledger --ledger 51aa…',
        'kontor general-ledger --ledger 51aa… --all --from 2026-03-01 --to 2026-03-31 --output csv',
      ),
    )
    .action(action<ListingOptions>(io, (ctx, options) => listing(ctx, options, '')));
}

function customerLedgerCommand(program: Command, io: Io): void {
  listingOptions(
    program
      .command('customer-ledger <customerId>')
      .description("one customer's ledger with running balance (default: payments and refunds)"),
  )
    .addHelpText(
      'after',
      examples(
        'kontor customer-ledger 7d1e… --ledger 51aa…',
        'kontor customer-ledger 7d1e… --ledger 51aa… --all',
      ),
    )
    .action(
      action<ListingOptions>(io, (ctx, options, [customerId = '']) =>
        listing(ctx, options, customerId),
      ),
    );
}

function trialBalanceCommand(program: Command, io: Io): void {
  program
    .command('trial-balance')
    .description("the ledger's trial balance over months: opening, debit, credit, closing")
    .requiredOption('--ledger <id>', 'ledger id')
    .requiredOption('--from <YYYY-MM>', 'first month')
    .option('--to <YYYY-MM>', 'last month (default: --from)')
    .addHelpText(
      'after',
      examples('kontor trial-balance --ledger 51aa… --from 2026-01 --to 2026-12'),
    )
    .action(
      action<{ ledger: string; from: string; to?: string }>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(BalanceService)
          .getTrialBalance({
            ledgerId: options.ledger,
            fromMonth: options.from,
            toMonth: options.to ?? options.from,
          });
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
