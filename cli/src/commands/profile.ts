import { type Command } from 'commander';
import { action, examples, type Io } from '../command-kit';
import {
  configFilePath,
  readConfigFile,
  writeConfigFile,
  type Profile,
} from '../connection/config-file';
import { configError } from '../exit-codes';
import { messageOf, recordOf, tableOf } from '../output/output';

interface SetOptions {
  address?: string;
  apiKey?: string;
  adminToken?: string;
  tenant?: string;
  kafkaBrokers?: string;
  importAddress?: string;
  dealsAddress?: string;
  reportingAddress?: string;
  use?: boolean;
}

// Shows that a secret is set without printing it.
const redact = (secret: string | undefined) => (secret ? `${secret.slice(0, 12)}…` : '');

export function registerProfileCommands(program: Command, io: Io): void {
  const profile = program
    .command('profile')
    .description('connection profiles in ~/.config/kontor/config.yaml (address, API key, …)')
    .addHelpText('after', examples('kontor profile list', 'kontor profile show'));
  profileSetCommand(profile, io);
  profileUseCommand(profile, io);
  profileListCommand(profile, io);
  profileShowCommand(profile, io);
}

function defined<T extends Record<string, string | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

function profileSetCommand(profile: Command, io: Io): void {
  profile
    .command('set <name>')
    .description('create or update a profile (the connection flags given are saved into it)')
    .option('--import-address <host:port>', 'import service (default: ledger port + 1)')
    .option('--deals-address <host:port>', 'deals service (default: ledger port + 2)')
    .option('--reporting-address <host:port>', 'reporting service (default: ledger port + 3)')
    .option('--use', 'make it the current profile')
    .addHelpText(
      'after',
      examples(
        'kontor profile set prod --address ledger.kontor.internal:50051 --api-key kontor_… --use',
        'kontor profile set local --tenant 0b6f…',
      ),
    )
    .action(
      action<SetOptions>(io, (ctx, options, [name = '']) => {
        const path = configFilePath(io.env);
        const config = readConfigFile(path);
        const current: Profile = config.profiles[name] ?? {};
        const services = {
          ...current.services,
          ...defined({
            import: options.importAddress,
            deals: options.dealsAddress,
            reporting: options.reportingAddress,
          }),
        };
        config.profiles[name] = {
          ...current,
          ...defined({
            address: options.address,
            apiKey: options.apiKey,
            adminToken: options.adminToken,
            tenantId: options.tenant,
            kafkaBrokers: options.kafkaBrokers,
          }),
          ...(Object.keys(services).length > 0 ? { services } : {}),
        };
        if (options.use || !config.currentProfile) config.currentProfile = name;
        writeConfigFile(path, config);
        const suffix = config.currentProfile === name ? ' (current)' : '';
        ctx.out.note(`saved profile "${name}"${suffix} in ${path}`);
        return undefined;
      }),
    );
}

function profileUseCommand(profile: Command, io: Io): void {
  profile
    .command('use <name>')
    .description('make a profile the current one')
    .addHelpText('after', examples('kontor profile use prod'))
    .action(
      action(io, (_ctx, _options, [name = '']) => {
        const path = configFilePath(io.env);
        const config = readConfigFile(path);
        if (!config.profiles[name]) throw configError(`no profile "${name}" in ${path}`);
        config.currentProfile = name;
        writeConfigFile(path, config);
        return messageOf(`current profile: ${name}`, { currentProfile: name });
      }),
    );
}

function profileListCommand(profile: Command, io: Io): void {
  profile
    .command('list')
    .description('list the saved profiles')
    .addHelpText('after', examples('kontor profile list', 'kontor profile list --json'))
    .action(
      action(io, () => {
        const config = readConfigFile(configFilePath(io.env));
        const rows = Object.entries(config.profiles).map(([name, saved]) => ({ name, saved }));
        return tableOf(
          rows,
          [
            { header: 'current', cell: (row) => (row.name === config.currentProfile ? '*' : '') },
            { header: 'name', cell: (row) => row.name },
            { header: 'address', cell: (row) => row.saved.address ?? '' },
            { header: 'tenant', cell: (row) => row.saved.tenantId ?? '' },
            { header: 'api key', cell: (row) => redact(row.saved.apiKey) },
          ],
          rows.map((row) => ({
            name: row.name,
            current: row.name === config.currentProfile,
            address: row.saved.address,
            tenantId: row.saved.tenantId,
          })),
        );
      }),
    );
}

function profileShowCommand(profile: Command, io: Io): void {
  profile
    .command('show')
    .description('show the connection settings in effect (after flags, env and profile)')
    .addHelpText('after', examples('kontor profile show', 'kontor --profile prod profile show'))
    .action(
      action(io, (ctx) => {
        const settings = ctx.connection().settings;
        return recordOf(
          [
            ['profile', settings.profile ?? '(none)'],
            ...Object.entries(settings.addresses).map(([service, address]): [string, string] => [
              `${service} address`,
              address,
            ]),
            ['tenant', settings.tenantId ?? ''],
            ['api key', redact(settings.apiKey)],
            ['admin token', redact(settings.adminToken)],
            ['kafka brokers', settings.kafkaBrokers.join(',')],
          ],
          {
            profile: settings.profile,
            addresses: settings.addresses,
            tenantId: settings.tenantId,
            apiKeySet: settings.apiKey !== undefined,
            adminTokenSet: settings.adminToken !== undefined,
            kafkaBrokers: settings.kafkaBrokers,
          },
        );
      }),
    );
}
