import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

// Read model of the ledgers the ledger service announced on `ledger.ledgers.v1`.
@Entity({ tableName: 'ledger_summaries' })
export class LedgerSummaryEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', fieldName: 'tenant_id' })
  tenantId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', fieldName: 'base_currency' })
  baseCurrency!: string;

  @Property({ type: 'timestamptz', fieldName: 'created_at' })
  createdAt!: Date;
}
