import { type DescService } from '@bufbuild/protobuf';
import { type DynamicModule, type LoggerService, type Type } from '@nestjs/common';
import {
  API_KEY_VERIFIER,
  createGrpcMicroservice,
  generateApiKey,
  InMemoryApiKeyVerifier,
  mapDomainErrors,
  type GrpcMicroservice,
} from '../../src';
import {
  CurrencyCodeError,
  LEDGER_ERROR_STATUS,
  LedgerError,
  LedgerErrorCode,
  Probe,
} from './fake-ledger';

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789abcdef';

// Log lines the app wrote, to check what the server logs and what it keeps from clients.
export class CapturingLogger implements LoggerService {
  readonly lines: { level: string; text: string }[] = [];
  private record(level: string, parts: unknown[]): void {
    this.lines.push({ level, text: parts.map(String).join(' ') });
  }
  log(...parts: unknown[]): void {
    this.record('log', parts);
  }
  error(...parts: unknown[]): void {
    this.record('error', parts);
  }
  warn(...parts: unknown[]): void {
    this.record('warn', parts);
  }
}

export interface TestApp extends GrpcMicroservice {
  readonly address: string;
  readonly verifier: InMemoryApiKeyVerifier;
  readonly probe: Probe;
  readonly logger: CapturingLogger;
  // Issues a tenant API key straight into the verifier and returns its token.
  tenantToken(tenantId: string): string;
}

export interface TestAppOptions {
  readonly controllers: Type<unknown>[];
  readonly services: DescService[];
  readonly shutdownGraceMs?: number;
}

// A real Nest microservice with the real transport on an ephemeral 127.0.0.1 port.
export function createTestApp(
  options: TestAppOptions,
  logger: LoggerService = new CapturingLogger(),
): Promise<GrpcMicroservice> {
  const verifier = new InMemoryApiKeyVerifier();
  const module: DynamicModule = {
    module: class TestModule {},
    controllers: options.controllers,
    providers: [
      Probe,
      { provide: InMemoryApiKeyVerifier, useValue: verifier },
      { provide: API_KEY_VERIFIER, useExisting: InMemoryApiKeyVerifier },
    ],
  };
  return createGrpcMicroservice(module, {
    address: '127.0.0.1:0',
    services: options.services,
    auth: { verifier: API_KEY_VERIFIER, adminToken: ADMIN_TOKEN },
    errors: {
      domain: 'ledger.kontor',
      mappings: [mapDomainErrors(LedgerError, LEDGER_ERROR_STATUS)],
      toDomainError: (error) =>
        error instanceof CurrencyCodeError
          ? new LedgerError(LedgerErrorCode.CURRENCY_INVALID, error.message, {
              fieldViolations: [
                { field: 'base_currency', description: 'must be an ISO 4217 code' },
              ],
            })
          : undefined,
    },
    shutdownGraceMs: options.shutdownGraceMs ?? 5_000,
    nest: { logger },
  });
}

export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  const logger = new CapturingLogger();
  const created = await createTestApp(options, logger);
  await created.app.listen();
  const verifier = created.app.get(InMemoryApiKeyVerifier);
  return {
    ...created,
    address: `127.0.0.1:${created.server.boundPort}`,
    verifier,
    probe: created.app.get(Probe),
    logger,
    tenantToken: (tenantId) => {
      const key = generateApiKey();
      verifier.add(key.keyId, tenantId, key.secretSha256);
      return key.token;
    },
  };
}
