import { Migration } from '@mikro-orm/migrations';

// Monthly turnovers by product and by counterparty, so income statements over whole months read
// a few rows per account instead of every day. Never edit a migration that has landed.
export class Migration20261121120000_month_details extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE rm_product_months (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        month date NOT NULL,
        account_code text NOT NULL,
        product text NOT NULL,
        currency text NOT NULL,
        debit numeric NOT NULL,
        credit numeric NOT NULL,
        PRIMARY KEY (version, ledger_id, month, account_code, product, currency)
      );
      CREATE TABLE rm_counterparty_months (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        month date NOT NULL,
        account_code text NOT NULL,
        counterparty_id uuid NOT NULL,
        currency text NOT NULL,
        debit numeric NOT NULL,
        credit numeric NOT NULL,
        PRIMARY KEY (version, ledger_id, month, account_code, counterparty_id, currency)
      );
    `);
  }
}
