import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { type AccountRole, type AccountType, type BalanceLimit } from '../domain/account';

@Entity({ tableName: 'accounts' })
@Unique({ properties: ['ledgerId', 'code'] })
export class AccountEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', fieldName: 'tenant_id' })
  tenantId!: string;

  @Property({ type: 'uuid', fieldName: 'ledger_id' })
  ledgerId!: string;

  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  type!: AccountType;

  @Property({ type: 'text', nullable: true })
  role: AccountRole | null = null;

  @Property({ type: 'text', fieldName: 'balance_limit', nullable: true })
  balanceLimit: BalanceLimit | null = null;

  @Property({ type: 'timestamptz', fieldName: 'created_at' })
  createdAt!: Date;
}
