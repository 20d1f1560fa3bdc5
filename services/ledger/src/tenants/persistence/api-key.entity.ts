import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

// Only the SHA-256 of a key's secret is stored: a database leak does not leak usable keys.
@Entity({ tableName: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryKey({ type: 'text', fieldName: 'key_id' })
  keyId!: string;

  @Property({ type: 'uuid', fieldName: 'tenant_id' })
  tenantId!: string;

  @Property({ type: 'text' })
  label!: string;

  @Property({ type: 'blob', fieldName: 'secret_sha256' })
  secretSha256!: Buffer;

  @Property({ type: 'timestamptz', fieldName: 'issued_at' })
  issuedAt!: Date;

  @Property({ type: 'timestamptz', fieldName: 'revoked_at', nullable: true })
  revokedAt: Date | null = null;
}
