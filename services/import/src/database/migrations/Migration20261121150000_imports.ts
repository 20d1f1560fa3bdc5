import { Migration } from '@mikro-orm/migrations';

// Profiles (versioned), jobs with their uploaded file in chunks, row errors, and the identities
// of every row ever posted per tenant and profile (what makes re-imports post nothing twice).
// Never edit a migration that has landed: add a new one.
export class Migration20261121150000_imports extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE profile_heads (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        name text NOT NULL,
        latest_version int NOT NULL,
        request_id text NOT NULL,
        PRIMARY KEY (tenant_id, id),
        UNIQUE (tenant_id, name),
        UNIQUE (tenant_id, request_id)
      );
      CREATE TABLE profile_versions (
        tenant_id uuid NOT NULL,
        profile_id uuid NOT NULL,
        version int NOT NULL,
        name text NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, profile_id, version),
        FOREIGN KEY (tenant_id, profile_id) REFERENCES profile_heads (tenant_id, id)
      );

      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        request_id text NOT NULL,
        profile_id uuid NOT NULL,
        profile_version int NOT NULL,
        file_name text NOT NULL,
        state text NOT NULL,
        policy text,
        file_size bigint NOT NULL DEFAULT 0,
        file_sha256 text,
        validated boolean NOT NULL DEFAULT false,
        rows_read bigint NOT NULL DEFAULT 0,
        rows_valid bigint NOT NULL DEFAULT 0,
        rows_invalid bigint NOT NULL DEFAULT 0,
        rows_posted bigint NOT NULL DEFAULT 0,
        rows_duplicate bigint NOT NULL DEFAULT 0,
        bytes_read bigint NOT NULL DEFAULT 0,
        checkpoint_line bigint NOT NULL DEFAULT 0,
        failure text,
        lease_owner text,
        lease_until timestamptz,
        commit_started_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (tenant_id, request_id),
        FOREIGN KEY (tenant_id, profile_id, profile_version)
          REFERENCES profile_versions (tenant_id, profile_id, version)
      );
      CREATE INDEX jobs_committing ON jobs (lease_until) WHERE state = 'COMMITTING';
      CREATE INDEX jobs_by_digest ON jobs (tenant_id, file_sha256);

      CREATE TABLE job_file_chunks (
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq int NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (job_id, seq)
      );

      CREATE TABLE job_row_errors (
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        row_number bigint NOT NULL,
        phase text NOT NULL CHECK (phase IN ('validate', 'post')),
        fields jsonb NOT NULL,
        errors jsonb NOT NULL,
        PRIMARY KEY (job_id, row_number)
      );

      CREATE TABLE job_totals (
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        currency text NOT NULL,
        amount numeric(38, 10) NOT NULL,
        PRIMARY KEY (job_id, currency)
      );

      CREATE TABLE row_identities (
        tenant_id uuid NOT NULL,
        profile_id uuid NOT NULL,
        identity text NOT NULL,
        job_id uuid NOT NULL,
        row_number bigint NOT NULL,
        entry_id uuid,
        PRIMARY KEY (tenant_id, profile_id, identity)
      );
    `);
  }
}
