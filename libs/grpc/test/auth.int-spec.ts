import { Metadata } from '@grpc/grpc-js';
import { LedgerService } from '@kontor/contracts/ledger/v1/ledger_service_pb';
import { TenantService } from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { createClient, generateApiKey, GrpcStatus } from '../src';
import { FakeLedgerController, FakeTenantController } from './support/fake-ledger';
import { ADMIN_TOKEN, startTestApp, type TestApp } from './support/test-app';

describe('authenticating calls with API keys and the admin credential', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({
      controllers: [FakeLedgerController, FakeTenantController],
      services: [LedgerService, TenantService],
    });
  });

  afterAll(async () => {
    await sut.app.close();
  });

  function ledgerClient(token?: string) {
    return createClient(LedgerService, sut.address, { token, defaultDeadlineMs: 5_000 });
  }

  function tenantAdminClient(token?: string) {
    return createClient(TenantService, sut.address, { token, defaultDeadlineMs: 5_000 });
  }

  it('refuses a call without authorization metadata as UNAUTHENTICATED, saying what to send', async () => {
    const client = ledgerClient();
    try {
      await expect(client.listLedgers({})).rejects.toMatchObject({
        code: GrpcStatus.UNAUTHENTICATED,
        reason: 'CREDENTIALS_MISSING',
        message: expect.stringContaining("'authorization: Bearer <token>'") as unknown,
      });
    } finally {
      client.close();
    }
  });

  it.each([
    ['a non-Bearer scheme', 'Basic dXNlcjpwYXNz'],
    ['a token that is not an API key', 'Bearer not-a-kontor-key'],
    ['a key id of the wrong length', `Bearer kontor_abc_${'a'.repeat(43)}`],
    ['a truncated secret', `Bearer ${generateApiKey().token.slice(0, -1)}`],
  ])('refuses %s as UNAUTHENTICATED', async (_, header) => {
    const client = ledgerClient();
    const metadata = new Metadata();
    metadata.set('authorization', header);
    try {
      await expect(client.listLedgers({}, { metadata })).rejects.toMatchObject({
        code: GrpcStatus.UNAUTHENTICATED,
        reason: 'CREDENTIALS_MALFORMED',
        message: expect.stringContaining('kontor_<16 hex key id>_') as unknown,
      });
    } finally {
      client.close();
    }
  });

  it('refuses a well-formed key the verifier does not know as UNAUTHENTICATED', async () => {
    const client = ledgerClient(generateApiKey().token);
    try {
      await expect(client.listLedgers({})).rejects.toMatchObject({
        code: GrpcStatus.UNAUTHENTICATED,
        reason: 'API_KEY_INVALID',
      });
    } finally {
      client.close();
    }
  });

  it('refuses a known key id presented with a different secret as UNAUTHENTICATED', async () => {
    const token = sut.tenantToken('tenant-a');
    const forged = `${token.slice(0, 24)}${generateApiKey().token.slice(24)}`;
    const client = ledgerClient(forged);
    try {
      await expect(client.listLedgers({})).rejects.toMatchObject({
        code: GrpcStatus.UNAUTHENTICATED,
      });
    } finally {
      client.close();
    }
  });

  it('refuses an admin-only rpc for a tenant key with PERMISSION_DENIED', async () => {
    const client = tenantAdminClient(sut.tenantToken('tenant-a'));
    try {
      await expect(client.createTenant({ slug: 'acme', name: 'Acme' })).rejects.toMatchObject({
        code: GrpcStatus.PERMISSION_DENIED,
        reason: 'ADMIN_ONLY',
      });
    } finally {
      client.close();
    }
  });

  it('accepts an admin-only rpc for the admin token', async () => {
    const client = tenantAdminClient(ADMIN_TOKEN);
    try {
      const { tenant } = await client.createTenant({ slug: 'acme', name: 'Acme' });
      expect(tenant?.slug).toBe('acme');
    } finally {
      client.close();
    }
  });

  it('refuses a tenant-scoped rpc for the admin token with PERMISSION_DENIED (it acts for no tenant)', async () => {
    const client = ledgerClient(ADMIN_TOKEN);
    try {
      await expect(client.listLedgers({})).rejects.toMatchObject({
        code: GrpcStatus.PERMISSION_DENIED,
        reason: 'TENANT_KEY_REQUIRED',
      });
    } finally {
      client.close();
    }
  });

  it('authenticates a key issued through the admin rpc, and refuses it once revoked', async () => {
    const admin = tenantAdminClient(ADMIN_TOKEN);
    const issued = await admin.issueApiKey({ tenantId: 'tenant-issued', label: 'billing' });
    const tenant = ledgerClient(issued.token);
    try {
      await tenant.createLedger({ requestId: 'r', name: 'Issued', baseCurrency: 'EUR' });
      expect(sut.probe.observed.at(-1)?.tenantId).toBe('tenant-issued');
      await admin.revokeApiKey({ tenantId: 'tenant-issued', keyId: issued.keyId });
      await expect(tenant.listLedgers({})).rejects.toMatchObject({
        code: GrpcStatus.UNAUTHENTICATED,
        message: `API key ${issued.keyId} is unknown or revoked`,
      });
    } finally {
      admin.close();
      tenant.close();
    }
  });
});
