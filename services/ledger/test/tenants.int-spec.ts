import { toJsonString } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import {
  ListApiKeysResponseSchema,
  TenantService,
} from '@kontor/contracts/ledger/v1/tenant_service_pb';
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

  it('lists every tenant oldest first across pages, ending with an empty page token', async () => {
    const admin = harness.client(TenantService, harness.adminToken);
    for (let n = 0; n < 3; n += 1) await harness.newTenant();
    const expected = await harness.query<{ id: string }>(
      'SELECT id FROM ledger.tenants ORDER BY created_at, id',
    );

    const pages: string[][] = [];
    let pageToken = '';
    do {
      const page = await admin.listTenants({ pageSize: 2, pageToken });
      pages.push(page.tenants.map((tenant) => tenant.id));
      pageToken = page.nextPageToken;
    } while (pageToken !== '');

    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(pages.flat()).toEqual(expected.map((row) => row.id));
    expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
    await expect(admin.listTenants({ pageToken: 'forged' })).rejects.toMatchObject({
      code: GrpcStatus.INVALID_ARGUMENT,
      fieldViolations: [{ field: 'page_token' }],
    });
  });

  it('shows one tenant by id, and NOT_FOUND naming tenant_id for an unknown one', async () => {
    const admin = harness.client(TenantService, harness.adminToken);
    const { tenant: created } = await admin.createTenant({ slug: 'shown-one', name: 'Shown' });

    const { tenant } = await admin.getTenant({ tenantId: created!.id });

    expect(tenant).toMatchObject({ id: created!.id, slug: 'shown-one', name: 'Shown' });
    expect(tenant?.createTime).toEqual(created?.createTime);
    await expect(
      admin.getTenant({ tenantId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      fieldViolations: [{ field: 'tenant_id' }],
    });
  });

  it("lists a tenant's keys with label, issue and revocation time, never the secret or its hash", async () => {
    const admin = harness.client(TenantService, harness.adminToken);
    const tenant = await harness.newTenant();
    const second = await admin.issueApiKey({ tenantId: tenant.id, label: 'billing-service' });
    const third = await admin.issueApiKey({ tenantId: tenant.id, label: 'order-service' });
    const { revokeTime } = await admin.revokeApiKey({ tenantId: tenant.id, keyId: second.keyId });

    const first = await admin.listApiKeys({ tenantId: tenant.id, pageSize: 2 });
    const rest = await admin.listApiKeys({ tenantId: tenant.id, pageToken: first.nextPageToken });

    const keys = [...first.apiKeys, ...rest.apiKeys];
    expect(rest.nextPageToken).toBe('');
    expect(keys.map((key) => [key.keyId, key.label, key.tenantId])).toEqual([
      [parseApiKey(tenant.token)!.keyId, 'test', tenant.id],
      [second.keyId, 'billing-service', tenant.id],
      [third.keyId, 'order-service', tenant.id],
    ]);
    expect(keys.map((key) => key.revokeTime !== undefined)).toEqual([false, true, false]);
    expect(keys[1]?.revokeTime).toEqual(revokeTime);
    const [stored] = await harness.query<{ issued_at: Date; secret_sha256: Buffer }>(
      'SELECT issued_at, secret_sha256 FROM ledger.api_keys WHERE key_id = $1',
      [third.keyId],
    );
    expect(timestampDate(keys[2].createTime!)).toEqual(stored.issued_at);
    const wire = [first, rest].map((page) => toJsonString(ListApiKeysResponseSchema, page)).join();
    for (const token of [tenant.token, second.token, third.token]) {
      expect(wire).not.toContain(parseApiKey(token)!.secret);
    }
    expect(wire).not.toContain(stored.secret_sha256.toString('hex'));
    expect(wire).not.toContain(stored.secret_sha256.toString('base64'));
  });

  it('says NOT_FOUND for the keys of an unknown tenant', async () => {
    const admin = harness.client(TenantService, harness.adminToken);

    await expect(
      admin.listApiKeys({ tenantId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      fieldViolations: [{ field: 'tenant_id' }],
    });
  });

  it('names the field of a bad listing request: malformed tenant id, page size, page token', async () => {
    const admin = harness.client(TenantService, harness.adminToken);
    const { id: tenantId } = await harness.newTenant();
    // Shaped like an issued token, but its position is not one a listing could have issued.
    const foreign = Buffer.from('2026-01-01T00:00:00.000Z|not-a-position').toString('base64url');
    const field = (call: Promise<unknown>) =>
      call.then(
        () => 'accepted',
        (error: { code?: number; fieldViolations?: { field: string }[] }) =>
          `${error.code === GrpcStatus.INVALID_ARGUMENT ? 'INVALID_ARGUMENT' : String(error.code)} ${
            error.fieldViolations?.map((violation) => violation.field).join(',') ?? ''
          }`,
      );

    expect(
      await Promise.all([
        field(admin.listApiKeys({ tenantId: 'nope' })),
        field(admin.getTenant({ tenantId: 'nope' })),
        field(admin.listApiKeys({ tenantId, pageSize: 5000 })),
        field(admin.listTenants({ pageSize: -1 })),
        field(admin.listTenants({ pageToken: foreign })),
        field(admin.listApiKeys({ tenantId, pageToken: foreign })),
      ]),
    ).toEqual([
      'INVALID_ARGUMENT tenant_id',
      'INVALID_ARGUMENT tenant_id',
      'INVALID_ARGUMENT page_size',
      'INVALID_ARGUMENT page_size',
      'INVALID_ARGUMENT page_token',
      'INVALID_ARGUMENT page_token',
    ]);
  });

  it('refuses a tenant API key PERMISSION_DENIED on the tenant listings', async () => {
    const tenant = await harness.newTenant();
    const asTenant = harness.client(TenantService, tenant.token);

    await expect(asTenant.listTenants({})).rejects.toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
    });
    await expect(asTenant.getTenant({ tenantId: tenant.id })).rejects.toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
    });
    await expect(asTenant.listApiKeys({ tenantId: tenant.id })).rejects.toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
    });
  });
});
