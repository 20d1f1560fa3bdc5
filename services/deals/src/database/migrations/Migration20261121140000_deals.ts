import { Migration } from '@mikro-orm/migrations';

// Never edit a migration that has landed: add a new one.
export class Migration20261121140000_deals extends Migration {
  override up(): void {
    this.addSql(`
      -- Replica of the ledger's organizations (ledger.ledgers.v1), to check deal parties.
      CREATE TABLE organizations (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        kind text NOT NULL,
        name text NOT NULL
      );

      -- Every posted ledger line (ledger.entries.v1), once: the deals' scope data. seq is the
      -- arrival order; a finalized settlement records the seq it saw (late lines come after).
      CREATE TABLE scope_lines (
        seq bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        ledger_id uuid NOT NULL,
        entry_id uuid NOT NULL,
        line_index int NOT NULL,
        entry_date date NOT NULL,
        transaction_type text NOT NULL,
        reference text NOT NULL,
        account_code text NOT NULL,
        side char(1) NOT NULL CHECK (side IN ('D', 'C')),
        amount numeric(38, 10) NOT NULL,
        currency text NOT NULL,
        counterparty_id uuid NULL,
        product text NOT NULL,
        order_id text NOT NULL,
        deal_tag text NOT NULL,
        entry_counterparties uuid[] NOT NULL,
        chargeback boolean NOT NULL,
        UNIQUE (entry_id, line_index)
      );
      CREATE INDEX scope_lines_scope_idx ON scope_lines (tenant_id, ledger_id, entry_date);
      CREATE INDEX scope_lines_reference_idx ON scope_lines (tenant_id, ledger_id, reference)
        WHERE reference <> '';
      CREATE INDEX scope_lines_order_idx ON scope_lines (tenant_id, ledger_id, order_id)
        WHERE order_id <> '';

      CREATE TABLE deals (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        request_id text NOT NULL,
        request_digest text NOT NULL,
        name text NOT NULL,
        payer_organization_id uuid NOT NULL,
        currency text NOT NULL,
        frequency text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (tenant_id, request_id)
      );
      CREATE INDEX deals_tenant_created_idx ON deals (tenant_id, created_at, id);

      CREATE TABLE deal_versions (
        deal_id uuid NOT NULL REFERENCES deals (id),
        version int NOT NULL,
        effective_from date NOT NULL,
        terms jsonb NOT NULL,
        changed_by text NOT NULL,
        reason text NOT NULL,
        request_id text NOT NULL,
        request_digest text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (deal_id, version),
        UNIQUE (deal_id, request_id)
      );

      -- Every organization that is or was a party of a deal (any version), for listings/reports.
      CREATE TABLE deal_parties (
        tenant_id uuid NOT NULL,
        organization_id uuid NOT NULL,
        deal_id uuid NOT NULL REFERENCES deals (id),
        PRIMARY KEY (tenant_id, organization_id, deal_id)
      );

      CREATE TABLE settlements (
        id uuid PRIMARY KEY,
        tenant_id uuid NOT NULL,
        deal_id uuid NOT NULL REFERENCES deals (id),
        period_start date NOT NULL,
        period_end date NOT NULL,
        deal_version int NOT NULL,
        watermark bigint NOT NULL,
        entry_count bigint NOT NULL,
        result jsonb NOT NULL,
        late_adjustments jsonb NOT NULL,
        finalized_by text NOT NULL,
        finalized_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (deal_id, period_start)
      );
    `);
  }
}
