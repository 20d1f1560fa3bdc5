import { Migration } from '@mikro-orm/migrations';
import { API_KEYS_REPLICA_SQL } from '@kontor/tenancy';

// Never edit a migration that has landed: add a new one.
export class Migration20261121000000_ledger_summaries extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE ledger_summaries (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        name text NOT NULL,
        base_currency text NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX ledger_summaries_tenant_created_idx ON ledger_summaries (tenant_id, created_at, id);
    `);
    this.addSql(API_KEYS_REPLICA_SQL);
  }
}
