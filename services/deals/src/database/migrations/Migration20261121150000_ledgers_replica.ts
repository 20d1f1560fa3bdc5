import { Migration } from '@mikro-orm/migrations';

// Never edit a migration that has landed: add a new one.
export class Migration20261121150000_ledgers_replica extends Migration {
  override up(): void {
    this.addSql(`
      -- Replica of the ledger's ledgers (ledger.ledgers.v1), to check a deal's scope.
      CREATE TABLE ledgers (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        base_currency text NOT NULL
      );
    `);
  }
}
