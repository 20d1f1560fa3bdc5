import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { GrpcStatus, parseApiKey } from '@kontor/grpc';
import { startLedgerHarness, type LedgerHarness } from './support/ledger-harness';

describe('tenants and API keys', () => {
  let harness: LedgerHarness;

  beforeAll(async () => {
    harness = await startLedgerHarness();
  });
  afterAll(() => harness?.stop());

  it('stores only the SHA-256 of an issued key, never the token', async () => {
    const tenant = await harness.newTenant();
    const rows = await harness.query<{ secret_sha256: Buffer }>(
      'SELECT secret_sha256 FROM ledger.api_keys WHERE tenant_id = $1',
      [tenant.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].secret_sha256).toHaveLength(32);
    const dump = JSON.stringify(await harness.query('SELECT * FROM ledger.api_keys'));
    expect(dump).not.toContain(parseApiKey(tenant.token)!.secret);
  });

  it('rejects a taken slug with ALREADY_EXISTS naming the slug', async () => {
    const admin = harness.client(TenantService, harness.adminToken);
    await admin.createTenant({ slug: 'dup-slug', name: 'First' });

    await expect(admin.createTenant({ slug: 'dup-slug', name: 'Second' })).rejects.toMatchObject({
      code: GrpcStatus.ALREADY_EXISTS,
      message: expect.stringContaining('"dup-slug"'),
      fieldViolations: [{ field: 'slug' }],
    });
  });

  it('rejects a key for an unknown or malformed tenant id', async () => {
    const admin = harness.client(TenantService, harness.adminToken);
    await expect(
      admin.issueApiKey({ tenantId: '00000000-0000-4000-8000-000000000000', label: 'x' }),
    ).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    await expect(admin.issueApiKey({ tenantId: 'nope', label: 'x' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'tenant_id' }],
    });
  });
});
