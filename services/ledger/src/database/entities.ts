import { LedgerEntity } from '../ledgers/persistence/ledger.entity';
import { ApiKeyEntity } from '../tenants/persistence/api-key.entity';
import { TenantEntity } from '../tenants/persistence/tenant.entity';

export const LEDGER_ENTITIES = [TenantEntity, ApiKeyEntity, LedgerEntity];
