import { toJson } from '@bufbuild/protobuf';
import { randomUUID } from 'node:crypto';
import { type Command } from 'commander';
import {
  type Account,
  AccountRoleSchema,
  AccountSchema,
  AccountService,
  AccountTypeSchema,
  BalanceLimitSchema,
} from '@kontor/contracts/ledger/v1/account_service_pb';
import {
  type Ledger,
  LedgerSchema,
  LedgerService,
} from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { action, examples, type Io } from '../command-kit';
import { type Column, recordOf, tableOf } from '../output/output';
import { enumChoices, enumLabel, parseEnum, timestamp } from '../output/values';
import { collectPages, pageOptions, type PageOptions } from './paging';

const LEDGER_COLUMNS: Column<Ledger>[] = [
  { header: 'id', cell: (ledger) => ledger.id },
  { header: 'name', cell: (ledger) => ledger.name },
  { header: 'currency', cell: (ledger) => ledger.baseCurrency },
  { header: 'owner', cell: (ledger) => ledger.ownerOrganizationId },
];

const ACCOUNT_COLUMNS: Column<Account>[] = [
  { header: 'code', cell: (account) => account.code },
  { header: 'name', cell: (account) => account.name },
  { header: 'type', cell: (account) => enumLabel(AccountTypeSchema, account.type) },
  { header: 'role', cell: (account) => enumLabel(AccountRoleSchema, account.role) },
  { header: 'limit', cell: (account) => enumLabel(BalanceLimitSchema, account.balanceLimit) },
];

const shownLedger = (ledger: Ledger | undefined) =>
  recordOf(
    [
      ['id', ledger?.id ?? ''],
      ['name', ledger?.name ?? ''],
      ['base currency', ledger?.baseCurrency ?? ''],
      ['owner', ledger?.ownerOrganizationId ?? ''],
      ['created', timestamp(ledger?.createTime)],
    ],
    ledger ? toJson(LedgerSchema, ledger) : null,
  );

const shownAccount = (account: Account | undefined) =>
  recordOf(
    ACCOUNT_COLUMNS.map((column): [string, string] => [
      column.header,
      account ? column.cell(account) : '',
    ]),
    account ? toJson(AccountSchema, account) : null,
  );

interface CreateLedgerOptions {
  name: string;
  currency: string;
  owner?: string;
  defaultChart: boolean;
  requestId?: string;
}

export function registerLedgerCommands(program: Command, io: Io): void {
  const ledgers = program
    .command('ledgers')
    .description('ledgers (books) with their base currency')
    .addHelpText('after', examples('kontor ledgers list'));

  registerAccountCommands(program, io);
  ledgerCreateCommand(ledgers, io);
  ledgerListCommand(ledgers, io);
  ledgerShowCommand(ledgers, io);
}

interface CreateAccountOptions {
  ledger: string;
  code: string;
  name: string;
  type: string;
  role?: string;
  balanceLimit?: string;
}

