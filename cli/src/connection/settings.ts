import { configError } from '../exit-codes';
import { configFilePath, readConfigFile, type Profile } from './config-file';
import { findLocalPlatform, type LocalPlatform } from './local-platform';

export const SERVICES = ['ledger', 'import', 'deals', 'reporting'] as const;
export type ServiceKey = (typeof SERVICES)[number];

const DEFAULT_LEDGER_ADDRESS = '127.0.0.1:50051';
const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';

/** The connection flags every command accepts (flags win over env, env over the profile). */
export interface ConnectionFlags {
  profile?: string;
  address?: string;
  apiKey?: string;
  adminToken?: string;
  tenant?: string;
  kafkaBrokers?: string;
}

export interface ConnectionSettings {
  /** The profile used, if any. */
  profile: string | undefined;
  addresses: Record<ServiceKey, string>;
  apiKey: string | undefined;
  adminToken: string | undefined;
  tenantId: string | undefined;
  kafkaBrokers: string[];
}

export interface SettingsSources {
  flags: ConnectionFlags;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Resolves where to connect and with which credential: flags, then KONTOR_* env, then the
 * profile from the config file, then the platform `npm start` runs in this checkout.
 */
export function resolveSettings({ flags, env, cwd }: SettingsSources): ConnectionSettings {
  const config = readConfigFile(configFilePath(env));
  const profileName = flags.profile ?? env['KONTOR_PROFILE'] ?? config.currentProfile;
  let profile: Profile = {};
  if (profileName !== undefined) {
    const found = config.profiles[profileName];
    if (!found && (flags.profile ?? env['KONTOR_PROFILE'])) {
      const known = Object.keys(config.profiles).join(', ') || 'none';
      throw configError(`no profile "${profileName}" in ${configFilePath(env)} (known: ${known})`);
    }
    profile = found ?? {};
  }
  const chosenAddress = flags.address ?? env['KONTOR_ADDRESS'] ?? profile.address;
  // The platform `npm start` runs here (and its admin token) counts unless another ledger was
  // chosen: a profile that points at it, like the one `kontor demo` saves, still gets its token.
  const running = findLocalPlatform(cwd, env);
  const local =
    chosenAddress === undefined || chosenAddress === running?.addresses['ledger']
      ? running
      : undefined;
  const ledger = chosenAddress ?? local?.addresses['ledger'] ?? DEFAULT_LEDGER_ADDRESS;

  return {
    profile: profileName,
    addresses: {
      ledger,
      import: otherAddress('import', 1, { ledger, env, profile, local }),
      deals: otherAddress('deals', 2, { ledger, env, profile, local }),
      reporting: otherAddress('reporting', 3, { ledger, env, profile, local }),
    },
    apiKey: flags.apiKey ?? env['KONTOR_API_KEY'] ?? profile.apiKey,
    adminToken:
      flags.adminToken ?? env['KONTOR_ADMIN_TOKEN'] ?? profile.adminToken ?? local?.adminToken,
    tenantId: flags.tenant ?? env['KONTOR_TENANT'] ?? profile.tenantId,
    kafkaBrokers: (
      flags.kafkaBrokers ??
      env['KONTOR_KAFKA_BROKERS'] ??
      profile.kafkaBrokers ??
      local?.kafkaBrokers ??
      DEFAULT_KAFKA_BROKERS
    )
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  };
}

interface AddressSources {
  ledger: string;
  env: NodeJS.ProcessEnv;
  profile: Profile;
  local: LocalPlatform | undefined;
}

// The other services default to the ledger's host with the next ports (50052, 50053, 50054),
// which is how `npm start` and the manifests lay them out.
function otherAddress(
  service: Exclude<ServiceKey, 'ledger'>,
  offset: number,
  { ledger, env, profile, local }: AddressSources,
): string {
  const explicit =
    env[`KONTOR_${service.toUpperCase()}_ADDRESS`] ??
    profile.services?.[service] ??
    local?.addresses[service];
  if (explicit) return explicit;
  const separator = ledger.lastIndexOf(':');
  const port = Number(ledger.slice(separator + 1));
  if (separator < 0 || !Number.isInteger(port)) {
    throw configError(`address "${ledger}" is not host:port`);
  }
  return `${ledger.slice(0, separator)}:${port + offset}`;
}
