import { Command, CommanderError, Option } from 'commander';
import { examples, type Io } from './command-kit';
import { registerBalanceCommands } from './commands/balances';
import { registerDealCommands } from './commands/deals';
import { registerDemoCommand } from './commands/demo';
import { registerEntryCommands } from './commands/entries';
import { registerEventCommands } from './commands/events';
import { registerImportCommands } from './commands/imports';
import { registerLedgerCommands } from './commands/ledgers';
import { registerOrganizationCommands } from './commands/organizations';
import { registerPeriodCommands } from './commands/periods';
import { registerProfileCommands } from './commands/profile';
import { registerReportCommands } from './commands/reports';
import { registerTenantCommands } from './commands/tenants';
import { describeFailure, ExitCode } from './exit-codes';
import { FORMATS } from './output/output';

const VERSION = '0.1.0';

export function buildProgram(io: Io): Command {
  const program = new Command('kontor')
    .description("Kontor's command line: ledgers, entries, balances, imports, deals and reports")
    .version(VERSION)
    .option('--profile <name>', 'connection profile (env KONTOR_PROFILE)')
    .option('--address <host:port>', 'ledger service address (env KONTOR_ADDRESS)')
    .option('--api-key <key>', 'tenant API key (env KONTOR_API_KEY)')
    .option('--admin-token <token>', 'platform admin token (env KONTOR_ADMIN_TOKEN)')
    .option(
      '--tenant <id>',
      'tenant id: events to publish, keys to issue or revoke (env KONTOR_TENANT)',
    )
    .option('--kafka-brokers <list>', 'host:port,… (env KONTOR_KAFKA_BROKERS)')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(FORMATS).default('table'),
    )
    .option('--json', 'same as --output json, for scripts')
    .showHelpAfterError('(add --help for usage and examples)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      `${examples(
        'kontor profile set local --api-key kontor_… --use',
        'kontor ledgers list',
        'kontor customer-ledger 7d1e… --ledger 51aa… --all',
      )}
Connection: flags, then KONTOR_* env, then the profile in ~/.config/kontor/config.yaml, then the
platform \`npm start\` runs in this checkout.
Exit codes: 0 ok, 1 failed, 2 rejected by the server, 3 not found, 4 not authorized,
64 usage, 65 bad input file, 69 server unreachable, 78 missing connection settings.
`,
    );

  registerProfileCommands(program, io);
  registerTenantCommands(program, io);
  registerOrganizationCommands(program, io);
  registerLedgerCommands(program, io);
  registerPeriodCommands(program, io);
  registerEntryCommands(program, io);
  registerBalanceCommands(program, io);
  registerImportCommands(program, io);
  registerDealCommands(program, io);
  registerReportCommands(program, io);
  registerEventCommands(program, io);
  registerDemoCommand(program, io);

  // Every command reports usage errors through the same path, with the same exit code.
  const exitOverride = (command: Command) => {
    command.exitOverride();
    command.configureOutput(program.configureOutput());
    command.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs one command line; resolves to the process exit code, never throws. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; anything else commander already explained on stderr.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const failure = describeFailure(error, io.env['KONTOR_DEBUG'] !== undefined);
    for (const line of failure.lines) io.stderr.write(`kontor: ${line}\n`);
    return failure.exitCode;
  }
}
