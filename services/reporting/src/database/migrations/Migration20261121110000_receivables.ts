import { Migration } from '@mikro-orm/migrations';

// Open items for the receivables aging, maintained as entries arrive so the aging of "now" reads
// only the open invoices. Never edit a migration that has landed: add a new one.
export class Migration20261121110000_receivables extends Migration {
  override up(): void {
    this.addSql(`
      -- A customer's invoices per currency in invoice order (date, number, journal, id); amount is
      -- what is still invoiced after reversals; cum the running sum of amount in that order.
      CREATE TABLE rm_invoices (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        currency text NOT NULL,
        entry_id uuid NOT NULL,
        entry_date date NOT NULL,
        number bigint NOT NULL,
        journal_symbol text COLLATE "C" NOT NULL,
        due date NOT NULL,
        amount numeric NOT NULL CHECK (amount >= 0),
        cum numeric NOT NULL,
        PRIMARY KEY (version, ledger_id, customer_id, currency, entry_id)
      );
      CREATE INDEX rm_invoices_order_idx ON rm_invoices
        (version, ledger_id, customer_id, currency, entry_date, number, journal_symbol, entry_id);
      CREATE INDEX rm_invoices_open_idx ON rm_invoices
        (version, ledger_id, customer_id, currency, cum);

      -- Per customer and currency: the credit pool (payments, credit notes … minus refunds,
      -- chargebacks) applied to the invoices oldest first, and the latest movement's date.
      CREATE TABLE rm_receivable_pools (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        currency text NOT NULL,
        pool numeric NOT NULL,
        last_date date NOT NULL,
        PRIMARY KEY (version, ledger_id, customer_id, currency)
      );
    `);
  }
}
