import { Migration } from '@mikro-orm/migrations';

// CreateLedger is idempotent by request id: a replay must repeat create_default_chart too, so
// the ledger remembers whether it was created with the default chart.
export class Migration20261121130000_ledger_default_chart_flag extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE ledgers ADD COLUMN created_with_default_chart boolean NOT NULL DEFAULT false;
    `);
  }
}
