import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { toJson } from '@bufbuild/protobuf';
import { SingleBar } from 'cli-progress';
import { type Command } from 'commander';
import {
  type ImportProfile,
  ImportProfileSchema,
  ErrorPolicySchema,
} from '@kontor/contracts/imports/v1/import_profile_pb';
import {
  CreateProfileRequestSchema,
  ImportService,
  type Job,
  JobSchema,
  JobState,
  JobStateSchema,
  type RowError,
  RowErrorSchema,
  type WouldBeEntry,
  WouldBeEntrySchema,
} from '@kontor/contracts/imports/v1/import_service_pb';
import { action, type CommandContext, examples, type Io } from '../command-kit';
import { type Connection } from '../connection/connection';
import { ExitCode, inputError, type ExitCodeValue } from '../exit-codes';
import { type Column, type Printable, recordOf, tableOf } from '../output/output';
import { enumChoices, enumLabel, money, parseEnum, timestamp } from '../output/values';
import { readMessageFile } from './message-file';
import { positiveInteger } from './paging';

const UPLOAD_CHUNK_BYTES = 256 * 1024;
const TERMINAL_STATES = new Set([
  JobState.COMPLETED,
  JobState.REJECTED,
  JobState.CANCELLED,
  JobState.FAILED,
]);

const ERROR_COLUMNS: Column<RowError>[] = [
  { header: 'row', cell: (error) => error.rowNumber.toString(), align: 'right' },
  { header: 'column', cell: (error) => error.column },
  { header: 'value', cell: (error) => error.rawValue },
  { header: 'reason', cell: (error) => error.reason },
];

function jobSummary(job: Job | undefined): [string, string][] {
  if (!job) return [];
  const counts = job.counts;
  return [
    ['job', job.id],
    ['state', enumLabel(JobStateSchema, job.state)],
    [
      'file',
      `${job.fileName} (${job.fileSize.toString()} bytes, sha256 ${job.fileSha256.slice(0, 12)}…)`,
    ],
    ['rows read', counts?.rowsRead.toString() ?? '0'],
    ['valid', counts?.rowsValid.toString() ?? '0'],
    ['invalid', counts?.rowsInvalid.toString() ?? '0'],
    ['posted', counts?.rowsPosted.toString() ?? '0'],
    ['already posted (skipped)', counts?.rowsDuplicate.toString() ?? '0'],
    ['posted totals', job.postedTotals.map(money).join(', ')],
    ...(job.sameFileAsJobId ? [['same file as job', job.sameFileAsJobId] as [string, string]] : []),
    ...(job.failure ? [['failure', job.failure] as [string, string]] : []),
  ];
}

const EXIT_OF_STATE: Partial<Record<JobState, ExitCodeValue>> = {
  [JobState.REJECTED]: ExitCode.rejected,
  [JobState.CANCELLED]: ExitCode.failed,
  [JobState.FAILED]: ExitCode.failed,
};

export function registerImportCommands(program: Command, io: Io): void {
  const imports = program
    .command('import')
    .description('import CSV files (partner statements, payouts, bank exports) with a profile')
    .addHelpText('after', examples('kontor import run statement.csv --import-profile 5c1d…'));

  const profiles = imports
    .command('profiles')
    .description('saved, versioned import profiles: how to read a file and post its rows')
    .addHelpText('after', examples('kontor import profiles list'));
  profileCreateCommand(profiles, io);
  profileListCommand(profiles, io);
  profileShowCommand(profiles, io);
  importRunCommand(imports, io);
  importStatusCommand(imports, io);
  importCancelCommand(imports, io);
  importRejectedCommand(imports, io);
}

const shownProfile = (profile: ImportProfile | undefined): Printable =>
  recordOf(
    [
      ['id', profile?.id ?? ''],
      ['version', String(profile?.version ?? '')],
      ['name', profile?.name ?? ''],
      ['created', timestamp(profile?.createTime)],
    ],
    profile ? toJson(ImportProfileSchema, profile) : null,
  );

function profileCreateCommand(profiles: Command, io: Io): void {
  profiles
    .command('create')
    .description('save a profile from a YAML/JSON file: { name, definition: { file, values, … } }')
    .requiredOption('-f, --file <path>', 'profile file (proto JSON form of CreateProfileRequest)')
    .addHelpText('after', examples('kontor import profiles create --file partner-statement.yaml'))
    .action(
      action<{ file: string }>(io, async (ctx, options) => {
        const request = readMessageFile(CreateProfileRequestSchema, options.file);
        if (!request.requestId) request.requestId = randomUUID();
        const response = await ctx.connection().tenant(ImportService).createProfile(request);
        return shownProfile(response.profile);
      }),
    );
}

