import { Metadata, status } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import { type Access } from '../call-context';
import { GrpcStatusError } from '../errors/grpc-status-error';
import { generateApiKey } from './api-key';
import { InMemoryApiKeyVerifier } from './api-key-verifier';
import { Authenticator } from './authenticator';

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
