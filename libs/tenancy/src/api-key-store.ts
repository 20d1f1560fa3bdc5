import { timingSafeEqual } from 'node:crypto';
import { type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import {
  type ApiKeyIssued,
  type ApiKeyRevoked,
} from '@kontor/contracts/events/v1/tenant_events_pb';

// Every service authenticates callers from an `api_keys` table in its own schema: the ledger's is
// the source of truth, the others are replicas fed by `ledger.tenants.v1`. Same columns, so the
// same verifier serves both and no service reads another's schema or calls it per request.

/** Replica table; the ledger's own table has these columns and more. */
export const API_KEYS_REPLICA_SQL = `
  CREATE TABLE api_keys (
    key_id text PRIMARY KEY,
    tenant_id uuid NOT NULL,
    secret_sha256 bytea NOT NULL CHECK (length(secret_sha256) = 32),
    issued_at timestamptz NOT NULL,
    revoked_at timestamptz
  );
`;

export interface VerifiedCaller {
  tenantId: string;
}

export class SqlApiKeyVerifier {
  constructor(private readonly orm: MikroORM) {}

  async verify(keyId: string, secretSha256: Buffer): Promise<VerifiedCaller | null> {
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<{ tenant_id: string; secret_sha256: Buffer }[]>(
        'SELECT tenant_id, secret_sha256 FROM api_keys WHERE key_id = ? AND revoked_at IS NULL',
        [keyId],
      );
    const key = rows[0];
    if (!key || key.secret_sha256.length !== secretSha256.length) return null;

    return timingSafeEqual(key.secret_sha256, secretSha256) ? { tenantId: key.tenant_id } : null;
  }
}

/** Applies a key event to a replica; both are idempotent, so redelivery changes nothing. */
export async function applyApiKeyIssued(em: EntityManager, event: ApiKeyIssued): Promise<void> {
  await em.execute(
    `INSERT INTO api_keys (key_id, tenant_id, secret_sha256, issued_at)
     VALUES (?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING`,
    [event.keyId, event.tenantId, Buffer.from(event.secretSha256), eventTime(event.issueTime)],
  );
}

export async function applyApiKeyRevoked(em: EntityManager, event: ApiKeyRevoked): Promise<void> {
  await em.execute(
    'UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE key_id = ? AND tenant_id = ?',
    [eventTime(event.revokeTime), event.keyId, event.tenantId],
  );
}

function eventTime(time: Parameters<typeof timestampDate>[0] | undefined): Date {
  return time ? timestampDate(time) : new Date();
}
