import { type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Controller, Injectable } from '@nestjs/common';
import {
  type CreateLedgerRequest,
  type CreateLedgerResponseSchema,
  type GetLedgerRequest,
  type GetLedgerResponseSchema,
  type Ledger,
  type ListLedgersResponseSchema,
  LedgerService,
} from '@kontor/contracts/ledger/v1/ledger_service_pb';
import {
  type CreateTenantRequest,
  type CreateTenantResponseSchema,
  type IssueApiKeyRequest,
  type IssueApiKeyResponseSchema,
  type ListApiKeysResponseSchema,
  type ListTenantsResponseSchema,
  type RevokeApiKeyRequest,
  type RevokeApiKeyResponseSchema,
  TenantService,
} from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { DomainError } from '@kontor/errors';
import {
  type AdminCallContext,
  type ErrorStatusTable,
  generateApiKey,
  GrpcMethod,
  GrpcStatus,
  InMemoryApiKeyVerifier,
  type TenantCallContext,
} from '../../src';
import { type CountRequest, CounterService, type SumRequest } from './counter-service';

// A stand-in for the ledger's domain errors (DomainError from @kontor/errors, as domain code
// imports it), with the status table a service would keep in its transport layer.
export enum LedgerErrorCode {
  NAME_INVALID = 'NAME_INVALID',
  CURRENCY_INVALID = 'CURRENCY_INVALID',
  LEDGER_NOT_FOUND = 'LEDGER_NOT_FOUND',
}

export class LedgerError extends DomainError<LedgerErrorCode> {}

export const LEDGER_ERROR_STATUS: ErrorStatusTable<LedgerErrorCode> = {
  NAME_INVALID: GrpcStatus.INVALID_ARGUMENT,
  CURRENCY_INVALID: GrpcStatus.INVALID_ARGUMENT,
  LEDGER_NOT_FOUND: GrpcStatus.NOT_FOUND,
};

// An error class from outside the domain-error hierarchy (think MoneyError from libs/money),
// translated by the server's toDomainError hook.
export class CurrencyCodeError extends Error {
  constructor(readonly currency: string) {
    super(`unknown currency ${currency}`);
  }
}

// What handlers observed, for assertions; and gates that hold a handler mid-call.
@Injectable()
export class Probe {
  readonly observed: {
    rpc: string;
    name?: string;
    tenantId?: string;
    deadline?: Date;
    aborted?: boolean;
  }[] = [];
  private release: (() => void) | undefined;
  private entered: (() => void) | undefined;
  readonly handlerEntered = new Promise<void>((resolve) => (this.entered = resolve));
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));

  hold(): Promise<void> {
    this.entered?.();
    return this.gate;
  }

  releaseHeld(): void {
    this.release?.();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });
}

type StoredLedger = Ledger & { tenantId: string };

@Controller()
export class FakeLedgerController {
  private readonly ledgers: StoredLedger[] = [];

  constructor(private readonly probe: Probe) {}

  @GrpcMethod(LedgerService, 'createLedger')
  async createLedger(
    req: CreateLedgerRequest,
    ctx: TenantCallContext,
  ): Promise<MessageInitShape<typeof CreateLedgerResponseSchema>> {
    this.probe.observed.push({
      rpc: ctx.rpc,
      name: req.name,
      tenantId: ctx.caller.tenantId,
      deadline: ctx.deadline,
    });
    if (req.name === 'explode')
      throw new Error('connection to db-primary:5432 refused (password=hunter2)');
    if (req.name === 'hold') await this.probe.hold();
    if (req.name === 'slow') {
      await sleep(5_000, ctx.signal).catch(() => undefined);
      this.probe.observed.push({ rpc: 'slow-finished', aborted: ctx.signal.aborted });
    }
    if (req.name.trim() === '') {
      throw new LedgerError(LedgerErrorCode.NAME_INVALID, 'ledger name must not be empty', {
        fieldViolations: [{ field: 'name', description: 'must have 1-200 characters' }],
        reason: 'LEDGER_NAME_INVALID',
      });
    }
    if (!/^[A-Z]{3}$/.test(req.baseCurrency)) throw new CurrencyCodeError(req.baseCurrency);
    const ledger: StoredLedger = {
      $typeName: 'kontor.ledger.v1.Ledger',
      id: `ledger-${this.ledgers.length + 1}`,
      name: req.name,
      baseCurrency: req.baseCurrency,
      createTime: timestampFromDate(new Date('2026-03-01T12:34:56.789Z')),
      ownerOrganizationId: req.ownerOrganizationId,
      tenantId: ctx.caller.tenantId,
    };
    this.ledgers.push(ledger);
    return { ledger: { ...ledger }, replayed: false };
  }

