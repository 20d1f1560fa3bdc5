import { CONSUMED_TOPICS } from '@kontor/events';
import { randomBytes } from 'node:crypto';
import { dropDatabase, localServiceRole, type ServiceName } from '@kontor/db';
import { serverAdminUrl, startPlatform, testKafkaBrokers } from '@kontor/testing';

export interface CliPlatform {
  addresses: Partial<Record<ServiceName, string>>;
  adminToken: string;
  kafkaBrokers: string;
  stop(): Promise<void>;
}

/** The built services as real processes on a database of their own, for the CLI to talk to. */
export async function startCliPlatform(services: ServiceName[]): Promise<CliPlatform> {
  const database = `kontor_cli_${randomBytes(4).toString('hex')}`;
  const adminToken = `kontor_admin_${randomBytes(24).toString('base64url')}`;
  const kafkaBrokers = testKafkaBrokers().join(',');
  const output: string[] = [];
  const platform = await startPlatform({
    serverUrl: serverAdminUrl(),
    database,
    kafkaBrokers,
    adminToken,
    services,
    // Earlier test files' events first, so no test spends its time budget on them.
    caughtUp: CONSUMED_TOPICS,
    env: { LOG_LEVEL: 'warn' },
    onOutput: (service, line) => output.push(`${service} | ${line}`),
  }).catch((error: unknown) => {
    // What the services said is the only clue to a failed start.
    console.error(output.join('\n'));
    throw error;
  });
  return {
    addresses: platform.addresses,
    adminToken,
    kafkaBrokers,
    async stop() {
      await platform.stop();
      const roles = services.map((service) => localServiceRole(database, service).role);
      await dropDatabase(serverAdminUrl(), database, roles);
    },
  };
}
