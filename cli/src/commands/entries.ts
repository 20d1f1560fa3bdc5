import { toJson } from '@bufbuild/protobuf';
import { type Command } from 'commander';
import {
  type Entry,
  EntrySchema,
  EntryService,
  EntrySide,
  EntrySideSchema,
  EntrySourceSchema,
  PostEntriesResponseSchema,
  TransactionTypeSchema,
} from '@kontor/contracts/ledger/v1/entry_service_pb';
import { action, examples, type Io } from '../command-kit';
import { ExitCode, usageError } from '../exit-codes';
import { type Printable, recordOf, tableOf } from '../output/output';
import {
  enumChoices,
  enumLabel,
  money,
  parseEnum,
  requireOption,
  timestamp,
} from '../output/values';
import { type EntryInputInit, parseLineFlag, readEntryFile, withDefaultKey } from './entry-input';

interface PostOptions {
  file?: string;
  ledger?: string;
  journal?: string;
  date?: string;
  type?: string;
  currency?: string;
  debit?: string[];
  credit?: string[];
  reference?: string;
  description?: string;
  paymentMethod?: string;
  dueDate?: string;
  key?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function shownEntry(entry: Entry | undefined, replayed: boolean): Printable {
  const header: [string, string][] = entry
    ? [
        ['id', entry.id],
        ['journal / number', `${entry.journalSymbol} ${entry.number.toString()}`],
        ['date', entry.entryDate],
        ['type', enumLabel(TransactionTypeSchema, entry.transactionType)],
        ['reference', entry.reference],
        ['description', entry.description],
        ['source', enumLabel(EntrySourceSchema, entry.source)],
        ['posted by', entry.postedBy],
        ['posted at', timestamp(entry.postTime)],
        ['idempotency key', entry.idempotencyKey],
        ...(entry.reversesEntryId ? [['reverses', entry.reversesEntryId] as [string, string]] : []),
        ...entry.lines.map((line, index): [string, string] => [
          `line ${index + 1}`,
          [
            enumLabel(EntrySideSchema, line.side).padEnd(6),
            line.accountCode,
            money(line.amount),
            line.counterpartyId ? `counterparty ${line.counterpartyId}` : '',
          ]
            .filter(Boolean)
            .join('  '),
        ]),
        ...(replayed
          ? [['replayed', 'yes: posted earlier with this key'] as [string, string]]
          : []),
      ]
    : [];
  return recordOf(header, entry ? { entry: toJson(EntrySchema, entry), replayed } : null);
}

function entryFromFlags(options: PostOptions): EntryInputInit {
  const currency = requireOption(options.currency, '--currency');
  const lines = [
    ...(options.debit ?? []).map((value) => parseLineFlag(EntrySide.DEBIT, value, currency)),
    ...(options.credit ?? []).map((value) => parseLineFlag(EntrySide.CREDIT, value, currency)),
  ];
  if (lines.length < 2) throw usageError('an entry needs at least one --debit and one --credit');
  return withDefaultKey({
    idempotencyKey: options.key ?? '',
    ledgerId: requireOption(options.ledger, '--ledger'),
    journalSymbol: requireOption(options.journal, '--journal'),
    entryDate: requireOption(options.date, '--date'),
    transactionType: parseEnum(
      TransactionTypeSchema,
      '--type',
      requireOption(options.type, '--type'),
    ),
    reference: options.reference ?? '',
    description: options.description ?? '',
    paymentMethod: options.paymentMethod ?? '',
    dueDate: options.dueDate ?? '',
    lines,
  });
}

export function registerEntryCommands(program: Command, io: Io): void {
  const entries = program
    .command('entries')
    .description('post, reverse and show journal entries')
    .addHelpText('after', examples('kontor entries post --file entry.yaml'));
  entriePostCommand(entries, io);
  entrieReverseCommand(entries, io);
  entrieShowCommand(entries, io);
}

function entriePostCommand(entries: Command, io: Io): void {
  entries
    .command('post')
    .description('post an entry from flags, or one or more entries from a YAML/JSON file')
    .option('-f, --file <path>', 'entry file (.yaml, .yml or .json); `entries:` for a batch')
    .option('--ledger <id>', 'ledger id')
    .option('--journal <symbol>', 'journal symbol')
    .option('--date <YYYY-MM-DD>', 'entry date (in an open month)')
    .option('--type <type>', enumChoices(TransactionTypeSchema).join(', '))
    .option('--currency <code>', 'currency of the --debit/--credit amounts')
    .option('--debit <ACCOUNT=AMOUNT[:COUNTERPARTY]>', 'a debit line (repeatable)', collect)
    .option('--credit <ACCOUNT=AMOUNT[:COUNTERPARTY]>', 'a credit line (repeatable)', collect)
    .option('--reference <ref>', 'invoice or document reference')
    .option('--description <text>', 'what the entry is')
    .option('--payment-method <method>', 'e.g. card, bank-transfer')
    .option('--due-date <YYYY-MM-DD>', 'for invoices')
    .option('--key <idempotency key>', 'default: derived from the content, so a rerun posts once')
    .addHelpText(
      'after',
      examples(
        'kontor entries post --ledger 51aa… --journal SAL --date 2026-03-02 --type invoice --currency EUR --debit 1200=119.00:7d1e… --credit 4000=100.00 --credit 2500=19.00 --reference INV-1',
        'kontor entries post --file march-accruals.yaml',
      ),
    )
    .action(
      action<PostOptions>(io, async (ctx, options) => {
        const client = ctx.connection().tenant(EntryService);
        if (!options.file) {
          const response = await client.postEntry({ entry: entryFromFlags(options) });
          return shownEntry(response.entry, response.replayed);
        }
        const inputs = readEntryFile(options.file);
        const response = await client.postEntries({ entries: inputs });
        const rows = response.results.map((result, index) => ({ result, index }));
        const rejected = rows.some((row) => row.result.rejection);
        const table = tableOf(
          rows,
          [
            { header: '#', cell: (row) => String(row.index + 1), align: 'right' },
            {
              header: 'result',
              cell: (row) =>
                row.result.rejection
                  ? ctx.out.paint('red', 'rejected')
                  : row.result.replayed
                    ? 'replayed'
                    : ctx.out.paint('green', 'posted'),
            },
            {
              header: 'entry',
              cell: (row) =>
                row.result.entry
                  ? `${row.result.entry.journalSymbol} ${row.result.entry.number.toString()}`
                  : '',
            },
            {
              header: 'detail',
              cell: (row) =>
                row.result.rejection
                  ? [
                      row.result.rejection.message,
                      ...row.result.rejection.fieldViolations.map(
                        (violation) => `${violation.field}: ${violation.description}`,
                      ),
                    ].join('; ')
                  : (row.result.entry?.id ?? ''),
            },
          ],
          toJson(PostEntriesResponseSchema, response),
        );
        return rejected ? { ...table, exitCode: ExitCode.rejected } : table;
      }),
    );
}

function entrieReverseCommand(entries: Command, io: Io): void {
  entries
    .command('reverse <entryId>')
    .description('reverse an entry with a mirror entry (entries are never changed)')
    .requiredOption('--ledger <id>', 'ledger id')
    .option('--date <YYYY-MM-DD>', 'date of the reversal (default: the original date)')
    .option('--description <text>', 'why')
    .option('--key <idempotency key>', 'default: one per entry, so a rerun reverses once')
    .addHelpText(
      'after',
      examples('kontor entries reverse 3e9a… --ledger 51aa… --description "duplicate"'),
    )
    .action(
      action<{ ledger: string; date?: string; description?: string; key?: string }>(
        io,
        async (ctx, options, [entryId = '']) => {
          const response = await ctx
            .connection()
            .tenant(EntryService)
            .reverseEntry({
              ledgerId: options.ledger,
              entryId,
              idempotencyKey: options.key ?? `cli-reversal:${entryId}`,
              entryDate: options.date ?? '',
              description: options.description ?? '',
            });
          return shownEntry(response.entry, response.replayed);
        },
      ),
    );
}

function entrieShowCommand(entries: Command, io: Io): void {
  entries
    .command('show <entryId>')
    .description('show an entry with its lines and who posted it')
    .requiredOption('--ledger <id>', 'ledger id')
    .addHelpText('after', examples('kontor entries show 3e9a… --ledger 51aa…'))
    .action(
      action<{ ledger: string }>(io, async (ctx, options, [entryId = '']) => {
        const response = await ctx
          .connection()
          .tenant(EntryService)
          .getEntry({ ledgerId: options.ledger, entryId });
        return shownEntry(response.entry, false);
      }),
    );
}
