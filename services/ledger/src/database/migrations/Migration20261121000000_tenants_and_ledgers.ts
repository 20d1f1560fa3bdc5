import { Migration } from '@mikro-orm/migrations';

// Never edit a migration that has landed: add a new one.
export class Migration20261121000000_tenants_and_ledgers extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE tenants (
        id uuid PRIMARY KEY,
        slug text NOT NULL UNIQUE,
        name text NOT NULL,
        created_at timestamptz NOT NULL
      );

      CREATE TABLE api_keys (
        key_id text PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        label text NOT NULL,
        secret_sha256 bytea NOT NULL CHECK (length(secret_sha256) = 32),
        issued_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);

      CREATE TABLE ledgers (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        request_id text NOT NULL,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        base_currency text NOT NULL CHECK (base_currency ~ '^[A-Z]{3}$'),
        created_at timestamptz NOT NULL,
        CONSTRAINT ledgers_tenant_request_unique UNIQUE (tenant_id, request_id)
      );
      CREATE INDEX ledgers_tenant_created_idx ON ledgers (tenant_id, created_at, id);
    `);
  }
}
