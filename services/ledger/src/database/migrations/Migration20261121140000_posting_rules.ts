import { Migration } from '@mikro-orm/migrations';

// A ledger's own posting rules over the defaults. Never edit a migration that has landed.
export class Migration20261121140000_posting_rules extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE posting_rules (
        ledger_id uuid PRIMARY KEY REFERENCES ledgers (id),
        tenant_id uuid NOT NULL,
        -- Only the settings that differ from the defaults, e.g. {"revenue": "4010"}.
        accounts jsonb NOT NULL DEFAULT '{}',
        journals jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL,
        updated_by text NOT NULL
      );
    `);
  }
}