  @GrpcMethod(LedgerService, 'getLedger')
  getLedger(
    req: GetLedgerRequest,
    ctx: TenantCallContext,
  ): MessageInitShape<typeof GetLedgerResponseSchema> {
    // Scoping by the caller's tenant: another tenant's ledger is indistinguishable from none.
    const found = this.ledgers.find(
      (l) => l.id === req.ledgerId && l.tenantId === ctx.caller.tenantId,
    );
    if (found === undefined) {
      throw new LedgerError(LedgerErrorCode.LEDGER_NOT_FOUND, `ledger ${req.ledgerId} not found`);
    }
    return { ledger: { ...found } };
  }

  @GrpcMethod(LedgerService, 'listLedgers')
  listLedgers(
    _req: unknown,
    ctx: TenantCallContext,
  ): MessageInitShape<typeof ListLedgersResponseSchema> {
    return { ledgers: this.ledgers.filter((l) => l.tenantId === ctx.caller.tenantId) };
  }
}

@Controller()
export class FakeTenantController {
  constructor(private readonly verifier: InMemoryApiKeyVerifier) {}

  @GrpcMethod(TenantService, 'createTenant', { access: 'admin' })
  createTenant(
    req: CreateTenantRequest,
    _ctx: AdminCallContext,
  ): MessageInitShape<typeof CreateTenantResponseSchema> {
    return { tenant: { id: `tenant-${req.slug}`, slug: req.slug, name: req.name } };
  }

  @GrpcMethod(TenantService, 'issueApiKey', { access: 'admin' })
  issueApiKey(req: IssueApiKeyRequest): MessageInitShape<typeof IssueApiKeyResponseSchema> {
    const key = generateApiKey();
    this.verifier.add(key.keyId, req.tenantId, key.secretSha256);
    return { keyId: key.keyId, token: key.token };
  }

  @GrpcMethod(TenantService, 'revokeApiKey', { access: 'admin' })
  revokeApiKey(req: RevokeApiKeyRequest): MessageInitShape<typeof RevokeApiKeyResponseSchema> {
    this.verifier.revoke(req.keyId);
    return { revokeTime: timestampFromDate(new Date()) };
  }

  // The listings are not what these tests exercise; they exist because a served service must
  // have a handler for every rpc.
  @GrpcMethod(TenantService, 'listTenants', { access: 'admin' })
  listTenants(): MessageInitShape<typeof ListTenantsResponseSchema> {
    return { tenants: [] };
  }

  @GrpcMethod(TenantService, 'getTenant', { access: 'admin' })
  getTenant(): never {
    throw new LedgerError(LedgerErrorCode.LEDGER_NOT_FOUND, 'the fake keeps no tenants');
  }

  @GrpcMethod(TenantService, 'listApiKeys', { access: 'admin' })
  listApiKeys(): MessageInitShape<typeof ListApiKeysResponseSchema> {
    return { apiKeys: [] };
  }
}

@Controller()
export class FakeCounterController {
  @GrpcMethod(CounterService, 'count')
  async *count(req: CountRequest, ctx: TenantCallContext): AsyncIterable<{ value: number }> {
    for (let value = 1; value <= req.upTo; value++) {
      if (value === 4 && ctx.caller.tenantId === 'tenant-fails-midway') {
        throw new LedgerError(LedgerErrorCode.NAME_INVALID, 'stopped at 4');
      }
      yield { value };
      await Promise.resolve();
    }
  }

  @GrpcMethod(CounterService, 'sum')
  async sum(requests: AsyncIterable<SumRequest>): Promise<{ total: number; count: number }> {
    let total = 0;
    let count = 0;
    for await (const request of requests) {
      total += request.value;
      count += 1;
    }
    return { total, count };
  }
}
