import { Metadata, status } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import { type Access } from '../call-context';
import { GrpcStatusError } from '../errors/grpc-status-error';
import { generateApiKey } from './api-key';
import { InMemoryApiKeyVerifier } from './api-key-verifier';
import { Authenticator, SERVICE_METADATA, TENANT_ID_METADATA } from './authenticator';

const ADMIN = 'the-platform-admin-token-0123456789abcdef';

function bearer(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

async function failure(promise: Promise<unknown>): Promise<GrpcStatusError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GrpcStatusError)) throw new Error('expected a GrpcStatusError');
  return error;
}

describe(Authenticator.name, () => {
  const verifier = new InMemoryApiKeyVerifier();
  const key = generateApiKey();
  verifier.add(key.keyId, 'tenant-1', key.secretSha256);
  const sut = new Authenticator({ verifier, adminToken: ADMIN });

  it.each<[Access, string, string]>([
    ['tenant', key.token, 'tenant'],
    ['admin', ADMIN, 'admin'],
    ['public', 'ignored', 'anonymous'],
  ])('lets a %s rpc through for the right credential', async (access, token, kind) => {
    await expect(sut.authenticate(bearer(token), access, 'S/R')).resolves.toMatchObject({ kind });
  });

  it('gives a tenant caller its tenant id and key id', async () => {
    await expect(sut.authenticate(bearer(key.token), 'tenant', 'S/R')).resolves.toEqual({
      kind: 'tenant',
      tenantId: 'tenant-1',
      keyId: key.keyId,
    });
  });

  it('lets a public rpc through without any metadata', async () => {
    await expect(sut.authenticate(new Metadata(), 'public', 'S/R')).resolves.toEqual({
      kind: 'anonymous',
    });
  });

  it('accepts the scheme name in any case', async () => {
    const metadata = new Metadata();
    metadata.set('authorization', `bearer ${key.token}`);
    await expect(sut.authenticate(metadata, 'tenant', 'S/R')).resolves.toMatchObject({
      kind: 'tenant',
    });
  });

  it('refuses two authorization values as malformed', async () => {
    const metadata = bearer(key.token);
    metadata.add('authorization', `Bearer ${key.token}`);
    const error = await failure(sut.authenticate(metadata, 'tenant', 'S/R'));
    expect([error.code, error.details.reason]).toEqual([
      status.UNAUTHENTICATED,
      'CREDENTIALS_MALFORMED',
    ]);
  });

  it('refuses a revoked key', async () => {
    const revoked = generateApiKey();
    verifier.add(revoked.keyId, 'tenant-1', revoked.secretSha256);
    verifier.revoke(revoked.keyId);
    const error = await failure(sut.authenticate(bearer(revoked.token), 'tenant', 'S/R'));
    expect([error.code, error.details.reason]).toEqual([status.UNAUTHENTICATED, 'API_KEY_INVALID']);
  });

  it('refuses every admin rpc when no admin token is configured', async () => {
    const withoutAdmin = new Authenticator({ verifier });
    const error = await failure(withoutAdmin.authenticate(bearer(ADMIN), 'admin', 'S/R'));
    expect(error.code).toBe(status.UNAUTHENTICATED);
  });

  it('answers UNAVAILABLE (retryable) when the verifier itself fails, and logs why', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const broken = new Authenticator({
      verifier: { verify: () => Promise.reject(new Error('replica down')) },
    });
    const error = await failure(broken.authenticate(bearer(key.token), 'tenant', 'S/R'));
    expect(error.code).toBe(status.UNAVAILABLE);
    expect(logged).toHaveBeenCalledWith(
      `API key verification failed for key ${key.keyId}`,
      expect.objectContaining({ message: 'replica down' }),
    );
  });

  it('refuses to start with an admin token short enough to guess', () => {
    expect(() => new Authenticator({ verifier, adminToken: 'short' })).toThrow(
      'at least 32 characters',
    );
  });
});

describe(`${Authenticator.name} with an internal service token`, () => {
  const SERVICE_TOKEN = 'the-internal-service-token-0123456789abcdef';
  const TENANT = '3f0c7a52-9d1e-4b6a-8f3e-2a1b0c9d8e7f';
  const verifier = new InMemoryApiKeyVerifier();
  const sut = new Authenticator({
    verifier,
    adminToken: ADMIN,
    internalServiceToken: SERVICE_TOKEN,
  });

  function serviceCall(tenantId?: string, service?: string): Metadata {
    const metadata = bearer(SERVICE_TOKEN);
    if (tenantId !== undefined) metadata.set(TENANT_ID_METADATA, tenantId);
    if (service !== undefined) metadata.set(SERVICE_METADATA, service);
    return metadata;
  }

  it('authenticates a service call as a tenant caller whose key id names the service', async () => {
    await expect(sut.authenticate(serviceCall(TENANT, 'import'), 'tenant', 'S/R')).resolves.toEqual(
      {
        kind: 'tenant',
        tenantId: TENANT,
        keyId: 'service:import',
      },
    );
  });

  it.each<[string | undefined, string | undefined, string]>([
    [undefined, 'import', 'SERVICE_TENANT_MISSING'],
    ['not-a-uuid', 'import', 'SERVICE_TENANT_MISSING'],
    [TENANT, undefined, 'SERVICE_NAME_MISSING'],
    [TENANT, 'Import Service', 'SERVICE_NAME_MISSING'],
  ])('refuses a service call with tenant %p and service %p', async (tenant, service, reason) => {
    const error = await failure(sut.authenticate(serviceCall(tenant, service), 'tenant', 'S/R'));
    expect(error.code).toBe(status.UNAUTHENTICATED);
    expect(error.details.reason).toBe(reason);
  });

  it('never lets the service token call admin rpcs', async () => {
    const error = await failure(sut.authenticate(serviceCall(TENANT, 'import'), 'admin', 'S/R'));
    expect(error.code).toBe(status.PERMISSION_DENIED);
  });

  it('ignores tenant metadata on calls with a tenant API key', async () => {
    const key = generateApiKey();
    verifier.add(key.keyId, 'tenant-2', key.secretSha256);
    const metadata = bearer(key.token);
    metadata.set(TENANT_ID_METADATA, TENANT);
    await expect(sut.authenticate(metadata, 'tenant', 'S/R')).resolves.toMatchObject({
      tenantId: 'tenant-2',
    });
  });

  it('treats the service token as an unknown key where none is configured', async () => {
    const without = new Authenticator({ verifier, adminToken: ADMIN });
    const error = await failure(
      without.authenticate(serviceCall(TENANT, 'import'), 'tenant', 'S/R'),
    );
    expect(error.code).toBe(status.UNAUTHENTICATED);
  });

  it('refuses a short service token or one equal to the admin token', () => {
    expect(() => new Authenticator({ verifier, internalServiceToken: 'short' })).toThrow(
      'at least 32 characters',
    );
    expect(
      () => new Authenticator({ verifier, adminToken: ADMIN, internalServiceToken: ADMIN }),
    ).toThrow('must differ from the admin token');
  });
});
