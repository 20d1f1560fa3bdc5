import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { createClient, GrpcCallError, GrpcStatus, type GrpcClient } from '../src';
import { FakeLedgerController } from './support/fake-ledger';
import { startTestApp, type TestApp } from './support/test-app';

describe('failing calls through KontorGrpcServer', () => {
  let sut: TestApp;
  let client: GrpcClient<(typeof LedgerService)['method']>;

  beforeAll(async () => {
    sut = await startTestApp({ controllers: [FakeLedgerController], services: [LedgerService] });
    client = createClient(LedgerService, sut.address, {
      token: sut.tenantToken('tenant-a'),
      defaultDeadlineMs: 5_000,
    });
  });

  afterAll(async () => {
    client.close();
    await sut.app.close();
  });

  async function failureOf(call: Promise<unknown>): Promise<GrpcCallError> {
    const error: unknown = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof GrpcCallError))
      throw new Error(`expected a GrpcCallError, got ${String(error)}`);
    return error;
  }

  it('delivers a domain error with its status, message, field violations and reason', async () => {
    const error = await failureOf(
      client.createLedger({ requestId: 'r', name: ' ', baseCurrency: 'EUR' }),
    );
    expect(error).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      codeName: 'INVALID_ARGUMENT',
      message: 'ledger name must not be empty',
      reason: 'LEDGER_NAME_INVALID',
      domain: 'ledger.kontor',
      fieldViolations: [{ field: 'name', description: 'must have 1-200 characters' }],
    });
  });

  it('maps each domain error code through the service table (LEDGER_NOT_FOUND -> NOT_FOUND)', async () => {
    const error = await failureOf(client.getLedger({ ledgerId: 'nope' }));
    expect(error).toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      message: 'ledger nope not found',
      reason: 'LEDGER_NOT_FOUND',
      fieldViolations: [],
    });
  });

  it('maps a foreign error class through the toDomainError hook', async () => {
    const error = await failureOf(
      client.createLedger({ requestId: 'r', name: 'X', baseCurrency: 'eu' }),
    );
    expect(error).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      reason: 'CURRENCY_INVALID',
      fieldViolations: [{ field: 'base_currency', description: 'must be an ISO 4217 code' }],
    });
  });

  it('answers an unexpected throw with INTERNAL and a generic message, logging the cause server-side', async () => {
    const error = await failureOf(
      client.createLedger({ requestId: 'r', name: 'explode', baseCurrency: 'EUR' }),
    );
    expect(error.code).toBe(GrpcStatus.INTERNAL);
    expect(error.message).toMatch(/^internal error \(incident [0-9a-f]{12}\)$/);
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(error.metadata.get('grpc-status-details-bin')[0]?.toString()).not.toContain('hunter2');
    const incident = /incident ([0-9a-f]+)/.exec(error.message)?.[1] ?? 'missing';
    const logged = sut.logger.lines.filter((l) => l.level === 'error' && l.text.includes(incident));
    expect(logged).toHaveLength(1);
    expect(logged[0]?.text).toContain('hunter2');
    expect(logged[0]?.text).toContain('/kontor.ledger.v1.LedgerService/CreateLedger');
  });

  it('ends a call whose handler outlives the deadline as DEADLINE_EXCEEDED, and aborts the handler', async () => {
    const started = Date.now();
    const error = await failureOf(
      client.createLedger(
        { requestId: 'r', name: 'slow', baseCurrency: 'EUR' },
        { deadlineMs: 300 },
      ),
    );
    expect(error.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(Date.now() - started).toBeLessThan(2_000);
    const seen = sut.probe.observed.filter((o) => o.name === 'slow').at(-1);
    expect(seen?.deadline?.getTime()).toBeGreaterThan(started);
    expect(seen?.deadline?.getTime()).toBeLessThanOrEqual(started + 1_000);
    await waitFor(() => sut.probe.observed.some((o) => o.rpc === 'slow-finished'));
    expect(sut.probe.observed.find((o) => o.rpc === 'slow-finished')?.aborted).toBe(true);
  });

  it('applies the client default deadline when a call sets none', async () => {
    const hasty = createClient(LedgerService, sut.address, {
      token: sut.tenantToken('tenant-a'),
      defaultDeadlineMs: 200,
    });
    try {
      const error = await failureOf(
        hasty.createLedger({ requestId: 'r', name: 'slow', baseCurrency: 'EUR' }),
      );
      expect(error.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    } finally {
      hasty.close();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
