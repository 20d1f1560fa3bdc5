import { randomUUID } from 'node:crypto';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { ReportingService } from '@kontor/contracts/reporting/v1/reporting_service_pb';
import { checkHealth, GrpcCallError, GrpcStatus } from '@kontor/grpc';
import { eventually, startPlatformFixture, type PlatformFixture } from './support/platform-fixture';

// The one real path through the foundation: ledger gRPC → ledger schema + outbox → Kafka →
// reporting consumer (inbox) → reporting schema → reporting gRPC, all over real connections.
describe('a ledger created over gRPC reaches the reporting service through Kafka', () => {
  let fixture: PlatformFixture;
  let tenantId: string;
  let token: string;

  beforeAll(async () => {
    fixture = await startPlatformFixture();
    const admin = fixture.client('ledger', TenantService, fixture.adminToken);
    const { tenant } = await admin.createTenant({ slug: 'acme-market', name: 'Acme Market' });
    tenantId = tenant!.id;
    ({ token } = await admin.issueApiKey({ tenantId, label: 'e2e' }));
  });

  afterAll(() => fixture?.stop());

  it('serves grpc.health.v1 SERVING on all four services', async () => {
    for (const service of ['ledger', 'import', 'deals', 'reporting'] as const) {
      await expect(checkHealth(fixture.address(service))).resolves.toBe('SERVING');
    }
  });

  it('persists the ledger, publishes LedgerCreated and serves it from the reporting read model', async () => {
    const ledgers = fixture.client('ledger', LedgerService, token);
    const reporting = fixture.client('reporting', ReportingService, token);

    const { ledger, replayed } = await ledgers.createLedger({
      requestId: randomUUID(),
      name: 'Main book',
      baseCurrency: 'eur',
    });
    expect(replayed).toBe(false);
    expect(ledger).toMatchObject({ name: 'Main book', baseCurrency: 'EUR' });

    const stored = await fixture.query<{ tenant_id: string; base_currency: string }>(
      'SELECT tenant_id, base_currency FROM ledger.ledgers WHERE id = $1',
      [ledger!.id],
    );
    expect(stored).toEqual([{ tenant_id: tenantId, base_currency: 'EUR' }]);

    // The reporting service learns of the tenant's key and of the ledger only through Kafka.
    const summary = await eventually(async () => {
      const page = await reporting.listLedgers({});
      return page.ledgers.find((candidate) => candidate.ledgerId === ledger!.id);
    });
    expect(summary).toMatchObject({ name: 'Main book', baseCurrency: 'EUR' });
    expect(summary.createTime).toEqual(ledger!.createTime);

    const readModel = await fixture.query<{ tenant_id: string }>(
      'SELECT tenant_id FROM reporting.ledger_summaries WHERE id = $1',
      [ledger!.id],
    );
    expect(readModel).toEqual([{ tenant_id: tenantId }]);
  });

  it('answers a retried CreateLedger with the original ledger and publishes it once', async () => {
    const ledgers = fixture.client('ledger', LedgerService, token);
    const request = { requestId: randomUUID(), name: 'Retried book', baseCurrency: 'USD' };

    const first = await ledgers.createLedger(request);
    const retry = await ledgers.createLedger(request);

    expect(retry.replayed).toBe(true);
    expect(retry.ledger!.id).toBe(first.ledger!.id);
    const events = await fixture.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger.outbox WHERE key = $1`,
      [first.ledger!.id],
    );
    expect(events).toEqual([{ n: 1 }]);
  });

  it('rejects the same request_id with different content as ALREADY_EXISTS', async () => {
    const ledgers = fixture.client('ledger', LedgerService, token);
    const requestId = randomUUID();
    await ledgers.createLedger({ requestId, name: 'Book', baseCurrency: 'EUR' });

    const reuse = ledgers.createLedger({ requestId, name: 'Book', baseCurrency: 'USD' });

    await expect(reuse).rejects.toMatchObject({
      code: GrpcStatus.ALREADY_EXISTS,
      fieldViolations: [{ field: 'request_id' }],
    });
  });

  it('rejects a bad currency with INVALID_ARGUMENT naming the field, and writes nothing', async () => {
    const ledgers = fixture.client('ledger', LedgerService, token);
    const requestId = randomUUID();

    const attempt = ledgers.createLedger({ requestId, name: 'Book', baseCurrency: 'EURO' });

    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GrpcCallError);
    expect(error).toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'base_currency' }],
    });
    const rows = await fixture.query('SELECT 1 FROM ledger.ledgers WHERE request_id = $1', [
      requestId,
    ]);
    expect(rows).toHaveLength(0);
  });

  it("never shows one tenant's ledgers to another tenant", async () => {
    const admin = fixture.client('ledger', TenantService, fixture.adminToken);
    const { tenant: other } = await admin.createTenant({ slug: 'other-co', name: 'Other Co' });
    const { token: otherToken } = await admin.issueApiKey({ tenantId: other!.id, label: 'e2e' });
    const mine = await fixture
      .client('ledger', LedgerService, token)
      .createLedger({ requestId: randomUUID(), name: 'Private', baseCurrency: 'EUR' });

    const otherLedgers = fixture.client('ledger', LedgerService, otherToken);
    await expect(otherLedgers.getLedger({ ledgerId: mine.ledger!.id })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
    await expect(otherLedgers.listLedgers({})).resolves.toMatchObject({ ledgers: [] });
    const otherReporting = fixture.client('reporting', ReportingService, otherToken);
    const page = await eventually(() => otherReporting.listLedgers({}));
    expect(page.ledgers).toEqual([]);
  });

  it('refuses calls without a valid API key, and tenant keys on admin rpcs', async () => {
    const anonymous = fixture.client('reporting', ReportingService);
    await expect(anonymous.listLedgers({})).rejects.toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
    });
    const forged = fixture.client('ledger', LedgerService, `${token.slice(0, -4)}AAAA`);
    await expect(forged.listLedgers({})).rejects.toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
    });
    const tenantAsAdmin = fixture.client('ledger', TenantService, token);
    await expect(
      tenantAsAdmin.createTenant({ slug: 'sneaky', name: 'Sneaky' }),
    ).rejects.toMatchObject({ code: GrpcStatus.PERMISSION_DENIED });
  });

  it('stops honouring a revoked key in every service', async () => {
    const admin = fixture.client('ledger', TenantService, fixture.adminToken);
    const { keyId, token: doomed } = await admin.issueApiKey({ tenantId, label: 'doomed' });
    const reporting = fixture.client('reporting', ReportingService, doomed);
    await eventually(() => reporting.listLedgers({}));

    await admin.revokeApiKey({ tenantId, keyId });

    await expect(
      fixture.client('ledger', LedgerService, doomed).listLedgers({}),
    ).rejects.toMatchObject({ code: GrpcStatus.UNAUTHENTICATED });
    await eventually(async () => {
      const refused = await reporting.listLedgers({}).then(
        () => false,
        (error: unknown) => (error as GrpcCallError).code === GrpcStatus.UNAUTHENTICATED,
      );
      return refused ? true : undefined;
    });
  });
});
