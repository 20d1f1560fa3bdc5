import { Migration } from '@mikro-orm/migrations';

// The read models of the ledger's entries, accounts and organizations. Every table carries a
// model `version`: the live consumer writes into the active version (and into one being rebuilt),
// reports read the active one, and a rebuild swaps a freshly built version in.
// Never edit a migration that has landed: add a new one.
export class Migration20261121100000_read_models extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE model_versions (
        version integer PRIMARY KEY,
        state text NOT NULL CHECK (state IN ('active', 'building', 'retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz NULL
      );
      CREATE UNIQUE INDEX model_versions_one_active_idx ON model_versions ((true))
        WHERE state = 'active';
      INSERT INTO model_versions (version, state, activated_at) VALUES (1, 'active', now());

      CREATE TABLE rm_accounts (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        code text NOT NULL,
        name text NOT NULL,
        type text NOT NULL,
        role text NULL,
        PRIMARY KEY (version, ledger_id, code)
      );

      CREATE TABLE rm_organizations (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        external_id text NOT NULL,
        kind text NOT NULL,
        name text NOT NULL,
        PRIMARY KEY (version, id)
      );

      -- Watermark: the ledger's entries 1..current_sequence are in this version.
      CREATE TABLE rm_ledger_watermarks (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        current_sequence bigint NOT NULL,
        PRIMARY KEY (version, ledger_id)
      );

      -- One row per entry line, the entry's columns repeated (listings, statements, aging).
      CREATE TABLE rm_lines (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        entry_id uuid NOT NULL,
        line_no integer NOT NULL,
        ledger_sequence bigint NOT NULL,
        entry_date date NOT NULL,
        journal_symbol text NOT NULL,
        number bigint NOT NULL,
        transaction_type text NOT NULL,
        payment_method text NOT NULL,
        reference text NOT NULL,
        description text NOT NULL,
        due_date date NULL,
        reverses_entry_id uuid NULL,
        account_code text NOT NULL,
        is_debit boolean NOT NULL,
        currency text NOT NULL,
        amount numeric NOT NULL CHECK (amount > 0),
        counterparty_id uuid NULL,
        product text NOT NULL,
        memo text NOT NULL,
        PRIMARY KEY (version, ledger_id, entry_id, line_no)
      );
      CREATE INDEX rm_lines_account_idx
        ON rm_lines (version, ledger_id, account_code, currency, entry_date, ledger_sequence, line_no);
      CREATE INDEX rm_lines_counterparty_idx
        ON rm_lines (version, ledger_id, counterparty_id, entry_date, ledger_sequence, line_no)
        WHERE counterparty_id IS NOT NULL;
      CREATE INDEX rm_lines_order_idx
        ON rm_lines (version, ledger_id, currency, entry_date, ledger_sequence, line_no);

      -- Debit and credit turnover per account, currency and day (trial balance, turnovers,
      -- balance sheet, income statement without breakdown).
      CREATE TABLE rm_account_days (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        account_code text NOT NULL,
        currency text NOT NULL,
        day date NOT NULL,
        debit numeric NOT NULL,
        credit numeric NOT NULL,
        PRIMARY KEY (version, ledger_id, account_code, currency, day)
      );

      -- The same by counterparty and product (income statement breakdowns).
      CREATE TABLE rm_detail_days (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        account_code text NOT NULL,
        counterparty_id uuid NOT NULL,
        product text NOT NULL,
        currency text NOT NULL,
        day date NOT NULL,
        debit numeric NOT NULL,
        credit numeric NOT NULL,
        PRIMARY KEY (version, ledger_id, day, account_code, counterparty_id, product, currency)
      );
    `);
  }
}
