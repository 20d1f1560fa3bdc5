import { secretDigestsEqual } from './api-key';

export interface VerifiedApiKey {
  readonly tenantId: string;
}

// The port through which the transport checks tenant API keys. Each service supplies its own:
// the ledger reads its api key table, other services their replica fed by ApiKeyIssued /
// ApiKeyRevoked events. Return null for unknown and revoked keys and for a wrong secret; compare
// digests with secretDigestsEqual (constant time).
export interface ApiKeyVerifier {
  verify(keyId: string, secretSha256: Buffer): Promise<VerifiedApiKey | null>;
}

// DI token for an ApiKeyVerifier provider.
export const API_KEY_VERIFIER = Symbol('ApiKeyVerifier');

interface StoredKey {
  readonly tenantId: string;
  readonly secretSha256: Buffer;
}

// Keys held in memory: for tests, and as the shape a replica-backed verifier can follow.
export class InMemoryApiKeyVerifier implements ApiKeyVerifier {
  private readonly keys = new Map<string, StoredKey>();

  add(keyId: string, tenantId: string, secretSha256: Buffer): void {
    this.keys.set(keyId, { tenantId, secretSha256: Buffer.from(secretSha256) });
  }

  revoke(keyId: string): void {
    this.keys.delete(keyId);
  }

  verify(keyId: string, secretSha256: Buffer): Promise<VerifiedApiKey | null> {
    const stored = this.keys.get(keyId);
    if (stored === undefined || !secretDigestsEqual(stored.secretSha256, secretSha256)) {
      return Promise.resolve(null);
    }
    return Promise.resolve({ tenantId: stored.tenantId });
  }
}
