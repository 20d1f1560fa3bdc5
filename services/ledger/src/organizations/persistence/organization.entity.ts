import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { type OrganizationKind } from '../domain/organization';

@Entity({ tableName: 'organizations' })
@Unique({ properties: ['tenantId', 'externalId'] })
export class OrganizationEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', fieldName: 'tenant_id' })
  tenantId!: string;

  @Property({ type: 'text', fieldName: 'external_id' })
  externalId!: string;

  @Property({ type: 'text' })
  kind!: OrganizationKind;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'uuid', fieldName: 'primary_ledger_id', nullable: true })
  primaryLedgerId: string | null = null;

  @Property({ type: 'timestamptz', fieldName: 'created_at' })
  createdAt!: Date;
}