function registerAccountCommands(program: Command, io: Io): void {
  const accounts = program
    .command('accounts')
    .description("a ledger's chart of accounts")
    .addHelpText('after', examples('kontor accounts list --ledger 51aa…'));

  accounts
    .command('create')
    .description('add an account to the chart (code unique per ledger)')
    .requiredOption('--ledger <id>', 'ledger id')
    .requiredOption('--code <code>', 'account code, e.g. 1200')
    .requiredOption('--name <name>', 'account name')
    .requiredOption('--type <type>', enumChoices(AccountTypeSchema).join(', '))
    .option('--role <role>', enumChoices(AccountRoleSchema).join(', '))
    .option('--balance-limit <limit>', enumChoices(BalanceLimitSchema).join(', '))
    .addHelpText(
      'after',
      examples(
        'kontor accounts create --ledger 51aa… --code 1210 --name "Receivables DE" --type asset --role receivable',
        'kontor accounts create --ledger 51aa… --code 1010 --name "Wallet" --type asset --balance-limit no-negative',
      ),
    )
    .action(
      action<CreateAccountOptions>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(AccountService)
          .createAccount({
            ledgerId: options.ledger,
            code: options.code,
            name: options.name,
            type: parseEnum(AccountTypeSchema, '--type', options.type),
            role: options.role ? parseEnum(AccountRoleSchema, '--role', options.role) : 0,
            balanceLimit: options.balanceLimit
              ? parseEnum(BalanceLimitSchema, '--balance-limit', options.balanceLimit)
              : 0,
          });
        return shownAccount(response.account);
      }),
    );

  accounts
    .command('list')
    .description('list the chart of accounts')
    .requiredOption('--ledger <id>', 'ledger id')
    .addHelpText('after', examples('kontor accounts list --ledger 51aa…'))
    .action(
      action<{ ledger: string }>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(AccountService)
          .listAccounts({ ledgerId: options.ledger });
        return tableOf(response.accounts, ACCOUNT_COLUMNS, {
          accounts: response.accounts.map((account) => toJson(AccountSchema, account)),
        });
      }),
    );

  accounts
    .command('show <code>')
    .description('show one account')
    .requiredOption('--ledger <id>', 'ledger id')
    .addHelpText('after', examples('kontor accounts show 1200 --ledger 51aa…'))
    .action(
      action<{ ledger: string }>(io, async (ctx, options, [code = '']) => {
        const response = await ctx
          .connection()
          .tenant(AccountService)
          .getAccount({ ledgerId: options.ledger, code });
        return shownAccount(response.account);
      }),
    );
}

function ledgerCreateCommand(ledgers: Command, io: Io): void {
  ledgers
    .command('create')
    .description('create a ledger, by default with the default chart of accounts')
    .requiredOption('--name <name>', 'ledger name')
    .requiredOption('--currency <code>', 'base currency (ISO 4217)')
    .option('--owner <orgId>', 'owner organization')
    .option('--no-default-chart', 'start with an empty chart of accounts')
    .option('--request-id <id>', 'retry-safe id (default: a new one per run)')
    .addHelpText('after', examples('kontor ledgers create --name "Marketplace" --currency EUR'))
    .action(
      action<CreateLedgerOptions>(io, async (ctx, options) => {
        const response = await ctx
          .connection()
          .tenant(LedgerService)
          .createLedger({
            requestId: options.requestId ?? randomUUID(),
            name: options.name,
            baseCurrency: options.currency,
            ownerOrganizationId: options.owner ?? '',
            createDefaultChart: options.defaultChart,
          });
        return shownLedger(response.ledger);
      }),
    );
}

function ledgerListCommand(ledgers: Command, io: Io): void {
  pageOptions(ledgers.command('list').description('list ledgers'))
    .addHelpText('after', examples('kontor ledgers list', 'kontor ledgers list --output csv'))
    .action(
      action<PageOptions>(io, async (ctx, options) => {
        const client = ctx.connection().tenant(LedgerService);
        const rows = await collectPages(ctx, options, async (pageSize, pageToken) => {
          const page = await client.listLedgers({ pageSize, pageToken });
          return { items: page.ledgers, nextPageToken: page.nextPageToken };
        });
        return tableOf(rows, LEDGER_COLUMNS, {
          ledgers: rows.map((ledger) => toJson(LedgerSchema, ledger)),
        });
      }),
    );
}

function ledgerShowCommand(ledgers: Command, io: Io): void {
  ledgers
    .command('show <ledgerId>')
    .description('show one ledger')
    .addHelpText('after', examples('kontor ledgers show 51aa…'))
    .action(
      action(io, async (ctx, _options, [ledgerId = '']) => {
        const response = await ctx.connection().tenant(LedgerService).getLedger({ ledgerId });
        return shownLedger(response.ledger);
      }),
    );
}
