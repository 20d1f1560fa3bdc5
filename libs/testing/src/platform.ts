import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import {
  localServiceRole,
  provisionServiceRoles,
  SERVICE_NAMES,
  type ServiceName,
} from '@kontor/db';
import { checkHealth } from '@kontor/grpc';
import { waitForConsumersCaughtUp } from './consumers-caught-up';

// Runs the real, built services as child processes: what `npm start` runs and what end-to-end
// tests talk to, so both exercise the same binaries, config and shutdown path.

// The same from source (libs/testing/src) and from the build (dist/libs/testing/src).
const WORKSPACE_ROOT = findWorkspaceRoot(__dirname);
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

export interface PlatformOptions {
  /** Superuser URL of the Postgres server; each service gets its own role in `database`. */
  serverUrl: string;
  database: string;
  kafkaBrokers: string;
  adminToken: string;
  services?: ServiceName[];
  /** Port of the first service (ledger), the others follow; 0 picks free ports. */
  basePort?: number;
  host?: string;
  /** Where service output goes; default: prefixed to this process's stdout. */
  onOutput?: (service: ServiceName, line: string) => void;
  /** Extra env for every service, e.g. LOG_LEVEL. */
  env?: Record<string, string>;
  /**
   * INTERNAL_SERVICE_TOKEN shared by the services (the import posts to the ledger with it);
   * default: a random one for this run.
   */
  internalServiceToken?: string;
  /**
   * Also wait until each started service's consumers of these topics (CONSUMED_TOPICS of
   * @kontor/events) have worked through what the topics already hold: test files share a broker,
   * and earlier files' events come first.
   */
  caughtUp?: Partial<Record<ServiceName, readonly string[]>>;
}

export interface RunningPlatform {
  addresses: Partial<Record<ServiceName, string>>;
  /** SIGTERM to every service, wait for them to exit (SIGKILL after 20 s); how each ended. */
  stop(): Promise<Partial<Record<ServiceName, number | string>>>;
}

export function builtServiceEntry(service: ServiceName): string {
  return join(WORKSPACE_ROOT, 'dist', 'services', service, 'src', 'main.js');
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const services = options.services ?? SERVICE_NAMES;
  const host = options.host ?? '127.0.0.1';
  for (const service of services) {
    if (!existsSync(builtServiceEntry(service))) {
      throw new Error(
        `${builtServiceEntry(service)} is missing: build first (npx nx run-many -t build)`,
      );
    }
  }
  const roles = await provisionServiceRoles(
    options.serverUrl,
    options.database,
    services.map((service) => localServiceRole(options.database, service)),
  );
  const children = new Map<ServiceName, ChildProcess>();
  const addresses: Partial<Record<ServiceName, string>> = {};
  const stop = () => stopAll(children);
  const internalServiceToken =
    options.internalServiceToken ?? `kontor_service_${randomBytes(24).toString('base64url')}`;
  try {
    const ports: number[] = [];
    for (const [index, service] of services.entries()) {
      ports.push(options.basePort ? options.basePort + index : await freePort(host));
      addresses[service] = `${host}:${ports[index]}`;
    }
    for (const [index, service] of services.entries()) {
      const env = {
        ...process.env,
        ...options.env,
        DATABASE_URL: roles[index].url,
        KAFKA_BROKERS: options.kafkaBrokers,
        GRPC_HOST: host,
        GRPC_PORT: String(ports[index]),
        PLATFORM_ADMIN_TOKEN: options.adminToken,
        INTERNAL_SERVICE_TOKEN: internalServiceToken,
        // Where services that call the ledger (import) find it; others ignore it.
        ...(addresses.ledger ? { LEDGER_GRPC_ADDRESS: addresses.ledger } : {}),
      };
      children.set(service, spawnService(service, env, options.onOutput));
    }
    await Promise.all(
      services.map((service) => waitUntilServing(service, addresses[service]!, children)),
    );
    const caughtUp = options.caughtUp;
    if (caughtUp) {
      const brokers = options.kafkaBrokers.split(',');
      await Promise.all(
        services.map((service) =>
          waitForConsumersCaughtUp(brokers, service, caughtUp[service] ?? []),
        ),
      );
    }

    return { addresses, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function spawnService(
  service: ServiceName,
  env: NodeJS.ProcessEnv,
  onOutput: PlatformOptions['onOutput'],
): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', builtServiceEntry(service)], {
    cwd: WORKSPACE_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: Ctrl-C reaches the launcher only, which stops services before Kafka.
    detached: true,
  });
  const write = onOutput ?? ((name, line) => process.stdout.write(`${name.padEnd(9)} | ${line}\n`));
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (buffered + chunk).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) write(service, line);
    });
  }

  return child;
}

async function waitUntilServing(
  service: ServiceName,
  address: string,
  children: Map<ServiceName, ChildProcess>,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const child = children.get(service)!;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${service} exited (code ${child?.exitCode}) before it was ready; see its output above`,
      );
    }
    const status = await checkHealth(address, '', 1_000).catch(() => 'UNREACHABLE');
    if (status === 'SERVING') return;
    if (Date.now() > deadline)
      throw new Error(`${service} at ${address} not SERVING after 60 s (last: ${status})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stopAll(
  children: Map<ServiceName, ChildProcess>,
): Promise<Partial<Record<ServiceName, number | string>>> {
  const exits = await Promise.all(
    [...children.entries()].map(
      ([service, child]) =>
        new Promise<[ServiceName, number | string]>((resolve) => {
          const ended = () => child.exitCode ?? child.signalCode ?? 'unknown';
          if (child.exitCode !== null || child.signalCode !== null)
            return resolve([service, ended()]);
          const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve([service, ended()]);
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  children.clear();

  return Object.fromEntries(exits);
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

function findWorkspaceRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
  }
  throw new Error(`no nx.json above ${from}`);
}
