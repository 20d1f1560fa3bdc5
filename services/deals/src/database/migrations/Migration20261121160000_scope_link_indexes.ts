import { Migration } from '@mikro-orm/migrations';

// Never edit a migration that has landed: add a new one.
export class Migration20261121160000_scope_link_indexes extends Migration {
  override up(): void {
    // The links made as scope lines arrive look up only these few rows; without their own
    // partial indexes the planner scans the whole table once per consumed group (~0.4 s at 1M).
    this.addSql(`
      CREATE INDEX scope_lines_unattributed_idx ON scope_lines (tenant_id, ledger_id, order_id)
        WHERE product = '' AND order_id <> ''
          AND transaction_type IN ('adjustment', 'refund', 'chargeback', 'credit_note');
      CREATE INDEX scope_lines_reversal_idx ON scope_lines (tenant_id, ledger_id, reference)
        WHERE transaction_type = 'adjustment' AND reference <> '';
      CREATE INDEX scope_lines_chargeback_idx ON scope_lines (tenant_id, ledger_id, reference)
        WHERE transaction_type = 'chargeback' AND reference <> '';
    `);
  }
}