function profileListCommand(profiles: Command, io: Io): void {
  profiles
    .command('list')
    .description('list the profiles (latest version of each)')
    .addHelpText('after', examples('kontor import profiles list --json'))
    .action(
      action(io, async (ctx) => {
        const response = await ctx.connection().tenant(ImportService).listProfiles({});
        return tableOf(
          response.profiles,
          [
            { header: 'id', cell: (profile) => profile.id },
            { header: 'version', cell: (profile) => String(profile.version), align: 'right' },
            { header: 'name', cell: (profile) => profile.name },
            { header: 'created', cell: (profile) => timestamp(profile.createTime) },
          ],
          { profiles: response.profiles.map((profile) => toJson(ImportProfileSchema, profile)) },
        );
      }),
    );
}

function profileShowCommand(profiles: Command, io: Io): void {
  profiles
    .command('show <profileId>')
    .description('show a profile (its latest version, or --profile-version)')
    // Not --version: that one is kontor's own and prints the CLI's version wherever it appears.
    .option('--profile-version <n>', 'a past version', positiveInteger)
    .addHelpText(
      'after',
      examples(
        'kontor import profiles show 5c1d… --json',
        'kontor import profiles show 5c1d… --profile-version 1',
      ),
    )
    .action(
      action<{ profileVersion?: number }>(io, async (ctx, options, [profileId = '']) => {
        const response = await ctx
          .connection()
          .tenant(ImportService)
          .getProfile({ profileId, version: options.profileVersion ?? 0 });
        return shownProfile(response.profile);
      }),
    );
}

interface RunOptions {
  importProfile: string;
  importProfileVersion?: number;
  dryRun?: boolean;
  policy: string;
  preview: number;
  rejectedOut?: string;
}

function importRunCommand(imports: Command, io: Io): void {
  imports
    .command('run <csvFile>')
    .description('upload a file, validate every row, then (unless --dry-run) post the rows')
    // Not --profile: that one names the connection profile.
    .requiredOption('--import-profile <profileId>', 'import profile (kontor import profiles list)')
    .option('--import-profile-version <n>', 'its version (default: latest)', positiveInteger)
    .option('--dry-run', 'validate only: summary, first errors, would-be entries')
    .option(
      '--policy <policy>',
      `on row errors: ${enumChoices(ErrorPolicySchema).join(' or ')}`,
      'reject-file',
    )
    .option('--preview <n>', 'errors and would-be entries to show', positiveInteger, 10)
    .option('--rejected-out <path>', 'where rejected rows go (default: <csvFile>.rejected.csv)')
    .addHelpText(
      'after',
      examples(
        'kontor import run payouts-2026-03.csv --import-profile 5c1d… --dry-run',
        'kontor import run payouts-2026-03.csv --import-profile 5c1d… --policy post-valid-rows',
      ),
    )
    .action(
      action<RunOptions>(io, (ctx, options, [csvFile = '']) => runImport(ctx, options, csvFile)),
    );
}

/** The CSV's size; a path that is missing or not a file is bad input (exit 65), not a crash. */
function csvFileSize(path: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw inputError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (!stats.isFile()) throw inputError(`${path} is not a file`);

  return stats.size;
}

async function runImport(ctx: CommandContext, options: RunOptions, csvFile: string) {
  const policy = parseEnum(ErrorPolicySchema, '--policy', options.policy);
  const size = csvFileSize(csvFile);
  const client = ctx.connection().tenant(ImportService);
  const { job: created } = await client.createJob({
    requestId: randomUUID(),
    profileId: options.importProfile,
    profileVersion: options.importProfileVersion ?? 0,
    fileName: basename(csvFile),
  });
  const jobId = created?.id ?? '';
  ctx.out.note(`job ${jobId}: uploading ${basename(csvFile)} (${size} bytes)`);
  await client.uploadFile(fileChunks(jobId, csvFile));
  const validated = await client.validateJob({ jobId, previewLimit: options.preview });
  const job = validated.job;
  if (options.dryRun || !job || job.state !== JobState.VALIDATED) {
    if (validated.errors.length > 0) {
      ctx.out.note(
        `first ${validated.errors.length} row errors:\n${ctx.out.render(tableOf(validated.errors, ERROR_COLUMNS, null))}`,
      );
    }
    if (validated.entries.length > 0) {
      ctx.out.note(`would post, e.g.:\n${ctx.out.render(wouldBeTable(validated.entries))}`);
    }
    return recordOf(jobSummary(job), {
      job: job ? toJson(JobSchema, job) : null,
      errors: validated.errors.map((error) => toJson(RowErrorSchema, error)),
      entries: validated.entries.map((entry) => toJson(WouldBeEntrySchema, entry)),
    });
  }
  await client.commitJob({ jobId, policy });
  const finished = await watchUntilDone(ctx, ctx.connection(), jobId);
  const rejectedRows = finished?.counts?.rowsInvalid ?? 0n;
  if (rejectedRows > 0n) {
    const path = options.rejectedOut ?? `${csvFile}.rejected.csv`;
    await downloadRejected(ctx.connection(), jobId, path);
    ctx.out.note(`${rejectedRows} rejected rows with their errors: ${path} (fix and re-import)`);
  }
  const summary = recordOf(jobSummary(finished), {
    job: finished ? toJson(JobSchema, finished) : null,
  });
  const exitCode = finished ? EXIT_OF_STATE[finished.state] : ExitCode.failed;
  return exitCode ? { ...summary, exitCode } : summary;
}

