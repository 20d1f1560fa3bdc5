import { Migration } from '@mikro-orm/migrations';

// The open amount of every invoice and their sums per customer, currency and due date, kept by
// the consumer as credit reaches invoices, so the aging of "now" reads a few rows per customer
// instead of each customer's open invoices. Never edit a migration that has landed.
export class Migration20261205100000_open_dues extends Migration {
  override up(): void {
    this.addSql(`
      ALTER TABLE rm_invoices ADD COLUMN open numeric NOT NULL DEFAULT 0 CHECK (open >= 0);
      UPDATE rm_invoices i SET open = least(i.amount, i.cum - greatest(r.pool, 0))
      FROM rm_receivable_pools r
      WHERE r.version = i.version AND r.ledger_id = i.ledger_id
        AND r.customer_id = i.customer_id AND r.currency = i.currency
        AND i.cum > greatest(r.pool, 0);
      -- Where the consumer looks for invoices whose open amount can change: the open ones (that
      -- credit may reach) and the ones not open in full (that less credit or a shifted cum may
      -- reopen), each in cum order per customer.
      CREATE INDEX rm_invoices_open_cum_idx ON rm_invoices
        (version, ledger_id, customer_id, currency, cum) WHERE open > 0;
      CREATE INDEX rm_invoices_not_open_cum_idx ON rm_invoices
        (version, ledger_id, customer_id, currency, cum) WHERE open <> amount;

      CREATE TABLE rm_open_dues (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        currency text NOT NULL,
        due date NOT NULL,
        -- No CHECK (open >= 0): the consumer adds negative differences through INSERT … ON
        -- CONFLICT, whose proposed row is checked before it meets the existing one.
        open numeric NOT NULL,
        PRIMARY KEY (version, ledger_id, customer_id, currency, due)
      );
      INSERT INTO rm_open_dues (version, tenant_id, ledger_id, customer_id, currency, due, open)
      SELECT version, tenant_id, ledger_id, customer_id, currency, due, sum(open)
      FROM rm_invoices WHERE open > 0
      GROUP BY version, tenant_id, ledger_id, customer_id, currency, due;
    `);
  }
}
