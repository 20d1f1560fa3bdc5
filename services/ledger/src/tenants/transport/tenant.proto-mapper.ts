import { type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  type ApiKeySchema,
  type TenantSchema,
} from '@kontor/contracts/ledger/v1/tenant_service_pb';
import { type ApiKeyEntity } from '../persistence/api-key.entity';
import { type TenantEntity } from '../persistence/tenant.entity';

export function toTenantMessage(tenant: TenantEntity): MessageInitShape<typeof TenantSchema> {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    createTime: timestampFromDate(tenant.createdAt),
  };
}

// Field by field on purpose: the entity also holds the secret's hash, which never leaves the
// service.
export function toApiKeyMessage(key: ApiKeyEntity): MessageInitShape<typeof ApiKeySchema> {
  return {
    keyId: key.keyId,
    tenantId: key.tenantId,
    label: key.label,
    createTime: timestampFromDate(key.issuedAt),
    revokeTime: key.revokedAt ? timestampFromDate(key.revokedAt) : undefined,
  };
}