function wouldBeTable(entries: WouldBeEntry[]) {
  return tableOf(
    entries,
    [
      { header: 'row', cell: (entry) => entry.rowNumber.toString(), align: 'right' },
      { header: 'date', cell: (entry) => entry.entryDate },
      { header: 'debit', cell: (entry) => entry.debitAccountCode },
      { header: 'credit', cell: (entry) => entry.creditAccountCode },
      { header: 'amount', cell: (entry) => money(entry.amount), align: 'right' },
      { header: 'reference', cell: (entry) => entry.reference },
    ],
    null,
  );
}

async function* fileChunks(jobId: string, path: string) {
  for await (const chunk of createReadStream(path, { highWaterMark: UPLOAD_CHUNK_BYTES })) {
    yield { jobId, chunk: chunk as Buffer };
  }
}

/** Follows the job's progress stream; a bar (rows/s, ETA) on a terminal, nothing in a pipe. */
async function watchUntilDone(ctx: CommandContext, connection: Connection, jobId: string) {
  const stderr = ctx.io.stderr as NodeJS.WriteStream;
  const bar = stderr.isTTY
    ? new SingleBar({
        stream: stderr,
        format:
          'posting |{bar}| {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_text}',
        hideCursor: true,
        etaBuffer: 20,
      })
    : undefined;
  let last: Job | undefined;
  try {
    for await (const update of connection.tenant(ImportService).watchJob({ jobId })) {
      last = update.job;
      const counts = last?.counts;
      const total = Number(counts?.rowsValid ?? 0n);
      const done = Number((counts?.rowsPosted ?? 0n) + (counts?.rowsDuplicate ?? 0n));
      const payload = {
        rate: Math.round(update.rowsPerSecond),
        eta_text: update.etaSeconds > 0n ? `${update.etaSeconds.toString()}s` : '-',
      };
      if (bar && !bar.isActive) bar.start(Math.max(total, 1), done, payload);
      bar?.setTotal(Math.max(total, 1));
      bar?.update(done, payload);
      if (last && TERMINAL_STATES.has(last.state)) break;
    }
  } finally {
    bar?.stop();
  }
  if (!last || !TERMINAL_STATES.has(last.state)) {
    const report = await connection.tenant(ImportService).getJobReport({ jobId });
    last = report.job;
  }
  return last;
}

async function downloadRejected(connection: Connection, jobId: string, path: string) {
  const out = createWriteStream(path);
  for await (const part of connection.tenant(ImportService).downloadRejectedRows({ jobId })) {
    if (!out.write(part.chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function importStatusCommand(imports: Command, io: Io): void {
  imports
    .command('status <jobId>')
    .description("a job's state, counts and first row errors")
    .option('--errors <n>', 'row errors to show', positiveInteger, 20)
    .addHelpText('after', examples('kontor import status 8a2f…'))
    .action(
      action<{ errors: number }>(io, async (ctx, options, [jobId = '']) => {
        const report = await ctx
          .connection()
          .tenant(ImportService)
          .getJobReport({ jobId, errorLimit: options.errors });
        if (report.errors.length > 0) {
          ctx.out.note(ctx.out.render(tableOf(report.errors, ERROR_COLUMNS, null)));
        }
        return recordOf(jobSummary(report.job), {
          job: report.job ? toJson(JobSchema, report.job) : null,
          errors: report.errors.map((error) => toJson(RowErrorSchema, error)),
        });
      }),
    );
}

function importCancelCommand(imports: Command, io: Io): void {
  imports
    .command('cancel <jobId>')
    .description('cancel a running job (rows already posted stay posted, each once)')
    .addHelpText('after', examples('kontor import cancel 8a2f…'))
    .action(
      action(io, async (ctx, _options, [jobId = '']) => {
        const { job } = await ctx.connection().tenant(ImportService).cancelJob({ jobId });
        return recordOf(jobSummary(job), { job: job ? toJson(JobSchema, job) : null });
      }),
    );
}

function importRejectedCommand(imports: Command, io: Io): void {
  imports
    .command('rejected <jobId>')
    .description("write a job's rejected rows, with an error column, to fix and re-import")
    .requiredOption('--out <path>', 'CSV file to write')
    .addHelpText('after', examples('kontor import rejected 8a2f… --out rejected.csv'))
    .action(
      action<{ out: string }>(io, async (ctx, options, [jobId = '']) => {
        await downloadRejected(ctx.connection(), jobId, options.out);
        return recordOf([['written', options.out]], { written: options.out });
      }),
    );
}
