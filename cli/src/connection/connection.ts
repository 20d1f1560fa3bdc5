import { status } from '@grpc/grpc-js';
import { type GenService, type GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { createClient, GrpcCallError, type GrpcClient } from '@kontor/grpc/client';
import { CliError, configError, ExitCode } from '../exit-codes';
import { type ConnectionSettings, type ServiceKey } from './settings';

const CALL_DEADLINE_MS = 30_000;

// Which service serves a contract, from its proto package: kontor.<package>.v1.<Service>.
const SERVICE_OF_PACKAGE: Record<string, ServiceKey> = {
  ledger: 'ledger',
  imports: 'import',
  deals: 'deals',
  reporting: 'reporting',
};

type Credential = 'tenant' | 'admin';

/** gRPC clients for the resolved settings, created on first use and closed at the end. */
export class Connection {
  private readonly clients: { close(): void }[] = [];

  constructor(readonly settings: ConnectionSettings) {}

  /** A client calling as the tenant of the API key. */
  tenant<S extends GenServiceMethods>(contract: GenService<S>): GrpcClient<S> {
    return this.client(contract, 'tenant');
  }

  /** A client calling with the platform admin token (tenant and key management). */
  admin<S extends GenServiceMethods>(contract: GenService<S>): GrpcClient<S> {
    return this.client(contract, 'admin');
  }

  /** The tenant id events are published for (events carry it; API keys do not). */
  requireTenantId(): string {
    if (this.settings.tenantId) return this.settings.tenantId;
    throw configError(
      'no tenant id: pass --tenant, set KONTOR_TENANT or save it in the profile ' +
        '(kontor profile set <name> --tenant <id>)',
    );
  }

  close(): void {
    for (const client of this.clients.splice(0)) client.close();
  }

  private client<S extends GenServiceMethods>(
    contract: GenService<S>,
    credential: Credential,
  ): GrpcClient<S> {
    const service = serviceOf(contract.typeName);
    const address = this.settings.addresses[service];
    const client = createClient(contract, address, {
      token: this.token(credential),
      defaultDeadlineMs: CALL_DEADLINE_MS,
    });
    this.clients.push(client);

    return explainUnreachable(client, contract, `${service} service at ${address}`);
  }

  private token(credential: Credential): string {
    if (credential === 'admin') {
      if (this.settings.adminToken) return this.settings.adminToken;
      throw configError(
        'no admin token: pass --admin-token, set KONTOR_ADMIN_TOKEN or save it in the profile ' +
          '(`npm start` prints it and keeps it in .data/admin-token)',
      );
    }
    if (this.settings.apiKey) return this.settings.apiKey;
    throw configError(
      'no API key: pass --api-key, set KONTOR_API_KEY or save one in a profile ' +
        '(kontor profile set <name> --api-key <key>)',
    );
  }
}

function serviceOf(typeName: string): ServiceKey {
  const service = SERVICE_OF_PACKAGE[typeName.split('.')[1] ?? ''];
  if (!service) throw new Error(`no Kontor service serves ${typeName}`);
  return service;
}

function unreachable(error: unknown, target: string): unknown {
  const failure = GrpcCallError.from(error);
  if (failure.code === status.UNAVAILABLE) {
    return new CliError(
      ExitCode.unavailable,
      `cannot reach the ${target} (${failure.message}); is Kontor running? \`npm start\` starts it`,
    );
  }
  if (failure.code === status.DEADLINE_EXCEEDED) {
    return new CliError(ExitCode.unavailable, `the ${target} did not answer in time`);
  }
  return failure;
}

// Wraps every method so an unreachable server reads as one actionable line naming the address.
function explainUnreachable<S extends GenServiceMethods>(
  client: GrpcClient<S>,
  contract: GenService<S>,
  target: string,
): GrpcClient<S> {
  const wrapped: Record<string, unknown> = { close: () => client.close() };
  const calls = client as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of contract.methods) {
    const call = calls[method.localName];
    if (!call) continue;
    wrapped[method.localName] =
      method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming'
        ? async function* (...args: unknown[]) {
            try {
              yield* call(...args) as AsyncIterable<unknown>;
            } catch (error) {
              throw unreachable(error, target);
            }
          }
        : async (...args: unknown[]) => {
            try {
              return await (call(...args) as Promise<unknown>);
            } catch (error) {
              throw unreachable(error, target);
            }
          };
  }
  return wrapped as GrpcClient<S>;
}
