import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

@Entity({ tableName: 'ledgers' })
@Unique({ properties: ['tenantId', 'requestId'] })
export class LedgerEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', fieldName: 'tenant_id' })
  tenantId!: string;

  // The client's idempotency key: a retried CreateLedger returns this row instead of a twin.
  @Property({ type: 'text', fieldName: 'request_id' })
  requestId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', fieldName: 'base_currency' })
  baseCurrency!: string;

  @Property({ type: 'uuid', fieldName: 'owner_organization_id', nullable: true })
  ownerOrganizationId: string | null = null;

  // Whether CreateLedger made the default chart: a replay must ask for the same.
  @Property({ type: 'boolean', fieldName: 'created_with_default_chart' })
  createDefaultChart: boolean = false;

  @Property({ type: 'timestamptz', fieldName: 'created_at' })
  createdAt!: Date;
}
