import { Migration } from '@mikro-orm/migrations';

// The deals' finalized settlements (deals.settlements.v1) and each payee's share, for the
// profit-sharing report. Versioned like every read model (rebuild). Never edit a migration that
// has landed: add a new one.
export class Migration20261204100000_settlements extends Migration {
  override up(): void {
    this.addSql(`
      CREATE TABLE rm_settlements (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        settlement_id uuid NOT NULL,
        deal_id uuid NOT NULL,
        deal_name text NOT NULL,
        payer_organization_id uuid NOT NULL,
        period_start date NOT NULL,
        period_end date NOT NULL,
        period_label text NOT NULL,
        currency text NOT NULL,
        -- What the payer owes in total; negative for a claw-back. The shares sum to it.
        total numeric NOT NULL,
        finalize_time timestamptz NOT NULL,
        PRIMARY KEY (version, settlement_id)
      );
      CREATE INDEX rm_settlements_deal_idx
        ON rm_settlements (version, tenant_id, deal_id, period_start);
      CREATE INDEX rm_settlements_payer_idx
        ON rm_settlements (version, tenant_id, payer_organization_id, period_start);
      CREATE INDEX rm_settlements_finalized_idx
        ON rm_settlements (version, tenant_id, finalize_time);

      -- One row per payee of a settlement, in the settlement's order (share_no from 0).
      CREATE TABLE rm_settlement_shares (
        version integer NOT NULL,
        tenant_id uuid NOT NULL,
        settlement_id uuid NOT NULL,
        share_no integer NOT NULL,
        organization_id uuid NOT NULL,
        role text NOT NULL,
        currency text NOT NULL,
        amount numeric NOT NULL,
        period_start date NOT NULL,
        PRIMARY KEY (version, settlement_id, share_no)
      );
      CREATE INDEX rm_settlement_shares_payee_idx
        ON rm_settlement_shares (version, tenant_id, organization_id, period_start);
    `);
  }
}
