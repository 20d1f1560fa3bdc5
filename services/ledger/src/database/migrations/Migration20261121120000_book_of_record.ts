import { Migration } from '@mikro-orm/migrations';

// The book of record: organizations, charts, periods, journals, entries and their balances.
// Every row carries its tenant. Never edit a migration that has landed: add a new one.
export class Migration20261121120000_book_of_record extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('vendor', 'customer', 'supplier', 'partner', 'operator')),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        primary_ledger_id uuid REFERENCES ledgers (id),
        created_at timestamptz NOT NULL,
        CONSTRAINT organizations_external_id_unique UNIQUE (tenant_id, external_id)
      );
      CREATE INDEX organizations_tenant_created_idx ON organizations (tenant_id, created_at, id);

      ALTER TABLE ledgers ADD COLUMN owner_organization_id uuid REFERENCES organizations (id);
      -- Postings to a ledger serialize on its row, which hands out ledger_sequence in commit order.
      ALTER TABLE ledgers ADD COLUMN last_sequence bigint NOT NULL DEFAULT 0;

      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL REFERENCES ledgers (id),
        code text NOT NULL CHECK (code ~ '^[A-Za-z0-9.-]{1,20}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        type text NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
        role text CHECK (role IN ('receivable', 'payable', 'clearing', 'tax')),
        balance_limit text CHECK (balance_limit IN ('no_negative', 'no_positive')),
        created_at timestamptz NOT NULL,
        CONSTRAINT accounts_code_unique UNIQUE (ledger_id, code)
      );

      CREATE TABLE fiscal_years (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL REFERENCES ledgers (id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        first_month date NOT NULL CHECK (extract(day FROM first_month) = 1),
        last_month date NOT NULL CHECK (extract(day FROM last_month) = 1),
        created_at timestamptz NOT NULL,
        CONSTRAINT fiscal_years_name_unique UNIQUE (ledger_id, name),
        CHECK (last_month >= first_month)
      );

      -- One row per month of a ledger: a month belongs to at most one fiscal year.
      CREATE TABLE fiscal_months (
        ledger_id uuid NOT NULL REFERENCES ledgers (id),
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        tenant_id uuid NOT NULL,
        fiscal_year_id uuid NOT NULL REFERENCES fiscal_years (id),
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        closed_at timestamptz,
        PRIMARY KEY (ledger_id, month)
      );

      CREATE TABLE period_audit (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        month date NOT NULL,
        action text NOT NULL CHECK (action IN ('closed', 'reopened')),
        reason text,
        actor text NOT NULL,
        at timestamptz NOT NULL
      );

      -- What closing a month recorded; replaced when a reopened month is closed again.
      CREATE TABLE month_closings (
        ledger_id uuid NOT NULL,
        month date NOT NULL,
        account_id uuid NOT NULL REFERENCES accounts (id),
        currency text NOT NULL,
        tenant_id uuid NOT NULL,
        opening_balance numeric(38, 10) NOT NULL,
        debit numeric(38, 10) NOT NULL,
        credit numeric(38, 10) NOT NULL,
        closing_balance numeric(38, 10) NOT NULL,
        PRIMARY KEY (ledger_id, month, account_id, currency)
      );

      CREATE TABLE journals (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL REFERENCES ledgers (id),
        fiscal_year_id uuid NOT NULL REFERENCES fiscal_years (id),
        symbol text NOT NULL CHECK (symbol ~ '^[A-Za-z0-9]{1,50}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        next_number bigint NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL
      );
      CREATE UNIQUE INDEX journals_symbol_unique ON journals (fiscal_year_id, lower(symbol));
      CREATE UNIQUE INDEX journals_name_unique ON journals (fiscal_year_id, lower(name));

      CREATE TABLE entries (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL REFERENCES ledgers (id),
        journal_id uuid NOT NULL REFERENCES journals (id),
        number bigint NOT NULL,
        ledger_sequence bigint NOT NULL,
        entry_date date NOT NULL,
        transaction_type text NOT NULL,
        payment_method text,
        reference text,
        description text,
        due_date date,
        source text NOT NULL CHECK (source IN ('api', 'event', 'import', 'settlement', 'reversal')),
        idempotency_key text NOT NULL,
        -- SHA-256 of the request's canonical form: a retry must match it to be a replay.
        request_digest bytea NOT NULL,
        posted_by text NOT NULL,
        reverses_entry_id uuid REFERENCES entries (id),
        posted_at timestamptz NOT NULL,
        CONSTRAINT entries_idempotency_unique UNIQUE (ledger_id, idempotency_key),
        CONSTRAINT entries_number_unique UNIQUE (journal_id, number),
        CONSTRAINT entries_sequence_unique UNIQUE (ledger_id, ledger_sequence)
      );
      CREATE UNIQUE INDEX entries_reversed_once ON entries (reverses_entry_id)
        WHERE reverses_entry_id IS NOT NULL;
      CREATE INDEX entries_listing_idx ON entries (ledger_id, entry_date, journal_id, number);

      CREATE TABLE entry_lines (
        entry_id uuid NOT NULL REFERENCES entries (id),
        line_no smallint NOT NULL,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        account_id uuid NOT NULL REFERENCES accounts (id),
        side text NOT NULL CHECK (side IN ('debit', 'credit')),
        amount numeric(38, 10) NOT NULL CHECK (amount > 0),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        counterparty_id uuid REFERENCES organizations (id),
        product text,
        order_id text,
        deal_id text,
        memo text,
        entry_date date NOT NULL,
        PRIMARY KEY (entry_id, line_no)
      );
      CREATE INDEX entry_lines_account_date_idx ON entry_lines (account_id, entry_date);
      CREATE INDEX entry_lines_counterparty_idx ON entry_lines (counterparty_id, entry_date)
        WHERE counterparty_id IS NOT NULL;

      -- Running totals per account and currency, moved by set-based UPDATEs in the posting
      -- transaction; the balance limits are checked against them.
      CREATE TABLE account_balances (
        account_id uuid NOT NULL REFERENCES accounts (id),
        currency text NOT NULL,
        tenant_id uuid NOT NULL,
        debit numeric(38, 10) NOT NULL DEFAULT 0,
        credit numeric(38, 10) NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, currency)
      );

      -- Per-day turnovers: a balance at any date is a sum over days, not over lines.
      CREATE TABLE account_daily_turnovers (
        account_id uuid NOT NULL REFERENCES accounts (id),
        currency text NOT NULL,
        day date NOT NULL,
        tenant_id uuid NOT NULL,
        debit numeric(38, 10) NOT NULL DEFAULT 0,
        credit numeric(38, 10) NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, currency, day)
      );
    `);
  }
}
