import { Migration } from '@mikro-orm/migrations';

// The invoiced total per customer and currency next to its credit pool, so the aging needs no
// lookup of the last invoice per customer. Never edit a migration that has landed.
export class Migration20261121130000_pool_invoiced extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE rm_receivable_pools ADD COLUMN invoiced numeric NOT NULL DEFAULT 0;
      UPDATE rm_receivable_pools r SET invoiced = coalesce((
        SELECT max(i.cum) FROM rm_invoices i
        WHERE i.version = r.version AND i.ledger_id = r.ledger_id
          AND i.customer_id = r.customer_id AND i.currency = r.currency), 0);
    `);
  }
}
